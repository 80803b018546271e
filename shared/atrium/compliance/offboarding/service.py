"""The owner's side of a tenant's deletion: ask for it (the tenant is suspended for its deletion, a final backup
is written, with a readable copy to download), read it, cancel it within the grace period (the tenant is active
again; nothing was deleted)."""

from datetime import timedelta

from atrium.compliance.backups import snapshot
from atrium.compliance.backups.models import BackupStatus
from atrium.compliance.backups.readable import EXPORT
from atrium.compliance.backups.snapshot import start_backup
from atrium.compliance.offboarding.events import (
    DELETION_CANCELLED,
    DELETION_REQUESTED,
    DeletionCancelled,
    DeletionRequested,
)
from atrium.compliance.offboarding.models import DeletionStatus, TenantDeletionItem
from atrium.compliance.offboarding.schemas import DeletionCounts, DeletionOut
from atrium.kernel import clock, files
from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of
from atrium.manifest import tenant_directory


def request_deletion(principal: Principal, info: RequestInfo) -> DeletionOut:
    tenant_id = principal.tenant_id
    found = TenantDeletionItem.find(tenant_id, consistent=True)
    requested_already = Conflict("the tenant's deletion is requested already")
    if found is not None and found.pending:
        raise requested_already
    uow = UnitOfWork(tenant_id, actor_of(principal), info)
    tenant_directory().hold_for_deletion(uow, True)
    backup = start_backup(uow, "final")
    deletion = TenantDeletionItem(natural_key=tenant_id, requested_by=principal.id, final_backup_id=backup.id,
                                  due_at=clock.now() + timedelta(days=settings().tenant_deletion_grace_days))
    if found is None:
        uow.create(deletion, conflict=requested_already)
    else:  # an earlier deletion, cancelled: this one replaces it
        deletion.version = found.version
        uow.save(deletion)
    uow.record(DELETION_REQUESTED, subject=Ref(type="tenant", id=tenant_id), data=DeletionRequested(
        tenant_id=tenant_id, due_at=clock.iso(deletion.due_at), final_backup_id=backup.id).model_dump())
    uow.commit()
    return deletion_out(deletion)


def read_deletion(tenant_id: str) -> DeletionOut:
    return deletion_out(_found(tenant_id))


def cancel_deletion(principal: Principal, info: RequestInfo) -> DeletionOut:
    tenant_id = principal.tenant_id
    deletion = _found(tenant_id, consistent=True)
    if deletion.status != DeletionStatus.SCHEDULED:
        raise Conflict(f"the tenant's deletion is {deletion.status}: only a scheduled one can be cancelled")
    uow = UnitOfWork(tenant_id, actor_of(principal), info)
    tenant_directory().hold_for_deletion(uow, False)
    deletion.status, deletion.finished_at = DeletionStatus.CANCELLED, clock.now()
    uow.save(deletion)
    uow.record(DELETION_CANCELLED, subject=Ref(type="tenant", id=tenant_id),
               data=DeletionCancelled(tenant_id=tenant_id).model_dump())
    uow.commit()
    return deletion_out(deletion)


def export_url(tenant_id: str) -> str:
    """A fresh URL of the final backup's readable copy (``backups.readable``)."""
    deletion = _found(tenant_id)
    backup = snapshot.load(tenant_id, deletion.final_backup_id)
    if backup.status == BackupStatus.FAILED:
        raise Conflict(f"the final backup failed ({backup.error}): retry its job (POST /v1/jobs/{backup.job_id}/retry)"
                       " to write it and its export again")
    if backup.export_sha256 is None:
        raise Conflict("the final backup is being written: its export can be downloaded once it has succeeded "
                       f"(GET /v1/backups/{backup.id})")
    return files.download_url(snapshot.backup_prefix(tenant_id, backup.id) + EXPORT,
                              filename=f"{tenant_id}-export.zip")


def deletion_out(deletion: TenantDeletionItem) -> DeletionOut:
    return DeletionOut(tenant_id=deletion.natural_key, status=deletion.status, requested_by=deletion.requested_by,
                       requested_at=clock.iso(deletion.created_at), due_at=clock.iso(deletion.due_at),
                       final_backup_id=deletion.final_backup_id, counts=DeletionCounts(**deletion.counted()),
                       finished_at=clock.iso(deletion.finished_at) if deletion.finished_at else None)


def _found(tenant_id: str, *, consistent: bool = False) -> TenantDeletionItem:
    deletion = TenantDeletionItem.find(tenant_id, consistent=consistent)
    if deletion is None:
        raise NotFound("the tenant's deletion was never requested")
    return deletion

