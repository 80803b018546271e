"""Backup schedules (``SCHEDULES``)."""

from atrium.compliance.backups.schedule import run_schedules
from atrium.kernel.events.schedules import ScheduleSpec
from atrium.kernel.grants import Grant

SCHEDULES = [
    ScheduleSpec(
        name="compliance.backup_schedules",
        expression="rate(1 day)",
        handler=run_schedules,
        description="Start each tenant's scheduled backup when due and delete its backups beyond the number kept.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.FILES_LIST, Grant.FILES_DELETE}),
        timeout_seconds=900,
    ),
]
