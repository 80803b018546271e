"""The plugins context's permissions and event types (in the tenant's log)."""

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType

READ_PERMISSION, MANAGE_PERMISSION = "plugins:read", "plugins:manage"
PLUGIN_INSTALLED, PLUGIN_REJECTED, PLUGIN_UNINSTALLED = "plugin.installed", "plugin.rejected", "plugin.uninstalled"
UPLOAD_REQUESTED = "plugin.upload_requested"  # audited, not an event: nothing has changed yet


class PluginInstalled(BaseModel):
    plugin_id: str
    name: str
    version: str
    permissions: list[str]
    granted_by: str


class PluginRejected(BaseModel):
    plugin_id: str
    name: str
    version: str
    findings: list[str]


class PluginUninstalled(BaseModel):
    plugin_id: str
    name: str


EVENT_TYPES = [
    EventType(PLUGIN_INSTALLED, PluginInstalled, "A plugin passed its scan and is installed, its permissions granted "
                                                 "by the member named.", read_permission=READ_PERMISSION),
    EventType(PLUGIN_REJECTED, PluginRejected, "A plugin's bundle failed its scan: why, in its findings.",
              read_permission=READ_PERMISSION),
    EventType(PLUGIN_UNINSTALLED, PluginUninstalled, "A plugin was uninstalled; its store and module are purged.",
              read_permission=READ_PERMISSION),
]
