"""The tenants directory: one global item per tenant, so operators list and search tenants without a Scan.

Every entry sits in one global collection on gsi1 (``G#TenantDirectory``, sorted by lowercased name then
id) and in its status's collection on gsi2 (``G#TenantDirectory#<status>``), so a name prefix search,
with or without a status filter, is one Query with exact pages. One partition per collection is fine
while tenants number in the tens of thousands (docs/operator.md).

The entry is a projection of the tenant item, written in every transaction that writes the tenant: its
version moves in step with the tenant's, so it is saved from the tenant just read, without a read of its own.
"""

from collections.abc import Iterator

from pynamodb.attributes import UnicodeAttribute

from atrium.identity.models import TenantItem
from atrium.kernel.store import keys
from atrium.kernel.store.models import GlobalEntity

DIRECTORY = "TenantDirectory"


class TenantDirectoryItem(GlobalEntity, discriminator=DIRECTORY):
    """``natural_key`` is the tenant id."""

    name = UnicodeAttribute()
    status = UnicodeAttribute()

    def assign_keys(self) -> None:
        super().assign_keys()
        sort_key = search_key(self.name) + "#" + self.natural_key
        self.gsi1pk, self.gsi1sk = keys.global_collection_pk(DIRECTORY), sort_key
        self.gsi2pk, self.gsi2sk = keys.global_collection_pk(DIRECTORY, self.status), sort_key


def search_key(name: str) -> str:
    """What a name prefix search compares: the name, lowercased."""
    return name.lower()


def directory_entry(tenant: TenantItem) -> TenantDirectoryItem:
    """The tenant's entry as the tenant stands, at the tenant's version (see the module docstring)."""
    entry = TenantDirectoryItem(natural_key=tenant.id, name=tenant.name, status=tenant.status,
                                created_at=tenant.created_at)
    if tenant.version is not None:  # a new tenant has none yet: its entry is created with it
        entry.version = tenant.version
    return entry


def tenant_ids() -> Iterator[str]:
    """Every tenant's id, from the directory (platform jobs that visit each tenant)."""
    for entry in TenantDirectoryItem.gsi1.query(keys.global_collection_pk(DIRECTORY)):
        if isinstance(entry, TenantDirectoryItem):
            yield entry.natural_key
