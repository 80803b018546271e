"""Deleting a backup: every object under its prefix (parts, files, manifest, a final backup's readable export),
then its item. A member deletes one (audited, ``backups.backup_deleted``); the schedule prunes the oldest."""

from atrium.compliance.backups.events import BACKUP_DELETED, BackupDeleted
from atrium.compliance.backups.models import BackupItem, BackupStatus
from atrium.compliance.backups.snapshot import backup_prefix, load
from atrium.kernel import files
from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of


def delete_backup(principal: Principal, backup_id: str, info: RequestInfo) -> None:
    """409 while its job writes it. (While the tenant's deletion is pending, the tenant is held and this route
    refused, so its final backup stays for the owners to take its export.)"""
    backup = load(principal.tenant_id, backup_id, consistent=True)
    if backup.status == BackupStatus.RUNNING:
        raise Conflict(f"backup {backup_id} is being written (job {backup.job_id}); delete it once it has finished")
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.discard(backup)
    uow.record(BACKUP_DELETED, subject=Ref(type="backup", id=backup.id),
               data=BackupDeleted(backup_id=backup.id, trigger=backup.trigger).model_dump())
    remove_files(principal.tenant_id, backup)
    uow.commit()


def remove_files(tenant_id: str, backup: BackupItem) -> None:
    """Its objects, all of them (a failed job's parts too). Before its item goes: a retry finds the item again."""
    files.delete(list(files.keys_under(backup_prefix(tenant_id, backup.id))))
