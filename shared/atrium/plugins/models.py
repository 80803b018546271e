"""A plugin's own key-value store: one item per key of an installed plugin, in its tenant's partition
(``T#<tenant>#PluginStore#<plugin id>``, sort key ``K#<key>``). The value is sealed under the tenant's data key
(``secret``): a plugin may store anything, and it is never part of an export."""

from pynamodb.attributes import UnicodeAttribute

from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.protection import secret

STORE = "PluginStore"


class PluginValueItem(Item, discriminator="PluginValue"):
    tenant_id = UnicodeAttribute()
    plugin_id = UnicodeAttribute()
    key = UnicodeAttribute()
    value = secret(UnicodeAttribute())  # JSON

    def assign_keys(self) -> None:
        self.pk = store_pk(self.tenant_id, self.plugin_id)
        self.sk = f"K#{self.key}"


def store_pk(tenant_id: str, plugin_id: str) -> str:
    return keys.entity_pk(tenant_id, STORE, plugin_id)
