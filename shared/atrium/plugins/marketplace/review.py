"""The operators' side: versions waiting for review (oldest first), approved or rejected with notes, and the
marks a listing carries (``verified``, ``trusted``, ``featured``). Only approved versions are listed; a listing's
``latest_version`` is its newest approved one, and it shows that version's permissions. Audited in the platform's
log. A listing is changed in place (its counters move with every install and rating), never saved whole."""

from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import keys
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import PLATFORM_TENANT_ID, Principal, tenant_scope
from atrium.plugins.marketplace import store
from atrium.plugins.marketplace.models import (
    APPROVED,
    PENDING_REVIEW,
    REJECTED,
    REVIEWS,
    ListingItem,
    ListingVersionItem,
    version_order,
)
from atrium.plugins.marketplace.presenters import manifest_of, version_out
from atrium.plugins.marketplace.schemas import ListingMarks, VersionPage


def waiting(*, limit: int, cursor: str | None) -> VersionPage:
    page = store.page(ListingVersionItem.gsi2, keys.global_collection_pk(REVIEWS), limit=limit, cursor=cursor,
                      query="reviews")
    return VersionPage(data=[version_out(item) for item in page.items if isinstance(item, ListingVersionItem)],
                       next_cursor=page.next_cursor)


def _uow(operator: Principal, info: RequestInfo) -> UnitOfWork:
    return UnitOfWork(PLATFORM_TENANT_ID, Ref(type="operator", id=operator.id, name=operator.name), info)


def decide(operator: Principal, listing_id: str, number: str, *, approve: bool, notes: str,
           info: RequestInfo) -> ListingVersionItem:
    listing = store.listing(listing_id, consistent=True)
    version = store.version(listing_id, number, consistent=True)
    if version.status != PENDING_REVIEW:
        raise Conflict(f"version {number} of plugin {listing_id} is {version.status}, not waiting for review")
    version.status, version.review_notes, version.reviewed_by = (APPROVED if approve else REJECTED), notes, operator.id
    with tenant_scope(PLATFORM_TENANT_ID):
        uow = _uow(operator, info)
        if approve and (listing.latest_version is None
                        or version_order(number) > version_order(listing.latest_version)):
            uow.update(listing, [ListingItem.latest_version.set(number),
                                 ListingItem.permissions.set(list(manifest_of(version).permissions))],
                       condition=ListingItem.pk.exists(), conflict=Conflict("the listing is gone"))
        uow.save(version)
        uow.record(f"marketplace.version_{version.status}", subject=Ref(type="plugin_listing", id=listing.id),
                   data={"version": number, "notes": notes}, emit=False)
        uow.commit()
    return version


def mark(operator: Principal, listing_id: str, marks: ListingMarks, info: RequestInfo) -> ListingItem:
    listing = store.listing(listing_id, consistent=True)
    listing.verified, listing.trusted, listing.featured = marks.verified, marks.trusted, marks.featured
    listing.assign_keys()  # in or out of the featured collection
    featured = ([ListingItem.gsi2pk.set(listing.gsi2pk), ListingItem.gsi2sk.set(listing.gsi2sk)] if marks.featured
                else [ListingItem.gsi2pk.remove(), ListingItem.gsi2sk.remove()])
    with tenant_scope(PLATFORM_TENANT_ID):
        uow = _uow(operator, info)
        # In place: a whole-item save could write back counters an install or a rating just moved.
        uow.update(listing, [ListingItem.verified.set(marks.verified), ListingItem.trusted.set(marks.trusted),
                             ListingItem.featured.set(marks.featured), *featured],
                   condition=ListingItem.pk.exists(), conflict=Conflict("the listing is gone"))
        uow.record("marketplace.listing_marked", subject=Ref(type="plugin_listing", id=listing.id),
                   data=marks.model_dump(), emit=False)
        uow.commit()
    return listing
