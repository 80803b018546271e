"""Deleting tenants when due, from the daily schedule: for each, its files (everything under ``tenants/<tenant>/``,
its backups too), its items (the walk of ``tenant_items``), its data keys last (``data_keys.destroy``: whatever
they encrypted and escaped, such as a copy of an old backup, stays unreadable), then the global items that point
at it (``global_items``); ``tenant.deleted`` is written in the platform's log. Counts are saved after each step,
for operators to follow; a run cut short leaves the deletion ``deleting``, and the next run takes it up again
(every step is repeatable). A tenant an operator reactivated meanwhile is not deleted: its deletion is cancelled.
"""

from datetime import datetime
from typing import Any

from atrium.compliance.offboarding.events import DELETED, TenantDeleted
from atrium.compliance.offboarding.global_items import forget_tenant
from atrium.compliance.offboarding.models import DELETION, PENDING, DeletionStatus, TenantDeletionItem
from atrium.compliance.tenant_items import delete_items, entity_of, tenant_items
from atrium.kernel import clock, files
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import data_keys, keys
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import PLATFORM_TENANT_ID, tenant_scope
from atrium.manifest import tenant_directory

SCHEDULER = Ref(type="service", id="compliance.tenant_deletions")


def run_deletions(at: datetime) -> dict[str, Any]:
    """Every deletion due by ``at`` (one Query), carried out."""
    due = TenantDeletionItem.gsi1.query(keys.global_collection_pk(DELETION, PENDING),
                                        TenantDeletionItem.gsi1sk <= f"{clock.iso(at)}~")
    deleted = cancelled = 0
    for deletion in due:
        if not isinstance(deletion, TenantDeletionItem):
            continue
        if deletion.status == DeletionStatus.SCHEDULED and not _still_held(deletion.natural_key):
            deletion.status, deletion.finished_at = DeletionStatus.CANCELLED, clock.now()
            deletion.save()
            cancelled += 1
            continue
        delete_tenant(deletion)
        deleted += 1
    return {"tenants_deleted": deleted, "deletions_cancelled": cancelled}


def _still_held(tenant_id: str) -> bool:
    with tenant_scope(tenant_id):
        return tenant_directory().held_for_deletion(tenant_id)


def delete_tenant(deletion: TenantDeletionItem) -> None:
    tenant_id = deletion.natural_key
    deletion.status = DeletionStatus.DELETING
    deletion.save()
    with tenant_scope(tenant_id):
        _step(deletion, "files", _delete_files(tenant_id))
        _step(deletion, "items", _delete_items(tenant_id))
        _step(deletion, "keys", data_keys.destroy(tenant_id))
    _step(deletion, "global_items", forget_tenant(tenant_id))
    deletion.status, deletion.finished_at = DeletionStatus.DELETED, clock.now()
    deletion.save()
    with tenant_scope(PLATFORM_TENANT_ID):
        uow = UnitOfWork(PLATFORM_TENANT_ID, SCHEDULER)
        uow.record(DELETED, subject=Ref(type="tenant", id=tenant_id),
                   data=TenantDeleted(tenant_id=tenant_id, **deletion.counted()).model_dump())
        uow.commit()


def _step(deletion: TenantDeletionItem, name: str, done: int) -> None:
    """A step's count, added to what runs cut short counted (the item is saved: operators follow it)."""
    deletion.counts = {**deletion.counted(), name: deletion.counted()[name] + done}
    deletion.save()


def _delete_files(tenant_id: str) -> int:
    found = list(files.keys_under(files.tenant_key(tenant_id, "")))
    files.delete(found)
    return len(found)


def _delete_items(tenant_id: str) -> int:
    """Every item but the data keys (destroyed last: until then, an interrupted deletion can still read)."""
    deleted, keys_type = 0, data_keys.DataKeysItem.type_name()
    for page in tenant_items(tenant_id):
        deleted += delete_items(tenant_id, [raw for raw in page if entity_of(raw) != keys_type])
    return deleted
