import datetime as dt

import pytest

from atrium.apps.fieldwork.assemblies.due_dates import next_due


@pytest.mark.parametrize(("last", "months", "due"), [
    (dt.date(2026, 3, 10), 12, dt.date(2027, 3, 10)),
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
    (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
    (dt.date(2024, 2, 29), 48, dt.date(2028, 2, 29)),
    (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
    (dt.date(2026, 12, 15), 120, dt.date(2036, 12, 15)),
])
def test_next_due_is_the_interval_later_or_the_months_last_day(last: dt.date, months: int, due: dt.date) -> None:
    assert next_due(last, months) == due
