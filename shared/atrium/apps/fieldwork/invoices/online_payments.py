"""Payments through an invoice's payment link: billing's ``billing.payment_completed`` for a ``fieldwork.invoice``
recorded on the invoice, once per Stripe payment (its payment intent is the payment's reference; an event delivered
again, or a payment the office recorded by hand with that reference, records nothing more).

What the invoice still owes (the balance of a sent or overdue invoice) is recorded as a ``stripe`` payment, which
pays it off at zero. What came beyond it (a second link paid, a check recorded meanwhile, a void invoice) is never
a payment: it is recorded in the invoice's ``overpayments``, to refund, and announced (``fieldwork.invoice.overpaid``).
Each is one transaction at the version read; a change meanwhile (another payment) reads the invoice again.
"""

from typing import Any

from atrium.apps.fieldwork.events import INVOICE_OVERPAID
from atrium.apps.fieldwork.invoices import store
from atrium.apps.fieldwork.invoices.models import UNPAID, InvoiceItem
from atrium.apps.fieldwork.invoices.payment_links import REFERENCE_KIND
from atrium.apps.fieldwork.invoices.schemas import PaymentMethod
from atrium.apps.fieldwork.invoices.service import take_payment
from atrium.billing.api import PaymentCompleted
from atrium.kernel import clock, ids
from atrium.kernel.errors import Conflict, PreconditionFailed
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.store.unit_of_work import UnitOfWork

NAME = "fieldwork.record_stripe_payment"
ACTOR = Ref(type="service", id=NAME, name="Stripe payment link")
ATTEMPTS = 3


def record_stripe_payment(event: Envelope) -> None:
    completed = PaymentCompleted.model_validate(event.data)
    if completed.reference_kind != REFERENCE_KIND:
        return
    for _ in range(ATTEMPTS):
        try:
            _record(event.tenant_id, completed)
        except (PreconditionFailed, Conflict):  # the invoice changed since read, or is changing: read it again
            continue
        return
    raise Conflict(f"invoice {completed.reference_id} kept changing; the payment is retried")


def _recorded(invoice: InvoiceItem, payment_intent: str) -> bool:
    return any(payment["method"] == PaymentMethod.STRIPE and payment["reference"] == payment_intent
               for payment in [*invoice.payments, *invoice.overpayments])


def _record(tenant_id: str, completed: PaymentCompleted) -> None:
    invoice = store.load(tenant_id, completed.reference_id, consistent=True)
    if _recorded(invoice, completed.payment_intent):
        return
    owed = store.shown(invoice)[0].balance_cents if invoice.status in UNPAID else 0
    applied = min(completed.amount, owed)
    excess = completed.amount - applied

    def payment(amount: int) -> dict[str, Any]:
        return {"id": ids.new_id("pmt"), "amount_cents": amount, "method": PaymentMethod.STRIPE.value,
                "received_on": completed.paid_at.date().isoformat(), "reference": completed.payment_intent,
                "recorded_by": NAME, "recorded_at": clock.iso(clock.now())}

    uow = UnitOfWork(tenant_id, ACTOR)
    if excess:  # first: the events of the change show it
        invoice.overpayments = [*invoice.overpayments, payment(excess)]
    if applied:
        take_payment(uow, invoice, payment(applied))
        if excess:
            store.announce(uow, invoice, INVOICE_OVERPAID)
    else:
        store.stage(uow, invoice, "updated", INVOICE_OVERPAID)
    uow.commit()
