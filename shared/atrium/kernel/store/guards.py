"""Uniqueness guards: an item whose key is the unique value, created in the same
transaction as the entity that claims it, so two claims of one value cannot both commit."""

from pynamodb.attributes import UnicodeAttribute

from atrium.kernel.store import keys
from atrium.kernel.store.models import Item

GUARD_ENTITY = "Unique"


class UniqueValue(Item, discriminator=GUARD_ENTITY):
    """``value`` of ``field`` is taken in ``tenant_id`` by the entity ``owner_id``."""

    tenant_id = UnicodeAttribute()
    field = UnicodeAttribute()
    value = UnicodeAttribute()
    owner_id = UnicodeAttribute()

    def assign_keys(self) -> None:
        self.pk = keys.unique_pk(self.tenant_id, self.field, self.value)
