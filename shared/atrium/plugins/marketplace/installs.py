"""Installing a listed plugin: an approved version (the latest by default), its manifest's permissions granted by
the caller, its module checked and scanned again by the install job (against the tenant's grant) and copied to the
tenant's plugins; the listing's install count rises in the same transaction."""

from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of
from atrium.plugins.installs import check_hooks, new_plugin, queue_install
from atrium.plugins.marketplace import store
from atrium.plugins.marketplace.browse import listed
from atrium.plugins.marketplace.models import APPROVED, ListingItem
from atrium.plugins.marketplace.presenters import manifest_of
from atrium.plugins.models import PluginItem


def install_listed(principal: Principal, listing_id: str, number: str | None, info: RequestInfo) -> PluginItem:
    listing = listed(listing_id)
    version = store.version(listing.id, number or str(listing.latest_version))
    if version.status != APPROVED or version.module_key is None:
        raise NotFound(f"plugin {listing_id} has no approved version {number}")
    manifest = manifest_of(version)
    check_hooks(manifest.hooks)  # a hook the catalog no longer has
    plugin = new_plugin(principal, manifest, upload_key=version.module_key, sha256=version.sha256,
                        size=int(version.size), listing_id=listing.id)  # its limits, its manifest's
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    queue_install(uow, plugin)
    uow.update(ListingItem.counted(listing.id), [ListingItem.installs.add(1), ListingItem.active_installs.add(1)],
               condition=ListingItem.pk.exists(), conflict=Conflict("the plugin left the marketplace"))
    uow.commit()
    return plugin
