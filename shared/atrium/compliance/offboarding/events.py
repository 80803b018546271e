"""Event types of tenant deletion: requested and cancelled in the tenant's log; done in the platform's (the
tenant's own log is gone by then)."""

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType
from atrium.kernel.permissions import TENANT_READ

DELETION_REQUESTED = "tenant.deletion_requested"
DELETION_CANCELLED = "tenant.deletion_cancelled"
DELETED = "tenant.deleted"


class DeletionRequested(BaseModel):
    tenant_id: str
    due_at: str
    final_backup_id: str


class DeletionCancelled(BaseModel):
    tenant_id: str


class TenantDeleted(BaseModel):
    tenant_id: str
    items: int
    files: int
    keys: int
    global_items: int


EVENT_TYPES = [
    EventType(DELETION_REQUESTED, DeletionRequested, "The owner asked for the tenant's deletion: it is suspended "
              "until it is deleted at due_at, and a final backup is being written.", read_permission=TENANT_READ),
    EventType(DELETION_CANCELLED, DeletionCancelled, "The owner cancelled the tenant's deletion: it is active again.",
              read_permission=TENANT_READ),
    EventType(DELETED, TenantDeleted, "A tenant was deleted: its items, files and data keys, and the global items "
              "that pointed at it (in the platform's log).", read_permission=TENANT_READ),
]
