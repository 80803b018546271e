"""Event hooks: a plugin that declares an event type of the catalog as a hook (``proof.version_added``) runs on
each such event of its tenant, after the fact, through the event path; the consumer hands the event's envelope to
the runner. A plugin's failure is counted in its metrics and never retried: the event is not the plugin's to fail."""

from functools import cache

from atrium import manifest
from atrium.kernel.events.envelope import Envelope
from atrium.plugins import hooks
from atrium.plugins.runtime.abi import Limits
from atrium.plugins.schemas import HookOut


@cache
def hookable_types() -> tuple[str, ...]:
    """The event types a plugin may handle: those a webhook may receive (internal signals are not for plugins), but
    the plugins' own: a plugin handling what plugins emit could run itself without end."""
    return tuple(sorted(t.name for t in manifest.event_types() if t.deliverable and not t.name.startswith("plugin.")))


def hook_catalog() -> list[HookOut]:
    """Every hook of the catalog a plugin may declare: the apps' synchronous hooks, then the event types."""
    synchronous = [HookOut(name=hook.name, kind="synchronous", description=hook.description, timeout_ms=hook.timeout_ms)
                   for hook in sorted(manifest.plugin_hooks(), key=lambda declared: declared.name)]
    by_name = {t.name: t for t in manifest.event_types()}
    return synchronous + [HookOut(name=name, kind="event", description=by_name[name].description,
                                  timeout_ms=Limits().timeout_ms) for name in hookable_types()]


def run_event_hooks(event: Envelope) -> None:
    plugins = hooks.handlers(event.tenant_id, event.type)
    hooks.run(event.tenant_id, event.type, event.model_dump(mode="json"), plugins)
