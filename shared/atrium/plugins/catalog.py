"""Reading a tenant's plugins: one, or a page of them (its collection, oldest first)."""

import json

from atrium.kernel import clock, ids
from atrium.kernel.errors import NotFound
from atrium.kernel.store.pages import collection_page
from atrium.plugins.models import PendingUpgrade, PluginItem
from atrium.plugins.schemas import PluginList, PluginOut, UpgradeOut


def plugin_out(plugin: PluginItem) -> PluginOut:
    return PluginOut(
        id=plugin.id, name=plugin.name, version=plugin.plugin_version, type=plugin.type,
        description=plugin.description, status=plugin.status, permissions=plugin.permissions,
        granted_by=plugin.granted_by, granted_at=clock.iso(plugin.granted_at), declared_hooks=plugin.declared_hooks,
        hooks=plugin.hooks, http_hosts=plugin.http_hosts, priority=int(plugin.priority), loaded=plugin.loaded,
        limits=_limits(plugin),
        config_schema=json.loads(plugin.config_schema) if plugin.config_schema else None,
        security_scan_passed=plugin.security_scan_passed,
        scan_findings=plugin.scan_findings, sha256=plugin.sha256, size=int(plugin.size), job_id=plugin.job_id,
        pending_upgrade=_upgrade_out(PendingUpgrade.of(plugin)), created_at=clock.iso(plugin.created_at))


def _upgrade_out(pending: PendingUpgrade | None) -> UpgradeOut | None:
    if pending is None:
        return None
    return UpgradeOut(version=pending.version, status=pending.status, permissions=pending.permissions,
                      added_permissions=pending.added_permissions, added_hosts=pending.added_hosts,
                      findings=pending.findings, job_id=pending.job_id,
                      requested_by=pending.requested_by, requested_at=pending.requested_at)


def load(tenant_id: str, plugin_id: str, *, consistent: bool = False) -> PluginItem:
    if not ids.is_valid_id(plugin_id, "plg"):
        raise NotFound(f"plugin {plugin_id} not found")
    return PluginItem.load(tenant_id, plugin_id, consistent=consistent)


def list_plugins(tenant_id: str, *, limit: int, cursor: str | None) -> PluginList:
    page = collection_page(PluginItem, tenant_id, limit=limit, cursor=cursor, query="plugins")
    return PluginList(data=[plugin_out(plugin) for plugin in page.items], next_cursor=page.next_cursor)


def _limits(plugin: PluginItem) -> dict[str, int]:
    limits = plugin.limits()
    return {"timeout_ms": limits.timeout_ms, "fuel": limits.fuel, "memory_bytes": limits.memory_bytes}
