"""Uninstalling a plugin: its item goes with the event ``plugin.uninstalled`` (audited) in one transaction, and a
consumer of that event purges what it left: its store (every key and its metrics, in pages of a Query and a
BatchWriteItem) and its module. A plugin being scanned is uninstalled once its job has decided (409 meanwhile)."""

from atrium.kernel import files
from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.store.models import Item
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of
from atrium.plugins import metrics  # noqa: F401 (its item type, which the purge reads back, is then known)
from atrium.plugins.catalog import load
from atrium.plugins.events import PLUGIN_UNINSTALLED, PluginUninstalled
from atrium.plugins.marketplace.counts import count_uninstall
from atrium.plugins.models import PendingUpgrade, PluginItem, PluginStatus, store_pk
from atrium.plugins.operations import count_operation


def module_keys(plugin: PluginItem) -> list[str]:
    pending = PendingUpgrade.of(plugin)
    return [key for key in (plugin.module_key, pending and pending.module_key) if key]


def uninstall(principal: Principal, plugin_id: str, info: RequestInfo) -> None:
    plugin = load(principal.tenant_id, plugin_id, consistent=True)
    if plugin.status == PluginStatus.SCANNING:
        raise Conflict(f"plugin {plugin_id} is being scanned (job {plugin.job_id}); uninstall it once it has finished")
    pending = PendingUpgrade.of(plugin)
    if pending is not None and pending.status == "scanning":
        raise Conflict(f"an upgrade of plugin {plugin_id} is being checked (job {pending.job_id}); uninstall it once "
                       "it has finished")
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    count_operation(uow)
    uow.discard(plugin)
    count_uninstall(uow, plugin)
    uow.record(PLUGIN_UNINSTALLED, subject=Ref(type="plugin", id=plugin.id),
               data=PluginUninstalled(plugin_id=plugin.id, name=plugin.name,
                                      module_keys=module_keys(plugin)).model_dump())
    uow.commit()


def purge(event: Envelope) -> None:
    """The consumer: the uninstalled plugin's store and module (a repeat finds nothing left)."""
    uninstalled = PluginUninstalled.model_validate(event.data)
    partition = store_pk(event.tenant_id, uninstalled.plugin_id)
    while found := list(Item.query(partition, limit=100, consistent_read=True)):  # its values and metrics
        with Item.batch_write() as batch:
            for item in found:
                batch.delete(item)
    files.delete(uninstalled.module_keys)
