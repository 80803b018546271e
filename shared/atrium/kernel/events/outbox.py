"""The outbox item: a domain event written in the same transaction as the change.

The table stream carries it to the relay, which puts it on the bus. Outbox items expire
after a week; by then the relay has long published them. An event names and copies personal data (a customer's
name, a changed address), so its envelope is a personal attribute: the table and its stream hold it as ciphertext
under the tenant's data key, and the relay opens it before the bus (docs/encryption.md).
"""

from pynamodb.attributes import UnicodeAttribute

from atrium.kernel.events.envelope import Envelope
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, expires_in
from atrium.kernel.store.protection import personal

OUTBOX_ENTITY = "Outbox"
OUTBOX_RETENTION_SECONDS = 7 * 24 * 3600


class OutboxItem(Item, discriminator=OUTBOX_ENTITY):
    tenant_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    event_type = UnicodeAttribute()
    envelope = personal(UnicodeAttribute())

    def assign_keys(self) -> None:
        self.pk = keys.entity_pk(self.tenant_id, OUTBOX_ENTITY, self.event_id)

    @classmethod
    def of(cls, envelope: Envelope) -> "OutboxItem":
        return cls(
            tenant_id=envelope.tenant_id,
            event_id=envelope.id,
            event_type=envelope.type,
            envelope=envelope.model_dump_json(),
            expires_at=expires_in(OUTBOX_RETENTION_SECONDS),
        )
