"""An invoice's payment link: Stripe's Checkout page where its customer pays the balance, made by billing
(``billing.api.payment_checkout``) on the tenant's connected Stripe account or the platform's. The office sends it
to the customer; a customer user gets it for their own customer's issued invoices. Asked again for the same balance,
it is the same page while it stays open.
"""

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.invoices import lifecycle, store
from atrium.apps.fieldwork.invoices.models import InvoiceItem
from atrium.apps.fieldwork.invoices.schemas import PaymentLinkOut
from atrium.apps.fieldwork.invoices.service import shown_to
from atrium.billing.api import PaymentRequest, payment_checkout
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.tenancy import Principal

# What billing's payment events name an invoice by.
REFERENCE_KIND = "fieldwork.invoice"
CURRENCY = "usd"  # invoices are in US cents


def payment_link(principal: Principal, invoice_id: str) -> PaymentLinkOut:
    """The page paying a sent or overdue invoice's balance (409 for a draft, paid or void one; a customer user's
    draft or another customer's invoice is a 404, as for a read)."""
    invoice = store.load(principal.tenant_id, invoice_id, consistent=True)
    if not shown_to(principal, invoice):
        raise records.not_found(InvoiceItem, invoice_id)
    lifecycle.check(invoice.status, "pay")
    page = f"{settings().web_url.rstrip('/')}/fieldwork/invoices/{invoice.id}"
    link = payment_checkout(principal.tenant_id, PaymentRequest(
        reference_kind=REFERENCE_KIND, reference_id=invoice.id, amount=store.shown(invoice)[0].balance_cents,
        currency=CURRENCY, description=f"Invoice {invoice.number}", success_url=f"{page}?payment=success",
        cancel_url=f"{page}?payment=cancelled", customer_email=invoice.bill_to.get("email") or None))
    return PaymentLinkOut(url=link.url, checkout_session_id=link.checkout_session_id,
                          expires_at=clock.iso(link.expires_at), amount_cents=link.amount, currency=link.currency)
