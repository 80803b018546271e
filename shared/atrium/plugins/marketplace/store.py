"""Reading listings and versions: one GetItem each, or one Query of a collection."""

from typing import Any

from atrium.kernel import ids
from atrium.kernel.errors import NotFound
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.pages import Page, fetch_page
from atrium.plugins.marketplace.models import (
    APPROVED,
    VERSIONS,
    ListingItem,
    ListingVersionItem,
    version_key,
)

# Global lists: their cursors are bound to this, not to a tenant.
CURSOR_SCOPE = "marketplace"


def listing(listing_id: str, *, consistent: bool = False) -> ListingItem:
    found = ListingItem.find(listing_id, consistent=consistent) if ids.is_valid_id(listing_id, "lst") else None
    if found is None:
        raise NotFound(f"plugin {listing_id} not found in the marketplace")
    return found


def version(listing_id: str, number: str, *, consistent: bool = False) -> ListingVersionItem:
    found = ListingVersionItem.find(version_key(listing_id, number), consistent=consistent)
    if found is None:
        raise NotFound(f"plugin {listing_id} has no version {number}")
    return found


def versions(listing_id: str, *, approved_only: bool) -> list[ListingVersionItem]:
    """Newest first (at most 100: older ones stay readable one by one)."""
    found = ListingVersionItem.gsi1.query(keys.global_collection_pk(VERSIONS, listing_id), scan_index_forward=False,
                                          limit=100)
    return [item for item in found if isinstance(item, ListingVersionItem)
            and (item.status == APPROVED or not approved_only)]


def page(index: Any, collection: str, *, limit: int, cursor: str | None, query: str) -> Page[Item]:
    def run_query(start: dict[str, Any] | None) -> Any:
        return index.query(collection, limit=limit, page_size=limit, last_evaluated_key=start)

    return fetch_page(run_query, cursor=cursor, tenant_id=CURSOR_SCOPE, query=query)
