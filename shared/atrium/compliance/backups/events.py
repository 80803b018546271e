"""Event types of tenant backups, in the tenant's log."""

from typing import Literal

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType

BACKUP_STARTED = "backups.backup_started"
RESTORE_STARTED = "backups.restore_started"
SCHEDULE_CHANGED = "backups.schedule_changed"
BACKUP_DELETED = "backups.backup_deleted"
READ_PERMISSION = "backups:read"


class BackupStarted(BaseModel):
    backup_id: str
    job_id: str
    trigger: Literal["manual", "scheduled", "final"]


class RestoreStarted(BaseModel):
    backup_id: str
    job_id: str
    target: Literal["new_tenant", "same_tenant_point_in_time"]
    new_tenant_id: str | None = None


class BackupDeleted(BaseModel):
    backup_id: str
    trigger: Literal["manual", "scheduled", "final"]


class ScheduleChanged(BaseModel):
    frequency: Literal["daily", "weekly"]
    keep: int


EVENT_TYPES = [
    EventType(BACKUP_STARTED, BackupStarted, "A backup of the tenant's items and files started (by a member or the "
                                             "tenant's schedule).", read_permission=READ_PERMISSION),
    EventType(RESTORE_STARTED, RestoreStarted, "A backup is being restored, into a new tenant or over this one.",
              read_permission=READ_PERMISSION),
    EventType(BACKUP_DELETED, BackupDeleted, "A backup was deleted by a member, its files with it.",
              read_permission=READ_PERMISSION),
    EventType(SCHEDULE_CHANGED, ScheduleChanged, "The tenant's backup schedule was set.",
              read_permission=READ_PERMISSION),
]
