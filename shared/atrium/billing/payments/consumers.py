"""Billing's consumer of completed payment-mode Checkout Sessions: an app's record paid."""

from atrium.billing.payments.completion import PAYMENT_TYPES, complete_payment
from atrium.billing.sync.consumers import STRIPE_EVENT
from atrium.kernel.consumers import ConsumerSpec, Events

# Payment mode only: a subscription's checkout is billing.sync_subscription's.
COMPLETED_PAYMENTS = {"data": {"stripe_type": list(PAYMENT_TYPES),
                               "payload": {"data": {"object": {"mode": ["payment"]}}}}}

CONSUMERS = [
    ConsumerSpec(
        name="billing.complete_payment",
        source=Events(types=(STRIPE_EVENT,), detail=COMPLETED_PAYMENTS),
        handler=complete_payment,
        description="Turn a paid payment-mode Checkout Session that Atrium made for an app's record into the "
                    "tenant's billing.payment_completed, once per session (a delayed method's once its money "
                    "arrives).",
    ),
]
