"""The daily run that deletes tenants when due (``SCHEDULES``)."""

from atrium.compliance.offboarding.deletion import run_deletions
from atrium.kernel.events.schedules import ScheduleSpec
from atrium.kernel.grants import Grant

SCHEDULES = [
    ScheduleSpec(
        name="compliance.tenant_deletions",
        expression="rate(1 day)",
        handler=run_deletions,
        description="Delete each tenant whose deletion is due: its files, items and data keys, and the global items "
                    "that point at it.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.TABLE_SCAN, Grant.FILES_LIST,
                          Grant.FILES_DELETE}),
        timeout_seconds=900,
    ),
]
