"""Running a hook of a tenant's plugins from the platform's side: which plugins handle it (installed, loaded,
declaring it), in their priority order, handed to the runner in one call (``runners.RUN_HOOK``). Reading them is
a Query per 100 of the tenant's plugins; a hook no plugin handles costs no more."""

from typing import Any

from atrium.kernel.observability import logger
from atrium.kernel.runners import RunnerFailed, invoke
from atrium.kernel.store.pages import collection_page
from atrium.plugins.config_schema import ConfigSchema
from atrium.plugins.effects import carry_out
from atrium.plugins.hook_calls import HookCall, PluginResult, RunnerAnswer, RunnerRequest
from atrium.plugins.marketplace.counts import count_failures
from atrium.plugins.models import PluginItem, PluginStatus
from atrium.plugins.runners import RUN_HOOK

PAGE = 100


def handlers(tenant_id: str, hook: str) -> list[PluginItem]:
    """The tenant's plugins that handle ``hook`` now, in the order they run (a Query per 100 plugins)."""
    found, cursor = [], None
    while True:
        page = collection_page(PluginItem, tenant_id, limit=PAGE, cursor=cursor, query="plugins")
        found += [plugin for plugin in page.items
                  if plugin.status == PluginStatus.INSTALLED and plugin.loaded and hook in plugin.declared_hooks]
        if (cursor := page.next_cursor) is None:
            break
    return sorted(found, key=lambda plugin: (plugin.priority, plugin.created_at))


def hook_call(plugin: PluginItem, timeout_ms: int | None) -> HookCall:
    """What the runner needs of ``plugin``; ``timeout_ms``: the hook's own limit, if it has one (the plugin's
    limit applies within it)."""
    assert plugin.module_key is not None  # installed
    limits = plugin.limits()
    timeout = limits.timeout_ms if timeout_ms is None else min(timeout_ms, limits.timeout_ms)
    return HookCall(plugin_id=plugin.id, name=plugin.name, module_key=plugin.module_key, sha256=plugin.sha256,
                    permissions=plugin.permissions, http_hosts=plugin.http_hosts, timeout_ms=timeout,
                    fuel=limits.fuel, memory_bytes=limits.memory_bytes,
                    config_defaults=ConfigSchema.of(plugin.config_schema).defaults())


def run(tenant_id: str, hook: str, payload: Any, plugins: list[PluginItem], *, stop_on_refusal: bool = False,
        timeout_ms: int | None = None, total_ms: int | None = None) -> list[PluginResult]:
    """Run ``hook`` of ``plugins`` (none: no call). The runner failing as a whole is logged, and each plugin's
    outcome is then ``runner_failed``: a plugin never fails the work it hooks unless its hook says so."""
    if not plugins:
        return []
    request = RunnerRequest(tenant_id=tenant_id, hook=hook, payload=payload, stop_on_refusal=stop_on_refusal,
                            total_ms=total_ms, plugins=[hook_call(plugin, timeout_ms) for plugin in plugins])
    try:
        results = RunnerAnswer.model_validate(invoke(RUN_HOOK, request.model_dump())).results
    except RunnerFailed:
        logger.exception("plugin runner failed", extra={"hook": hook, "plugins": [p.id for p in plugins]})
        return [PluginResult(plugin_id=plugin.id, outcome="runner_failed") for plugin in plugins]
    by_id = {plugin.id: plugin for plugin in plugins}
    carry_out(tenant_id, hook, by_id, results)
    count_failures(by_id, results)
    return results
