"""When an assembly is next due (its district's interval after its last passed test), and its status on a day."""

import calendar
import datetime as dt

from atrium.apps.fieldwork.assemblies.schemas import DueStatus

DUE_SOON_DAYS = 60


def next_due(last_test: dt.date, interval_months: int) -> dt.date:
    """``interval_months`` later, on the same day of the month or the month's last day (31 Jan + 1 month: 28 Feb)."""
    months = last_test.year * 12 + last_test.month - 1 + interval_months
    year, month = divmod(months, 12)
    month += 1
    return dt.date(year, month, min(last_test.day, calendar.monthrange(year, month)[1]))


def due_status(next_due_date: dt.date | None, today: dt.date) -> DueStatus:
    """Untested without a due date; overdue the day after it; due soon from ``DUE_SOON_DAYS`` days before it to the
    day itself; compliant before that."""
    if next_due_date is None:
        return DueStatus.UNTESTED
    if today > next_due_date:
        return DueStatus.OVERDUE
    if today >= next_due_date - dt.timedelta(days=DUE_SOON_DAYS):
        return DueStatus.DUE_SOON
    return DueStatus.COMPLIANT


def status_of(next_due_date: str | None, today: dt.date) -> DueStatus:
    """``due_status`` of a stored (ISO) due date."""
    return due_status(None if next_due_date is None else dt.date.fromisoformat(next_due_date), today)
