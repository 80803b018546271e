"""The handler of ``billing.follow_tenant_deletion``: a tenant held for its deletion is billed no further than its
deletion date. Asking for the deletion sets its Stripe subscription to end then (``cancel_at``, nothing prorated);
cancelling the deletion clears that. The event says which (a request carries its due date, a cancellation none), so
a late or repeated event sends what its own moment meant; each change goes under an idempotency key naming the
event: a retry after a lost answer is replayed by Stripe, never applied twice.
"""

from datetime import datetime

from atrium.billing.stripe.client import calling_stripe, stripe_client
from atrium.billing.subscriptions.store import find_subscription
from atrium.billing.sync.consumers import TENANT_DELETION_EVENTS
from atrium.billing.sync.seats import ENDED
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.observability import logger

DELETION_REQUESTED, _CANCELLED = TENANT_DELETION_EVENTS  # a request carries ``due_at``


def follow_deletion(event: Envelope) -> None:
    subscription = find_subscription(event.tenant_id, consistent=True)
    if subscription is None or not subscription.stripe_subscription_id or subscription.status in ENDED:
        return
    due_at = event.data.get("due_at") if event.type == DELETION_REQUESTED else None
    cancel_at = int(datetime.fromisoformat(due_at).timestamp()) if due_at else ""
    with calling_stripe("end the subscription at the tenant's deletion"):
        stripe_client().v1.subscriptions.update(
            subscription.stripe_subscription_id, params={"cancel_at": cancel_at, "proration_behavior": "none"},
            options={"idempotency_key": f"deletion:{event.id}"})
    logger.info("stripe subscription end set", extra={"tenant": event.tenant_id, "cancel_at": cancel_at or None})
