"""The plugins context's consumers: running plugins' event hooks, emailing their notifications, and purging what an
uninstalled plugin left."""

from atrium.kernel.consumers import ConsumerSpec, Events
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.grants import Grant
from atrium.plugins.event_hooks import hookable_types, run_event_hooks
from atrium.plugins.events import PLUGIN_NOTIFICATION_REQUESTED, PLUGIN_UNINSTALLED
from atrium.plugins.uninstall import purge


def send_notification(event: Envelope) -> None:
    from atrium.plugins import notifications  # identity's and mail's code load in this consumer's function alone

    notifications.send_notification(event)


CONSUMERS = [
    ConsumerSpec(
        name="plugins.run_event_hooks",
        source=Events(types=hookable_types()),
        handler=run_event_hooks,
        description="Run the event hooks of the tenant's plugins that handle the event's type, in the runner.",
        # Writes what the plugins emitted and asked to notify (effects.py).
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.RUNNERS_INVOKE}),
        # A batch may wait on several plugins' hooks (5 s each at most).
        timeout_seconds=120,
    ),
    ConsumerSpec(
        name="plugins.send_notifications",
        source=Events(types=(PLUGIN_NOTIFICATION_REQUESTED,)),
        handler=send_notification,
        description="Email what a plugin asked to say (notify) to the tenant's admins or the member it named.",
        # The unsubscribe link is sealed with a key derived from the cursor key.
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.MAIL_SEND, Grant.CURSOR_KEY_READ}),
    ),
    ConsumerSpec(
        name="plugins.purge_uninstalled",
        source=Events(types=(PLUGIN_UNINSTALLED,)),
        handler=purge,
        description="Delete an uninstalled plugin's store (every key) and its module.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.FILES_DELETE}),
    ),
]
