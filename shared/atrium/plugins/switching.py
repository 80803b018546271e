"""Loading and unloading an installed plugin: an unloaded plugin keeps its store, config and permissions, and no
hook runs it. Each switch is a plugin operation (counted), audited and emitted (``plugin.loaded``,
``plugin.unloaded``); asking for the state it is in already changes nothing and counts nothing."""

from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of
from atrium.plugins.catalog import load
from atrium.plugins.events import PLUGIN_LOADED, PLUGIN_UNLOADED, PluginSwitched
from atrium.plugins.models import PluginItem, PluginStatus
from atrium.plugins.operations import count_operation


def switch(principal: Principal, plugin_id: str, *, loaded: bool, info: RequestInfo) -> PluginItem:
    plugin = load(principal.tenant_id, plugin_id, consistent=True)
    if plugin.status != PluginStatus.INSTALLED:
        raise Conflict(f"plugin {plugin_id} is {plugin.status}: only an installed plugin is loaded or unloaded")
    if plugin.loaded == loaded:
        return plugin
    plugin.loaded = loaded
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    count_operation(uow)
    uow.save(plugin)
    uow.record(PLUGIN_LOADED if loaded else PLUGIN_UNLOADED, subject=Ref(type="plugin", id=plugin.id),
               data=PluginSwitched(plugin_id=plugin.id, name=plugin.name).model_dump())
    uow.commit()
    return plugin
