"""The tenant's invoices, read from Stripe, newest first. A page is one Stripe list call; the cursor seals Stripe's
``starting_after`` (the page's last invoice), bound to the tenant and its customer."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from atrium.billing.stripe.client import calling_stripe, stripe_client
from atrium.billing.stripe.customers import find_customer
from atrium.billing.stripe.schemas import InvoiceList, InvoiceOut
from atrium.kernel import clock
from atrium.kernel.errors import BadRequest
from atrium.kernel.store.cursors import decode_cursor, encode_cursor
from atrium.kernel.tenancy import Principal

if TYPE_CHECKING:
    import stripe


def _shown(invoice: "stripe.Invoice") -> InvoiceOut:
    return InvoiceOut(id=invoice.id or "", number=invoice.number, status=invoice.status, currency=invoice.currency,
                      total=invoice.total, amount_due=invoice.amount_due, amount_paid=invoice.amount_paid,
                      created_at=clock.iso(datetime.fromtimestamp(invoice.created, UTC)),
                      hosted_invoice_url=invoice.hosted_invoice_url, pdf_url=invoice.invoice_pdf)


def list_invoices(principal: Principal, *, limit: int, cursor: str | None) -> InvoiceList:
    tenant_id = principal.tenant_id
    customer = find_customer(tenant_id)
    query = f"billing:invoices:{customer}"
    params: dict[str, object] = {"customer": customer, "limit": limit}
    if cursor is not None:
        after = decode_cursor(cursor, tenant_id=tenant_id, query=query).get("starting_after")
        if not isinstance(after, str):
            raise BadRequest("the cursor is invalid for this query")
        params["starting_after"] = after
    if customer is None:  # never billed: nothing at Stripe to list
        return InvoiceList(data=[], next_cursor=None)
    with calling_stripe("list the invoices"):
        page = stripe_client().v1.invoices.list(params=params)  # type: ignore[arg-type]
    invoices = [_shown(invoice) for invoice in page.data]
    next_cursor = (encode_cursor({"starting_after": invoices[-1].id}, tenant_id=tenant_id, query=query)
                   if page.has_more and invoices else None)
    return InvoiceList(data=invoices, next_cursor=next_cursor)
