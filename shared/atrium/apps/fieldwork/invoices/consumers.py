"""Invoice consumers: a payment through an invoice's payment link recorded on it."""

from atrium.apps.fieldwork.invoices.online_payments import NAME, record_stripe_payment
from atrium.apps.fieldwork.invoices.payment_links import REFERENCE_KIND
from atrium.billing.api import PAYMENT_COMPLETED
from atrium.kernel.consumers import ConsumerSpec, Events

CONSUMERS = [
    ConsumerSpec(
        name=NAME,
        source=Events(types=(PAYMENT_COMPLETED.name,), detail={"data": {"reference_kind": [REFERENCE_KIND]}}),
        handler=record_stripe_payment,
        description="Record a payment made through an invoice's payment link on the invoice, once per Stripe "
                    "payment: the balance as paid, anything beyond it as an overpayment to refund.",
    ),
]
