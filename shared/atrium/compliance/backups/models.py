"""A tenant's backups (one item each, listed newest first in the tenant's collection) and its backup schedule."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from atrium.kernel.store.models import TenantEntity

SCHEDULE_ID = "schedule"


class BackupStatus:
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # its job's last attempt failed (``error``); retrying the job starts it over


class BackupItem(TenantEntity, discriminator="Backup"):
    """``entities`` maps each type to its item count; the manifest in the bucket holds the rest."""

    status = UnicodeAttribute(default=BackupStatus.RUNNING)
    trigger = UnicodeAttribute()  # manual | scheduled | final (when the tenant's deletion was requested)
    job_id = UnicodeAttribute()
    created_by = UnicodeAttribute()
    items = NumberAttribute(default=0)
    files = NumberAttribute(default=0)
    bytes = NumberAttribute(default=0)
    entities = JSONAttribute(default=dict)
    manifest_sha256 = UnicodeAttribute(null=True)
    export_sha256 = UnicodeAttribute(null=True)  # the final backup's readable copy (``readable``)
    finished_at = UTCDateTimeAttribute(null=True)
    error = UnicodeAttribute(null=True)


class BackupScheduleItem(TenantEntity, discriminator="BackupSchedule"):
    """``id`` is always ``schedule``; ``last_started_at`` is when the schedule last started a backup."""

    frequency = UnicodeAttribute()  # daily | weekly
    keep = NumberAttribute()
    last_started_at = UTCDateTimeAttribute(null=True)
