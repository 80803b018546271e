"""The plugins context's public face: the synchronous hooks an app declares (``plugin_hooks.py``:
``PLUGIN_HOOKS``) and runs at the point it names, where the tenant's plugins may refuse what is being done.

    BEFORE_SUBMIT = SyncHook("proof.before_submit", "Before a proof is submitted for review; may refuse it.")
    check_hook(BEFORE_SUBMIT, tenant_id, {"proof_id": ...})   # raises HookRefused (409) on a plugin's refusal

A plugin that fails, times out or answers anything but a refusal lets the work go on (the invocation is counted
in its metrics); a hook declared ``fail_closed`` refuses then instead. Plugins left when the hook's whole time
(``total_ms``) is spent are skipped, as failures."""

from dataclasses import dataclass
from typing import Any

from atrium.kernel.errors import Conflict


@dataclass(frozen=True)
class SyncHook:
    name: str  # dotted, the app's noun first: ``proof.before_submit``
    description: str
    # Per plugin, and for all of them: the hook holds up its request meanwhile (API Gateway waits 29 s at most).
    timeout_ms: int = 1000
    total_ms: int = 5000
    # Whether a plugin that fails (not one that refuses) refuses the work too.
    fail_closed: bool = False


class HookRefused(Conflict):
    def __init__(self, hook: str, plugin_id: str, plugin_name: str, reason: str) -> None:
        super().__init__(f"the plugin {plugin_name!r} refused this ({hook}): {reason}")
        self.hook, self.plugin_id, self.reason = hook, plugin_id, reason

    @property
    def extensions(self) -> dict[str, Any]:
        return {"hook": self.hook, "refused_by": self.plugin_id, "reason": self.reason}


def check_hook(hook: SyncHook, tenant_id: str, payload: dict[str, Any]) -> None:
    """Run ``hook`` of the tenant's plugins in their order; the first refusal raises ``HookRefused``."""
    from atrium.plugins import hooks

    plugins = hooks.handlers(tenant_id, hook.name)
    by_id = {plugin.id: plugin for plugin in plugins}
    for result in hooks.run(tenant_id, hook.name, payload, plugins, stop_on_refusal=True,
                            timeout_ms=hook.timeout_ms, total_ms=hook.total_ms):
        reason = result.refusal()
        if reason is None and hook.fail_closed and result.outcome != "ok":
            reason = f"it failed ({result.outcome}), and this hook lets no failure through"
        if reason is not None:
            raise HookRefused(hook.name, result.plugin_id, by_id[result.plugin_id].name, reason)


__all__ = ["HookRefused", "SyncHook", "check_hook"]
