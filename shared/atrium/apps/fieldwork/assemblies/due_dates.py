"""When an assembly is next due: its district's interval after its last passed test."""

import calendar
import datetime as dt


def next_due(last_test: dt.date, interval_months: int) -> dt.date:
    """``interval_months`` later, on the same day of the month or the month's last day (31 Jan + 1 month: 28 Feb)."""
    months = last_test.year * 12 + last_test.month - 1 + interval_months
    year, month = divmod(months, 12)
    month += 1
    return dt.date(year, month, min(last_test.day, calendar.monthrange(year, month)[1]))
