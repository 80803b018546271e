"""The handler of ``billing.sync_subscription``: a Stripe event (``billing.stripe_event``, in the platform tenant's
log) becomes the state of the tenant's subscription.

The event only says which subscription changed: the handler re-reads it from Stripe, the current truth, and applies
that with the event's ``created`` as ``as_of`` (``apply_subscription_state`` refuses a state older than the one
stored). So events arriving late, out of order or twice end in Stripe's state. The tenant is the subscription's
``metadata.tenant_id`` (set at Checkout); a subscription without one is not Atrium's and is ignored.
"""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from atrium.billing.stripe.client import calling_stripe, stripe_client
from atrium.billing.subscriptions.schemas import SubscriptionState
from atrium.billing.subscriptions.state import apply_subscription_state
from atrium.billing.sync import dunning
from atrium.billing.sync.plan_item import plan_item
from atrium.billing.sync.stripe_types import HANDLED, SUBSCRIPTION_EVENTS
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.observability import logger

if TYPE_CHECKING:
    import stripe

def _subscription_id(stripe_type: str, subject: dict[str, Any]) -> str | None:
    """Which subscription the event is about; None when it is about none (a payment-mode checkout, an invoice
    of no subscription)."""
    if stripe_type in SUBSCRIPTION_EVENTS:
        return str(subject["id"])
    if stripe_type == "checkout.session.completed":
        return subject.get("subscription") if subject.get("mode") == "subscription" else None
    details = (subject.get("parent") or {}).get("subscription_details") or {}
    return details.get("subscription")


def _time(epoch: int | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def state_of(subscription: "stripe.Subscription") -> SubscriptionState:
    """The subscription as Atrium keeps it (without the grace end, which dunning sets), from its plan item (the
    metered items beside it share its period)."""
    item, plan, interval = plan_item(subscription)
    return SubscriptionState(
        plan=plan, status=subscription.status, interval=interval,
        current_period_start=_time(item.current_period_start), current_period_end=_time(item.current_period_end),
        trial_end=_time(subscription.trial_end), cancel_at_period_end=subscription.cancel_at_period_end,
        stripe_customer_id=subscription.customer if isinstance(subscription.customer, str)
        else subscription.customer.id,
        stripe_subscription_id=subscription.id)


def sync_subscription(event: Envelope) -> None:
    stripe_type, payload = event.data["stripe_type"], event.data["payload"]
    subject: dict[str, Any] = payload["data"]["object"]
    if stripe_type not in HANDLED or (subscription_id := _subscription_id(stripe_type, subject)) is None:
        return
    with calling_stripe("read the subscription"):
        subscription = stripe_client().v1.subscriptions.retrieve(subscription_id)
    tenant_id = subscription.metadata.to_dict().get("tenant_id") if subscription.metadata else None
    if not tenant_id:
        logger.info("stripe subscription of no tenant ignored", extra={"subscription": subscription_id})
        return
    if stripe_type == "customer.subscription.trial_will_end":
        logger.info("stripe trial ends soon", extra={"tenant": tenant_id, "trial_end": subscription.trial_end})
    state = dunning.with_grace(tenant_id, state_of(subscription))
    apply_subscription_state(tenant_id, state, as_of=datetime.fromtimestamp(payload["created"], UTC))
    if stripe_type == "invoice.payment_failed" and state.status == "past_due":
        dunning.announce_failed_invoice(tenant_id, subject, state)
