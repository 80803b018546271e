"""The plugins context's consumers: running plugins' event hooks, and purging what an uninstalled plugin left."""

from atrium.kernel.consumers import ConsumerSpec, Events
from atrium.kernel.grants import Grant
from atrium.plugins.event_hooks import hookable_types, run_event_hooks
from atrium.plugins.events import PLUGIN_UNINSTALLED
from atrium.plugins.uninstall import purge

CONSUMERS = [
    ConsumerSpec(
        name="plugins.run_event_hooks",
        source=Events(types=hookable_types()),
        handler=run_event_hooks,
        description="Run the event hooks of the tenant's plugins that handle the event's type, in the runner.",
        grants=frozenset({Grant.TABLE_READ, Grant.RUNNERS_INVOKE}),
        # A batch may wait on several plugins' hooks (5 s each at most).
        timeout_seconds=120,
    ),
    ConsumerSpec(
        name="plugins.purge_uninstalled",
        source=Events(types=(PLUGIN_UNINSTALLED,)),
        handler=purge,
        description="Delete an uninstalled plugin's store (every key) and its module.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.FILES_DELETE}),
    ),
]
