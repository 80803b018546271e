"""A tenant's backup schedule (daily or weekly, keep N), applied by a daily platform schedule: it starts each
tenant's due backup and deletes its backups beyond the newest N (their files, then their items)."""

from datetime import datetime, timedelta
from typing import Any

from atrium.compliance.backups.events import SCHEDULE_CHANGED, ScheduleChanged
from atrium.compliance.backups.models import SCHEDULE_ID, BackupItem, BackupScheduleItem, BackupStatus
from atrium.compliance.backups.removal import remove_files
from atrium.compliance.backups.schemas import ScheduleBody, ScheduleOut
from atrium.compliance.backups.snapshot import start_backup
from atrium.kernel.errors import NotFound, PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import keys
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of, tenant_scope
from atrium.manifest import tenant_directory

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
# A daily run finds a backup started a little less than a period ago due (runs drift by minutes).
SLACK = timedelta(hours=1)
SCHEDULER = Ref(type="service", id="compliance.backup_schedules")


def _stored(tenant_id: str) -> BackupScheduleItem | None:
    try:
        return BackupScheduleItem.load(tenant_id, SCHEDULE_ID, consistent=True)
    except NotFound:
        return None


def read(tenant_id: str) -> tuple[ScheduleOut, int]:
    """The schedule (nulls: none set) and the version to send in If-Match (0 until one is set)."""
    item = _stored(tenant_id)
    if item is None:
        return ScheduleOut(frequency=None, keep=None), 0
    return ScheduleOut(frequency=item.frequency, keep=int(item.keep)), int(item.version or 0)


def change(principal: Principal, wanted: ScheduleBody, expected_version: int, info: RequestInfo) -> int:
    item = _stored(principal.tenant_id)
    stale = PreconditionFailed("the backup schedule was changed by another request")
    if (int(item.version or 0) if item else 0) != expected_version:
        raise stale
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    if item is None:
        item = BackupScheduleItem(tenant_id=principal.tenant_id, id=SCHEDULE_ID, frequency=wanted.frequency,
                                  keep=wanted.keep)
        uow.create(item, conflict=stale)
    else:
        item.frequency, item.keep = wanted.frequency, wanted.keep
        uow.save(item)
    uow.record(SCHEDULE_CHANGED, subject=Ref(type="backup_schedule", id=principal.tenant_id),
               data=ScheduleChanged(frequency=wanted.frequency, keep=wanted.keep).model_dump())
    uow.commit()
    return int(item.version or 0)


def run_schedules(at: datetime) -> dict[str, Any]:
    """For every tenant with a schedule: start its backup when due, and prune beyond its ``keep``."""
    started = pruned = 0
    for tenant_id in tenant_directory().tenant_ids():
        with tenant_scope(tenant_id):
            item = _stored(tenant_id)
            if item is None:
                continue
            pruned += prune(tenant_id, int(item.keep))
            last = item.last_started_at
            if last is None or at - last >= PERIODS[item.frequency] - SLACK:
                uow = UnitOfWork(tenant_id, SCHEDULER)
                start_backup(uow, "scheduled")
                item.last_started_at = at
                uow.save(item)
                uow.commit()
                started += 1
    return {"backups_started": started, "backups_pruned": pruned}


def prune(tenant_id: str, keep: int) -> int:
    """Delete the tenant's finished backups beyond the newest ``keep`` (one Query, newest first): how many."""
    newest_first = BackupItem.gsi1.query(keys.collection_pk(tenant_id, BackupItem.type_name()),
                                         scan_index_forward=False)
    finished = [backup for backup in newest_first
                if isinstance(backup, BackupItem) and backup.status == BackupStatus.SUCCEEDED]
    for backup in finished[keep:]:
        _delete(tenant_id, backup)
    return max(0, len(finished) - keep)


def _delete(tenant_id: str, backup: BackupItem) -> None:
    remove_files(tenant_id, backup)
    backup.delete()
