"""What a listing's developer sees of its use: failed invocations in every tenant, and tenants that uninstalled it,
counted on the listing in place (``ListingItem.counted``) by the tenant's own request or consumer."""

from collections import Counter

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import UpdateError

from atrium.kernel.errors import Conflict
from atrium.kernel.observability import logger
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.plugins.hook_calls import PluginResult
from atrium.plugins.marketplace.models import ListingItem
from atrium.plugins.models import PluginItem

NOT_FAILURES = frozenset({"ok", "skipped"})
_GONE = Conflict("the plugin left the marketplace")


def count_failures(plugins: dict[str, PluginItem], results: list[PluginResult]) -> None:
    """Add the run's failures of listed plugins to their listings (an UpdateItem each; none when none failed): a
    count, not a change anyone answers for, so not audited. One that cannot be written is logged: it never fails the
    work the hook ran for."""
    failed = Counter(listing for result in results if result.outcome not in NOT_FAILURES
                     if (listing := plugins[result.plugin_id].listing_id))
    for listing_id, count in sorted(failed.items()):
        counted = ListingItem.counted(listing_id)
        counted.assign_keys()
        try:
            ListingItem._get_connection().update_item(counted.pk, range_key=counted.sk,
                                                      actions=[ListingItem.errors.add(count)],
                                                      condition=ListingItem.pk.exists())
        except (UpdateError, BotoCoreError, ClientError):
            logger.warning("listing failures not counted", extra={"listing_id": listing_id})


def count_uninstall(uow: UnitOfWork, plugin: PluginItem) -> None:
    """In ``uow``: one tenant less with a listed plugin installed."""
    if plugin.listing_id:
        uow.update(ListingItem.counted(plugin.listing_id), [ListingItem.active_installs.add(-1)],
                   condition=ListingItem.pk.exists(), conflict=_GONE)
