"""The reminders of one due date: 60, 30 and 7 days before it, and the day after it (the first day the assembly is
overdue). A new due date (a passed test) starts a new series.

Each reminder of a series is sent at most once: the one sent is kept on the assembly (``last_reminder``), and only
a later one can follow. A run sends the latest reminder whose day has come and skips the earlier ones it passed:
after a missed day (or an assembly recorded with its due date already near or past) the customer gets the one
reminder that is current, once, not a burst of stale ones.
"""

import datetime as dt

from atrium.apps.fieldwork.assemblies.due_dates import status_of
from atrium.apps.fieldwork.assemblies.models import AssemblyItem
from atrium.apps.fieldwork.assemblies.schemas import Reminder
from atrium.apps.fieldwork.reminders.models import ReminderItem
from atrium.kernel.store.projections import rewrite_projections
from atrium.kernel.store.unit_of_work import UnitOfWork

# Days from the due date to each reminder, in the order they are sent.
DAY_OF = {Reminder.DAYS_60: -60, Reminder.DAYS_30: -30, Reminder.DAYS_7: -7, Reminder.OVERDUE: 1}


def _unsent(assembly: AssemblyItem) -> list[tuple[Reminder, dt.date]]:
    """The reminders of the assembly's due date after the last one sent, with their days."""
    if assembly.next_due_date is None:
        return []
    due = dt.date.fromisoformat(assembly.next_due_date)
    order = list(DAY_OF)
    sent = order.index(Reminder(assembly.last_reminder)) + 1 if assembly.last_reminder else 0
    return [(reminder, due + dt.timedelta(days=DAY_OF[reminder])) for reminder in order[sent:]]


def reminder_due(assembly: AssemblyItem, today: dt.date) -> Reminder | None:
    """The latest unsent reminder whose day has come, if any."""
    return next((reminder for reminder, day in reversed(_unsent(assembly)) if day <= today), None)


def index_entries(assembly: AssemblyItem) -> list[ReminderItem]:
    """The assembly's entry in the reminders index: on the day of its next reminder; none after the last one."""
    return [ReminderItem.of(assembly, on=day.isoformat()) for _, day in _unsent(assembly)[:1]]


def move(uow: UnitOfWork, assembly: AssemblyItem, stored: ReminderItem | None, today: dt.date) -> None:
    """In ``uow``: the assembly's status as of ``today``, and its entry in the reminders index rewritten for its
    due date and last reminder as they now stand (``stored``: the entry as read, at its version)."""
    assembly.status = status_of(assembly.next_due_date, today).value
    rewrite_projections(uow, [stored] if stored else [], index_entries(assembly),
                        key=lambda entry: entry.assembly_id)


def start(uow: UnitOfWork, assembly: AssemblyItem, stored: ReminderItem | None, today: dt.date) -> None:
    """``move`` for a new due date: a new series, nothing of it sent yet."""
    assembly.last_reminder = None
    move(uow, assembly, stored, today)
