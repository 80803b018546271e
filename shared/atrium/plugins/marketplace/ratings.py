"""Ratings and written reviews of a listed plugin, by tenants that installed it from the marketplace: one per
tenant (a new one replaces it), its stars summed on the listing in the same transaction, so the mean is read with
the listing. The text is the tenant's: shown without naming the tenant or who wrote it."""

from atrium.kernel import clock
from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import keys
from atrium.kernel.store.pages import collection_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of
from atrium.plugins.marketplace import store
from atrium.plugins.marketplace.browse import listed
from atrium.plugins.marketplace.models import ListingItem, RatingItem
from atrium.plugins.marketplace.schemas import RatingIn, RatingOut, RatingPage
from atrium.plugins.models import PluginItem


def _installed_it(tenant_id: str, listing_id: str) -> bool:
    page = collection_page(PluginItem, tenant_id, limit=100, cursor=None, query="plugins")
    return any(plugin.listing_id == listing_id for plugin in page.items)


def rate(principal: Principal, listing_id: str, body: RatingIn, info: RequestInfo) -> RatingOut:
    listing = listed(listing_id)
    if not _installed_it(principal.tenant_id, listing.id):
        raise Conflict("only a tenant that installed a plugin from the marketplace rates it")
    natural_key = f"{listing.id}#{principal.tenant_id}"
    before = RatingItem.find(natural_key, consistent=True)
    rating = before or RatingItem(natural_key=natural_key, listing_id=listing.id, tenant_id=principal.tenant_id,
                                  stars=body.stars, rated_by=principal.id)
    previous = int(before.stars) if before else 0
    rating.stars, rating.text, rating.rated_by, rating.updated_at = body.stars, body.text, principal.id, clock.now()
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.save(rating)
    uow.update(ListingItem.counted(listing.id), [ListingItem.rating_sum.add(body.stars - previous),
                ListingItem.rating_count.add(0 if before else 1)],
               condition=ListingItem.pk.exists(), conflict=Conflict("the plugin left the marketplace"))
    uow.record("marketplace.plugin_rated", subject=Ref(type="plugin_listing", id=listing.id),
               data={"stars": body.stars}, emit=False)
    uow.commit()
    return RatingOut(stars=body.stars, text=body.text, rated_at=clock.iso(rating.updated_at))


def ratings(listing_id: str, *, limit: int, cursor: str | None) -> RatingPage:
    listing = listed(listing_id)
    page = store.page(RatingItem.gsi1, keys.global_collection_pk("PluginRatings", listing.id), limit=limit,
                      cursor=cursor, query=f"ratings={listing.id}")
    return RatingPage(data=[RatingOut(stars=int(item.stars), text=item.text, rated_at=clock.iso(item.updated_at))
                            for item in page.items if isinstance(item, RatingItem)], next_cursor=page.next_cursor)
