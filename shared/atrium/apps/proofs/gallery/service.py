"""The public template gallery: a tenant publishes a template version for every tenant to find (by name prefix
or tag), view, rate (1-5 stars, one rating per tenant, updatable; not its own) and import as a draft of its own.

Listings are global: the publisher is checked explicitly where only it may act, and what a listing holds is
chosen to be public (never default reviewers, who are the publisher's users). Each action is audited and emitted
in the acting tenant's log.
"""

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.condition import Condition

from atrium.apps.proofs.events import (
    GALLERY_TEMPLATE_IMPORTED,
    GALLERY_TEMPLATE_PUBLISHED,
    GALLERY_TEMPLATE_RATED,
    GALLERY_TEMPLATE_UNPUBLISHED,
    GalleryTemplateImported,
    GalleryTemplateRated,
)
from atrium.apps.proofs.gallery import store as gallery_store
from atrium.apps.proofs.gallery.models import LISTING, TAG, GalleryListingItem, GalleryRatingItem, GalleryTagItem
from atrium.apps.proofs.gallery.store import ListingState
from atrium.apps.proofs.templates import service as templates
from atrium.apps.proofs.templates import store as template_store
from atrium.apps.proofs.templates.models import TemplateItem, TemplateSnapshot
from atrium.apps.proofs.templates.presenters import listing_changed, listing_out, template_out
from atrium.apps.proofs.templates.schemas import (
    GalleryListingList,
    GalleryListingOut,
    GalleryPublish,
    TemplateBody,
    TemplateOut,
)
from atrium.identity.api import get_tenant
from atrium.kernel import ids
from atrium.kernel.errors import Conflict, Forbidden, NotFound, PreconditionFailed
from atrium.kernel.store import keys
from atrium.kernel.store.pages import fetch_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

PUBLIC_BODY = {"fields", "checklist"}  # what of a template's body other tenants see


def _template_and_snapshot(principal: Principal, template_id: str,
                           number: int | None) -> tuple[TemplateItem, TemplateSnapshot]:
    if number is not None:
        template, version = template_store.load_with_version(principal.tenant_id, template_id, number)
        return template, version.snapshot()
    template = template_store.load(principal.tenant_id, template_id, consistent=True)
    if template.published is None:
        raise Conflict("the template has no version in the library; publish one or name a version")
    published: TemplateSnapshot = template.published
    return template, published


def _own_listing(principal: Principal, template: TemplateItem) -> ListingState:
    """The template's listing (listed or not); another tenant's listing is refused whatever the template says."""
    assert template.gallery_listing_id is not None
    state = gallery_store.load_for_change(template.gallery_listing_id, listed_only=False)
    if state.listing.publisher_tenant_id != principal.tenant_id:
        raise Forbidden("only the tenant that published a gallery template may change it")
    return state


def publish(principal: Principal, template_id: str, body: GalleryPublish, info: RequestInfo) -> GalleryListingOut:
    """List a version publicly, or replace the listed version (ratings and imports stay with the listing)."""
    template, snapshot = _template_and_snapshot(principal, template_id, body.version)
    publisher_name = get_tenant(principal).body.name
    new = template.gallery_listing_id is None
    if new:
        template.gallery_listing_id = ids.new_id("gal")
        state = ListingState(GalleryListingItem(natural_key=template.gallery_listing_id,
                                                publisher_tenant_id=principal.tenant_id, template_id=template.id))
    else:
        state = _own_listing(principal, template)
    listing = state.listing
    source = snapshot["body"]
    listing.template_version, listing.name = snapshot["version"], snapshot["name"]
    listing.description, listing.tags = snapshot["description"], snapshot["tags"]
    listing.body = {key: value for key, value in source.items() if key in PUBLIC_BODY}
    listing.publisher_name, listing.listed = publisher_name, True
    template.in_gallery = True
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.save(template)
    gallery_store.commit(uow, state, GALLERY_TEMPLATE_PUBLISHED, listing_changed(listing).model_dump(), new=new,
                         also_affects=[template_store.subject(template)])
    return listing_out(listing)


def unpublish(principal: Principal, template_id: str, info: RequestInfo) -> None:
    template = template_store.load(principal.tenant_id, template_id, consistent=True)
    if not template.in_gallery:
        raise NotFound(f"template {template_id} is not in the gallery")
    state = _own_listing(principal, template)
    state.listing.listed = False
    template.in_gallery = False
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.save(template)
    gallery_store.commit(uow, state, GALLERY_TEMPLATE_UNPUBLISHED, listing_changed(state.listing).model_dump(),
                         also_affects=[template_store.subject(template)])


def list_listings(principal: Principal, *, q: str | None, tag: str | None, limit: int,
                  cursor: str | None) -> GalleryListingList:
    """By name (case-insensitive), optionally from a name prefix, within one tag or all: one Query per page."""
    prefix = q.strip().lower() if q else ""
    query = f"gallery:{tag or ''}:{prefix}"
    if tag:
        condition: Condition | None = GalleryTagItem.gsi1sk.startswith(prefix) if prefix else None
        by_tag = fetch_page(lambda start: GalleryTagItem.gsi1.query(
            keys.global_collection_pk(TAG, tag), condition, limit=limit, page_size=limit, last_evaluated_key=start),
            cursor=cursor, tenant_id=principal.tenant_id, query=query)
        return GalleryListingList(data=[GalleryListingOut.model_validate(e.summary) for e in by_tag.items
                                        if isinstance(e, GalleryTagItem)], next_cursor=by_tag.next_cursor)
    condition = GalleryListingItem.gsi1sk.startswith(prefix) if prefix else None
    page = fetch_page(lambda start: GalleryListingItem.gsi1.query(
        keys.global_collection_pk(LISTING), condition, limit=limit, page_size=limit, last_evaluated_key=start),
        cursor=cursor, tenant_id=principal.tenant_id, query=query)
    return GalleryListingList(data=[listing_out(item) for item in page.items if isinstance(item, GalleryListingItem)],
                              next_cursor=page.next_cursor)


def get_listing(listing_id: str) -> GalleryListingOut:
    return listing_out(gallery_store.load(listing_id))


def _rating(listing_id: str, tenant_id: str) -> GalleryRatingItem | None:
    key = GalleryRatingItem(listing_id=listing_id, rater_tenant_id=tenant_id)
    key.assign_keys()
    try:
        return GalleryRatingItem.get(key.pk, key.sk, consistent_read=True)
    except DoesNotExist:
        return None


def rate(principal: Principal, listing_id: str, stars: int, info: RequestInfo) -> GalleryListingOut:
    """The tenant's rating, replacing its previous one: the count grows only on the first."""
    def change() -> GalleryListingOut:
        state = gallery_store.load_for_change(listing_id)
        listing = state.listing
        if listing.publisher_tenant_id == principal.tenant_id:
            raise Conflict("a tenant cannot rate its own gallery template")
        rating = _rating(listing_id, principal.tenant_id)
        previous = None if rating is None else int(rating.stars)
        uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
        if rating is None:
            rating = GalleryRatingItem(listing_id=listing_id, rater_tenant_id=principal.tenant_id, stars=stars)
            uow.create(rating, conflict=PreconditionFailed("the tenant rated at the same time"))
            listing.rating_count = int(listing.rating_count) + 1
        else:
            rating.stars = stars
            uow.save(rating)
        listing.rating_sum = int(listing.rating_sum) + stars - (previous or 0)
        data = GalleryTemplateRated(**listing_changed(listing).model_dump(), stars=stars, previous_stars=previous)
        gallery_store.commit(uow, state, GALLERY_TEMPLATE_RATED, data.model_dump())
        return listing_out(listing)

    return gallery_store.retrying(change)


def import_listing(principal: Principal, listing_id: str, info: RequestInfo) -> tuple[TemplateOut, int]:
    """A new draft template of the caller's tenant from the listed snapshot (no default reviewers). Imports by
    the publisher itself are not counted."""
    def change() -> tuple[TemplateOut, int]:
        state = gallery_store.load_for_change(listing_id)
        listing = state.listing
        template = templates.new_template(
            principal.tenant_id, name=listing.name, description=listing.description, tags=list(listing.tags),
            body=TemplateBody.model_validate(listing.body), imported_from=listing_id)
        counted = listing.publisher_tenant_id != principal.tenant_id
        if counted:
            listing.import_count = int(listing.import_count) + 1
        uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
        uow.create(template, conflict=Conflict("id collision; retry"))
        data = GalleryTemplateImported(**listing_changed(listing).model_dump(), template_id=template.id)
        gallery_store.commit(uow, state, GALLERY_TEMPLATE_IMPORTED, data.model_dump(), save=counted,
                             also_affects=[template_store.subject(template)])
        return template_out(template), template.version or 0

    return gallery_store.retrying(change)
