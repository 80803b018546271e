"""The tenants' side: listed plugins (those with an approved version) found by name or description, type and
permission; the featured ones; one with its approved versions; a version's module to download (presigned, with its
SHA-256). A search reads the listings in name order, a page at a time, and keeps those that match, so a page may
hold fewer than ``limit``: follow ``next_cursor``."""

from atrium.kernel import files
from atrium.kernel.errors import NotFound
from atrium.kernel.store import keys
from atrium.plugins.marketplace import store
from atrium.plugins.marketplace.models import APPROVED, FEATURED, LISTINGS, ListingItem
from atrium.plugins.marketplace.presenters import listing_detail, listing_out
from atrium.plugins.marketplace.schemas import Download, ListingDetail, ListingPage


def _matches(listing: ListingItem, q: str, type_: str | None, permission: str | None) -> bool:
    text = f"{listing.name} {listing.description}".lower()
    return (listing.latest_version is not None and (not q or q.lower() in text)
            and (type_ is None or listing.type == type_) and (permission is None or permission in listing.permissions))


def search(*, q: str, type_: str | None, permission: str | None, featured: bool, limit: int,
           cursor: str | None) -> ListingPage:
    index, collection = (ListingItem.gsi2, FEATURED) if featured else (ListingItem.gsi1, LISTINGS)
    page = store.page(index, keys.global_collection_pk(collection), limit=limit, cursor=cursor,
                      query=f"{collection}&q={q}&type={type_}&permission={permission}")
    return ListingPage(data=[listing_out(item) for item in page.items
                             if isinstance(item, ListingItem) and _matches(item, q, type_, permission)],
                       next_cursor=page.next_cursor)


def listed(listing_id: str) -> ListingItem:
    listing = store.listing(listing_id)
    if listing.latest_version is None:
        raise NotFound(f"plugin {listing_id} not found in the marketplace")
    return listing


def detail(listing_id: str) -> ListingDetail:
    listing = listed(listing_id)
    return listing_detail(listing, store.versions(listing.id, approved_only=True), reviewed=False)


def download(listing_id: str, number: str) -> Download:
    listing = listed(listing_id)
    version = store.version(listing.id, number)
    if version.status != APPROVED or version.module_key is None:
        raise NotFound(f"plugin {listing_id} has no approved version {number}")
    return Download(url=files.download_url(version.module_key, filename=f"{listing.name}-{number}.wasm"),
                    sha256=version.sha256, size=int(version.size))
