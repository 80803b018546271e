"""The plugins context's permissions and event types (in the tenant's log)."""

from typing import Any

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType

READ_PERMISSION, MANAGE_PERMISSION = "plugins:read", "plugins:manage"
PLUGIN_INSTALLED, PLUGIN_REJECTED, PLUGIN_UNINSTALLED = "plugin.installed", "plugin.rejected", "plugin.uninstalled"
PLUGIN_LOADED, PLUGIN_UNLOADED, PLUGIN_CONFIGURED = "plugin.loaded", "plugin.unloaded", "plugin.configured"
PLUGIN_UPGRADED, PLUGIN_UPGRADE_AWAITING_CONSENT = "plugin.upgraded", "plugin.upgrade_awaiting_consent"
PLUGIN_UPGRADE_REJECTED, PLUGIN_UPGRADE_DECLINED = "plugin.upgrade_rejected", "plugin.upgrade_declined"
PLUGIN_EVENT_EMITTED, PLUGIN_NOTIFICATION_REQUESTED = "plugin.event_emitted", "plugin.notification_requested"
UPGRADE_REQUESTED = "plugin.upgrade_requested"  # audited, not an event: nothing has changed yet
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
    module_keys: list[str] = []  # its modules' files, for the purge (an upgrade's waiting one too)


class PluginSwitched(BaseModel):
    plugin_id: str
    name: str


class PluginUpgradeChanged(BaseModel):
    plugin_id: str
    name: str
    from_version: str
    to_version: str
    permissions: list[str]  # the new version's
    added_permissions: list[str]  # beyond those granted so far
    added_hosts: list[str] = []  # hosts for ``http_fetch`` beyond those granted
    granted_by: str | None = None  # on ``plugin.upgraded``: who granted its permissions
    findings: list[str] = []  # on ``plugin.upgrade_rejected``


class PluginEventEmitted(BaseModel):
    plugin_id: str
    plugin_name: str
    hook: str  # the hook it ran
    name: str  # the plugin's own event name
    data: dict[str, Any]


class PluginNotificationRequested(BaseModel):
    plugin_id: str
    plugin_name: str
    to: str  # ``admins``, or a member's user id
    subject: str
    text: str


class PluginConfigured(BaseModel):
    plugin_id: str
    name: str
    changed: list[str]  # the properties whose value changed (never the values)


EVENT_TYPES = [
    EventType(PLUGIN_INSTALLED, PluginInstalled, "A plugin passed its scan and is installed, its permissions granted "
                                                 "by the member named.", read_permission=READ_PERMISSION),
    EventType(PLUGIN_REJECTED, PluginRejected, "A plugin's bundle failed its scan: why, in its findings.",
              read_permission=READ_PERMISSION),
    EventType(PLUGIN_LOADED, PluginSwitched, "A plugin was loaded: its hooks run again.",
              read_permission=READ_PERMISSION),
    EventType(PLUGIN_UNLOADED, PluginSwitched, "A plugin was unloaded: it stays installed, and none of its hooks "
                                               "runs.", read_permission=READ_PERMISSION),
    EventType(PLUGIN_CONFIGURED, PluginConfigured, "A plugin's configuration was written: the properties that "
                                                   "changed, never their values.", read_permission=READ_PERMISSION),
    EventType(PLUGIN_UPGRADED, PluginUpgradeChanged, "A plugin runs a new version: one asking for no more "
              "permissions than granted, or one an admin approved.", read_permission=READ_PERMISSION),
    EventType(PLUGIN_UPGRADE_AWAITING_CONSENT, PluginUpgradeChanged, "A plugin's new version passed its scan and asks "
              "for more permissions: the old one runs until an admin approves them.", read_permission=READ_PERMISSION),
    EventType(PLUGIN_UPGRADE_REJECTED, PluginUpgradeChanged, "A plugin's new version failed its scan; the old one "
              "runs on.", read_permission=READ_PERMISSION),
    EventType(PLUGIN_UPGRADE_DECLINED, PluginUpgradeChanged, "An admin declined a plugin's new version; the old one "
              "runs on.", read_permission=READ_PERMISSION),
    EventType(PLUGIN_EVENT_EMITTED, PluginEventEmitted, "A plugin emitted an event of its own (`events_emit`): its "
              "name and data, namespaced by the plugin.", read_permission=READ_PERMISSION),
    EventType(PLUGIN_NOTIFICATION_REQUESTED, PluginNotificationRequested, "A plugin asked to email the tenant's "
              "admins or a member (`notify`).", read_permission=READ_PERMISSION, deliverable=False),
    EventType(PLUGIN_UNINSTALLED, PluginUninstalled, "A plugin was uninstalled; its store and module are purged.",
              read_permission=READ_PERMISSION),
]
