"""Event types of apps' payments, in the tenant's stream (and audit log)."""

from pydantic import BaseModel

from atrium.billing.payments.schemas import PaymentCompleted
from atrium.kernel.events.catalog import EventType


class PaymentAccountChanged(BaseModel):
    stripe_account_id: str | None  # null: the platform's account
    previous_stripe_account_id: str | None


PAYMENT_COMPLETED = EventType("billing.payment_completed", PaymentCompleted,
                              "A customer paid a Stripe Checkout Session made for an app's record (an invoice, say); "
                              "once per session.", read_permission="billing:read")
PAYMENT_ACCOUNT_CHANGED = EventType("billing.payment_account_changed", PaymentAccountChanged,
                                    "The Stripe account the tenant's customers pay into changed.",
                                    read_permission="billing:read")

EVENT_TYPES = [PAYMENT_COMPLETED, PAYMENT_ACCOUNT_CHANGED]
