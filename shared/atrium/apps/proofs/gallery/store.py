"""Reading a gallery listing for a change and writing the change: the listing, its tag entries, the audit entry
and the event (in the acting tenant's log), in one transaction.

Listings are global items, so the data layer's tenant scope does not guard them: callers check the publisher
explicitly where only it may act. Every change reads the listing with its tag entries in one consistent Query and
saves them at the versions read, so a concurrent change (two tenants rating at once) fails the transaction and
is retried on fresh data (``retrying``).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from atrium.apps.proofs.gallery.models import LISTING, TAG, GalleryListingItem, GalleryTagItem
from atrium.apps.proofs.templates.presenters import listing_out
from atrium.kernel import ids
from atrium.kernel.errors import Conflict, NotFound, PreconditionFailed
from atrium.kernel.events.catalog import EventType
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.projections import rewrite_projections
from atrium.kernel.store.unit_of_work import UnitOfWork

T = TypeVar("T")
ATTEMPTS = 3
_CHANGE_RANGE = (keys.ENTITY_SK, f"{TAG}$")  # the listing, then its tag entries; ratings sort after


@dataclass
class ListingState:
    listing: GalleryListingItem
    entries: dict[str, GalleryTagItem] = field(default_factory=dict)


def not_found(listing_id: str) -> NotFound:
    return NotFound(f"gallery template {listing_id} not found")


def load(listing_id: str) -> GalleryListingItem:
    """A listed listing (an unlisted one is found by no one)."""
    listing = GalleryListingItem.find(listing_id) if ids.is_valid_id(listing_id, "gal") else None
    if listing is None or not listing.listed:
        raise not_found(listing_id)
    return listing


def load_for_change(listing_id: str, *, listed_only: bool = True) -> ListingState:
    if not ids.is_valid_id(listing_id, "gal"):
        raise not_found(listing_id)
    items = list(Item.query(keys.global_pk(LISTING, listing_id), Item.sk.between(*_CHANGE_RANGE),
                            consistent_read=True))
    listing = next((item for item in items if isinstance(item, GalleryListingItem)), None)
    if listing is None or (listed_only and not listing.listed):
        raise not_found(listing_id)
    return ListingState(listing, {entry.sk: entry for entry in items if isinstance(entry, GalleryTagItem)})


def subject(listing: GalleryListingItem) -> Ref:
    return Ref(type="gallery_template", id=listing.listing_id, name=listing.name)


def tag_entries(listing: GalleryListingItem) -> list[GalleryTagItem]:
    if not listing.listed:
        return []
    summary = listing_out(listing).model_dump(mode="json")
    return [GalleryTagItem(listing_id=listing.listing_id, tag=tag, name=listing.name, summary=summary)
            for tag in dict.fromkeys(listing.tags)]


def commit(uow: UnitOfWork, state: ListingState, event: EventType, data: dict[str, Any], *, new: bool = False,
           save: bool = True, also_affects: Sequence[Ref] = ()) -> None:
    """Write the listing as ``state.listing`` now stands (unless ``save`` is false: nothing about it changed) with
    its tag entries, and record ``event``; ``uow`` may already hold the change's other items."""
    if save:
        if new:
            uow.create(state.listing, conflict=Conflict("id collision; retry"))
        else:
            uow.save(state.listing)
        rewrite_projections(uow, state.entries.values(), tag_entries(state.listing), key=lambda entry: entry.tag)
    uow.record(event.name, subject=subject(state.listing), data=data, also_affects=also_affects)
    uow.commit()


def retrying(change: Callable[[], T]) -> T:
    """Run ``change`` (a read and a conditional write) again when another request changed the listing first."""
    for _ in range(ATTEMPTS - 1):
        try:
            return change()
        except PreconditionFailed:
            continue
    try:
        return change()
    except PreconditionFailed:
        raise Conflict("the gallery template kept changing; retry") from None
