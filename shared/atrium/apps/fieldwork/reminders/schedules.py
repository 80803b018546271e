"""Fieldwork schedules (``SCHEDULES``)."""

from atrium.apps.fieldwork.reminders.job import remind_due_assemblies
from atrium.kernel.events.schedules import ScheduleSpec
from atrium.kernel.grants import Grant

SCHEDULES = [
    ScheduleSpec(
        name="fieldwork.remind_due_assemblies",
        expression="rate(1 day)",
        handler=remind_due_assemblies,
        description="Move assemblies' stored due status and remind their customers 60, 30 and 7 days before the due "
                    "date and the day it is overdue (each reminder once).",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE}),
        timeout_seconds=900,
    ),
]
