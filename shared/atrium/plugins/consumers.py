"""The plugins context's consumers: purging what an uninstalled plugin left."""

from atrium.kernel.consumers import ConsumerSpec, Events
from atrium.kernel.grants import Grant
from atrium.plugins.events import PLUGIN_UNINSTALLED
from atrium.plugins.uninstall import purge

CONSUMERS = [
    ConsumerSpec(
        name="plugins.purge_uninstalled",
        source=Events(types=(PLUGIN_UNINSTALLED,)),
        handler=purge,
        description="Delete an uninstalled plugin's store (every key) and its module.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.FILES_DELETE}),
    ),
]
