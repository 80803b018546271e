import datetime as dt

import pytest

from atrium.apps.fieldwork.assemblies.due_dates import due_status, next_due
from atrium.apps.fieldwork.assemblies.schemas import DueStatus

DUE = dt.date(2027, 3, 10)


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


@pytest.mark.parametrize(("days_to_due", "status"), [
    (365, DueStatus.COMPLIANT),
    (61, DueStatus.COMPLIANT),
    (60, DueStatus.DUE_SOON),
    (59, DueStatus.DUE_SOON),
    (1, DueStatus.DUE_SOON),
    (0, DueStatus.DUE_SOON),  # due today: not past it yet
    (-1, DueStatus.OVERDUE),
    (-400, DueStatus.OVERDUE),
])
def test_the_status_on_a_day_at_and_around_each_threshold(days_to_due: int, status: DueStatus) -> None:
    assert due_status(DUE, DUE - dt.timedelta(days=days_to_due)) == status


def test_without_a_due_date_an_assembly_is_untested() -> None:
    assert due_status(None, DUE) == DueStatus.UNTESTED

