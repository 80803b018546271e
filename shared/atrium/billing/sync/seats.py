"""The handler of ``billing.sync_seats``: a per-seat plan bills the tenant's seats, so the Stripe subscription's
quantity follows the count of active members.

Identity says which of its events change the count (``manifest.usage_events``) and how to count
(``manifest.usage_counts``): billing imports no identity code. Each event reads the count again rather than trusting
the event, so events arriving late, out of order or twice end at the current count; the count is read again after
each change sent, so a member joining meanwhile is not left out by a slower run. Stripe's subscription item is read
first (the plan's item: the metered items beside it take no quantity), and nothing is sent when it already has the
count. A change is sent under an idempotency key naming the event and the count: a retry after a lost answer is
replayed by Stripe, never applied twice.
"""

from atrium import manifest
from atrium.billing.plans.catalog import PLANS, Limit, PlanId
from atrium.billing.stripe.client import calling_stripe, stripe_client
from atrium.billing.subscriptions.store import find_subscription
from atrium.billing.sync.plan_item import plan_item
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.observability import logger

# A subscription in these states bills nothing more (Stripe refuses to change it).
ENDED = frozenset({"canceled", "incomplete_expired"})
# Changes sent for one event before leaving the rest to the next (members changing all the while).
MAX_CHANGES = 3


def seat_events() -> tuple[str, ...]:
    return manifest.usage_events().get(Limit.SEATS.value, ())


def billed_seats(tenant_id: str) -> int:
    """The quantity a per-seat subscription bills: the active members (one COUNT Query), at least 1 (Stripe's
    least)."""
    return max(manifest.usage_counts()[Limit.SEATS.value](tenant_id), 1)


def sync_seats(event: Envelope) -> None:
    tenant_id = event.tenant_id
    subscription = find_subscription(tenant_id, consistent=True)
    if (subscription is None or not subscription.stripe_subscription_id or subscription.status in ENDED
            or subscription.plan not in PLANS or not PLANS[PlanId(subscription.plan)].per_seat):
        return
    client = stripe_client()
    with calling_stripe("read the subscription"):
        found = client.v1.subscriptions.retrieve(subscription.stripe_subscription_id)
    item = plan_item(found)[0]  # the seats are the plan price's quantity; a metered item takes none
    quantity = item.quantity
    for _ in range(MAX_CHANGES):
        seats = billed_seats(tenant_id)
        if seats == quantity:
            return
        with calling_stripe("set the subscription's seats"):
            client.v1.subscription_items.update(item.id, params={"quantity": seats},
                                                options={"idempotency_key": f"seats:{event.id}:{seats}"})
        logger.info("stripe seats set", extra={"tenant": tenant_id, "seats": seats, "previous": quantity})
        quantity = seats
