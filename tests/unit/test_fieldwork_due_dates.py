import datetime as dt

import pytest

from atrium.apps.fieldwork.assemblies.due_dates import due_status, next_due
from atrium.apps.fieldwork.assemblies.models import AssemblyItem
from atrium.apps.fieldwork.assemblies.schemas import DueStatus, Reminder
from atrium.apps.fieldwork.reminders import series

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


def _assembly(last_reminder: Reminder | None, due: dt.date | None = DUE) -> AssemblyItem:
    return AssemblyItem(tenant_id="ten_1", id="asm_1", next_due_date=due and due.isoformat(),
                        last_reminder=last_reminder and last_reminder.value)


@pytest.mark.parametrize(("last_reminder", "days_to_due", "due_now"), [
    (None, 61, None),
    (None, 60, Reminder.DAYS_60),
    (None, 31, Reminder.DAYS_60),
    (Reminder.DAYS_60, 59, None),
    (Reminder.DAYS_60, 30, Reminder.DAYS_30),
    (Reminder.DAYS_30, 8, None),
    (Reminder.DAYS_30, 7, Reminder.DAYS_7),
    (Reminder.DAYS_30, 6, Reminder.DAYS_7),  # the 7-day day was missed: sent the day after
    (Reminder.DAYS_7, 0, None),  # due today: not overdue yet
    (Reminder.DAYS_7, -1, Reminder.OVERDUE),
    (Reminder.OVERDUE, -30, None),  # the last of the series
    (None, 20, Reminder.DAYS_30),  # passed the 60-day reminder: only the current one
    (None, -5, Reminder.OVERDUE),  # recorded overdue: the overdue reminder, not the three before it
    (Reminder.DAYS_60, -2, Reminder.OVERDUE),
])
def test_the_reminder_due_is_the_latest_unsent_whose_day_came(last_reminder: Reminder | None, days_to_due: int,
                                                              due_now: Reminder | None) -> None:
    assert series.reminder_due(_assembly(last_reminder), DUE - dt.timedelta(days=days_to_due)) == due_now


@pytest.mark.parametrize(("last_reminder", "next_on"), [
    (None, DUE - dt.timedelta(days=60)),
    (Reminder.DAYS_60, DUE - dt.timedelta(days=30)),
    (Reminder.DAYS_30, DUE - dt.timedelta(days=7)),
    (Reminder.DAYS_7, DUE + dt.timedelta(days=1)),
    (Reminder.OVERDUE, None),
])
def test_the_reminders_index_holds_the_day_of_the_next_reminder(last_reminder: Reminder | None,
                                                                next_on: dt.date | None) -> None:
    entries = series.index_entries(_assembly(last_reminder))
    assert [entry.on for entry in entries] == ([next_on.isoformat()] if next_on else [])


def test_an_untested_assembly_has_no_reminders() -> None:
    untested = _assembly(None, due=None)
    assert series.index_entries(untested) == [] and series.reminder_due(untested, DUE) is None
