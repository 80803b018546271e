"""A tenant's deletion: one global item per tenant, so it outlives the tenant's own items (operators follow it to
the end) and the daily schedule finds the pending ones in one Query (gsi1 ``G#TenantDeletion#pending``, by due
date)."""

from pynamodb.attributes import JSONAttribute, UnicodeAttribute, UTCDateTimeAttribute

from atrium.kernel import clock
from atrium.kernel.store import keys
from atrium.kernel.store.models import GlobalEntity

DELETION = "TenantDeletion"
PENDING = "pending"
COUNTED = ("items", "files", "keys", "global_items")


class DeletionStatus:
    SCHEDULED = "scheduled"  # in its grace period
    DELETING = "deleting"  # started; a run cut short is taken up by the next
    DELETED = "deleted"
    CANCELLED = "cancelled"


class TenantDeletionItem(GlobalEntity, discriminator=DELETION):
    """``natural_key`` is the tenant's id; ``counts`` what was deleted so far (items, files, keys, global items)."""

    status = UnicodeAttribute(default=DeletionStatus.SCHEDULED)
    requested_by = UnicodeAttribute()
    due_at = UTCDateTimeAttribute()
    final_backup_id = UnicodeAttribute()
    counts = JSONAttribute(default=dict)
    finished_at = UTCDateTimeAttribute(null=True)

    @property
    def pending(self) -> bool:
        return self.status in (DeletionStatus.SCHEDULED, DeletionStatus.DELETING)

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi1pk = keys.global_collection_pk(DELETION, PENDING) if self.pending else None
        self.gsi1sk = f"{clock.iso(self.due_at)}#{self.natural_key}" if self.pending else None

    def counted(self) -> dict[str, int]:
        return {name: int(self.counts.get(name, 0)) for name in COUNTED}
