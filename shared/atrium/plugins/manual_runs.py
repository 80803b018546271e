"""Running a hook by hand (``POST /v1/plugins/hooks/{hook_name}``): what a plugin's author or the tenant's admin
tries a plugin with, synchronously, with every plugin's full result (answer, error, logs, fuel, duration)."""

from atrium.kernel.errors import NotFound
from atrium.plugins import hooks
from atrium.plugins.schemas import HookRun, HookRunOut, PluginRunOut


def run_by_hand(tenant_id: str, hook: str, body: HookRun) -> HookRunOut:
    plugins = hooks.handlers(tenant_id, hook)
    if body.plugin_id is not None:
        plugins = [plugin for plugin in plugins if plugin.id == body.plugin_id]
    if not plugins:
        which = f"the plugin {body.plugin_id}" if body.plugin_id else "none of the tenant's plugins"
        raise NotFound(f"{which} handles the hook {hook!r} (installed, loaded and declaring it)")
    results = hooks.run(tenant_id, hook, body.payload, plugins)
    return HookRunOut(hook=hook, results=[PluginRunOut(**result.model_dump()) for result in results])
