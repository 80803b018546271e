"""Billing's consumers keeping Stripe and the tenant's subscription in step: Stripe's events make the subscription
(and dunning); the tenant's seat changes make a per-seat subscription's quantity; its deletion, when it ends."""

from atrium.billing.subscriptions.events import SUBSCRIPTION_CHANGED
from atrium.billing.sync.seats import seat_events, sync_seats
from atrium.billing.sync.stripe_types import HANDLED
from atrium.kernel.consumers import ConsumerSpec, Events
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.grants import Grant

# The Stripe events the receiver (webhooks/stripe_receiver.py) writes to the platform tenant's log.
STRIPE_EVENT = "billing.stripe_event"


# The handler's module loads the SDK and mail: imported when first called, not with every consumer's function.
def sync_subscription(event: Envelope) -> None:
    from atrium.billing.sync import stripe_events

    stripe_events.sync_subscription(event)


def follow_tenant_deletion(event: Envelope) -> None:
    from atrium.billing.sync import deletion

    deletion.follow_deletion(event)


# Compliance's events of a tenant's deletion, named here so no billing function loads compliance's code (a test holds
# them to the catalog).
TENANT_DELETION_EVENTS = ("tenant.deletion_requested", "tenant.deletion_cancelled")

CONSUMERS = [
    ConsumerSpec(
        name="billing.sync_subscription",
        source=Events(types=(STRIPE_EVENT,), detail={"data": {"stripe_type": list(HANDLED)}}),
        handler=sync_subscription,
        description="Re-read from Stripe the subscription a Stripe event names and make it the tenant's (plan, "
                    "status, period, grace end); email the billing contacts about a failed invoice, once.",
        grants=frozenset({Grant.STRIPE_API_KEY_READ, Grant.MAIL_SEND, Grant.CURSOR_KEY_READ}),
        max_receive_count=5,
    ),
    ConsumerSpec(
        name="billing.sync_seats",
        # The subscription changed too: started (Checkout) or moved to a per-seat plan.
        source=Events(types=(*seat_events(), SUBSCRIPTION_CHANGED.name)),
        handler=sync_seats,
        description="Set a per-seat Stripe subscription's quantity to the tenant's active members, counted again, "
                    "when members join, leave or change status.",
        grants=frozenset({Grant.TABLE_READ, Grant.STRIPE_API_KEY_READ}),
        max_receive_count=5,
    ),
    ConsumerSpec(
        name="billing.follow_tenant_deletion",
        source=Events(types=TENANT_DELETION_EVENTS),
        handler=follow_tenant_deletion,
        description="End a tenant's Stripe subscription at its deletion date when the deletion is asked for, and "
                    "keep it going again when the deletion is cancelled.",
        grants=frozenset({Grant.TABLE_READ, Grant.STRIPE_API_KEY_READ}),
        max_receive_count=5,
    ),
]
