"""The audit entry item, written by the unit of work beside every change it records.

Entries are listed per tenant in daily buckets (gsi1) so a busy tenant spreads its writes.
"""

from pynamodb.attributes import MapAttribute, UnicodeAttribute

from atrium.kernel.store import keys
from atrium.kernel.store.models import Item

AUDIT_ENTITY = "Audit"


class AuditItem(Item, discriminator=AUDIT_ENTITY):
    tenant_id = UnicodeAttribute()
    id = UnicodeAttribute()
    action = UnicodeAttribute()
    outcome = UnicodeAttribute(default="success")
    actor_type = UnicodeAttribute()
    actor_id = UnicodeAttribute()
    target_type = UnicodeAttribute()
    target_id = UnicodeAttribute()
    context = MapAttribute[str, str](default=dict)  # type: ignore[no-untyped-call]
    metadata = MapAttribute[str, object](default=dict)  # type: ignore[no-untyped-call]

    def assign_keys(self) -> None:
        self.pk = keys.entity_pk(self.tenant_id, AUDIT_ENTITY, self.id)
        day = self.created_at.strftime("%Y-%m-%d")
        self.gsi1pk = keys.bucketed_collection_pk(self.tenant_id, AUDIT_ENTITY, day)
        self.gsi1sk = self.id
