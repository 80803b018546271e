"""Invoice routes: drafting one from a completed work order, changing, sending and voiding it, recording payments,
its payment link, and the lists (a customer's invoices, every unpaid one by age)."""

from typing import TYPE_CHECKING

from fastapi import Response

from atrium.apps.fieldwork.invoices.schemas import (
    InvoiceCreate,
    InvoiceList,
    InvoiceOut,
    InvoiceRead,
    InvoiceUpdate,
    InvoiceVoid,
    PaymentCreate,
    PaymentLinkOut,
)
from atrium.apps.fieldwork.routing import (
    CREATED,
    CUSTOMER_PATH,
    INVOICE_PATH,
    INVOICES_PATH,
    NOT_FOUND,
    READ_ONE,
    UNPAID_INVOICES_PATH,
    UPDATED,
)
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.fieldwork.invoices import payment_links
    from atrium.apps.fieldwork.invoices import service as invoices
else:
    invoices, payment_links = lazy_modules("atrium.apps.fieldwork.invoices", "service", "payment_links")

router = ContextRouter("fieldwork")
WRONG_STATUS = {409: {"description": "The invoice's status does not allow it (the problem's `invoice_status` names "
                                     "it)"}}
MOVED = {**UPDATED, **WRONG_STATUS}


@router.post(INVOICES_PATH, name="create_invoice", permission="invoices:create", status_code=201, idempotent=True,
             grants=WRITE, responses={**CREATED, 409: {"description": "The work order is not completed (the "
                                                                      "problem's `work_order_status` names it): "
                                                                      "invoiced already, say"},
                                      422: {"description": "No such work order"}})
def create_invoice(body: InvoiceCreate, principal: CurrentPrincipal, info: CurrentRequest,
                   response: Response) -> InvoiceOut:
    """A draft invoice of a completed work order, numbered in order (INV-000042): the order's customer, billing
    contact and line items (parts taxable unless changed) are copied, and the order is invoiced in the same write."""
    invoice, version = invoices.create_invoice(principal, body, info)
    response.headers["Location"] = f"{INVOICES_PATH}/{invoice.id}"
    response.headers["ETag"] = etag(version)
    return invoice


@router.get(UNPAID_INVOICES_PATH, name="list_unpaid_invoices", permission="invoices:read",
            grants={*READ, Grant.CURSOR_KEY_READ})
def list_unpaid_invoices(principal: CurrentPrincipal, paging: Paging) -> InvoiceList:
    """Every sent or overdue invoice, the oldest due date first (by age)."""
    return invoices.list_unpaid(principal, limit=paging.limit, cursor=paging.cursor)


@router.get(f"{CUSTOMER_PATH}/invoices", name="list_customer_invoices", permission="invoices:read", scoped=True,
            grants={*READ, Grant.CURSOR_KEY_READ}, responses=NOT_FOUND)
def list_customer_invoices(customer_id: str, principal: CurrentPrincipal, paging: Paging) -> InvoiceList:
    """The customer's invoices, newest first."""
    return invoices.list_customer_invoices(principal, customer_id, limit=paging.limit, cursor=paging.cursor)


@router.get(INVOICE_PATH, name="get_invoice", permission="invoices:read", scoped=True,
            grants={*READ, Grant.FILES_READ}, responses=READ_ONE)
def get_invoice(invoice_id: str, principal: CurrentPrincipal, response: Response) -> InvoiceRead:
    """An invoice with its payments and, once rendered, a fresh download link of its PDF. The ETag header is the
    version to send in If-Match."""
    invoice, version = invoices.get_invoice(principal, invoice_id)
    response.headers["ETag"] = etag(version)
    return invoice


@router.patch(INVOICE_PATH, name="update_invoice", permission="invoices:update", grants=WRITE,
              responses={**MOVED, 422: {"description": "A line item for an assembly the work order does not list"}})
def update_invoice(invoice_id: str, body: InvoiceUpdate, principal: CurrentPrincipal, version: ExpectedVersion,
                   info: CurrentRequest, response: Response) -> InvoiceOut:
    """Change a draft's billing contact, line items (all of them), tax rate, terms or notes. Requires If-Match."""
    invoice, new_version = invoices.update_invoice(principal, invoice_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return invoice


@router.post(f"{INVOICE_PATH}/send", name="send_invoice", permission="invoices:send", grants=WRITE,
             responses={**UPDATED, 409: {"description": "Not a draft (`invoice_status`), or it bills nothing"}})
def send_invoice(invoice_id: str, principal: CurrentPrincipal, version: ExpectedVersion, info: CurrentRequest,
                 response: Response) -> InvoiceOut:
    """Issue a draft today, due after its net terms: its job (``job_id``) renders the PDF, stores it with its
    SHA-256 and emails it to the billing contact. Requires If-Match."""
    invoice, new_version = invoices.send_invoice(principal, invoice_id, version, info)
    response.headers["ETag"] = etag(new_version)
    return invoice


@router.post(f"{INVOICE_PATH}/void", name="void_invoice", permission="invoices:void", grants=WRITE,
             responses={**UPDATED, 409: {"description": "Paid or void already (`invoice_status`), or it has "
                                                        "payments"}})
def void_invoice(invoice_id: str, body: InvoiceVoid, principal: CurrentPrincipal, version: ExpectedVersion,
                 info: CurrentRequest, response: Response) -> InvoiceOut:
    """Void a draft, sent or overdue invoice with no payment, and say why. Requires If-Match."""
    invoice, new_version = invoices.void_invoice(principal, invoice_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return invoice


@router.post(f"{INVOICE_PATH}/payments", name="record_invoice_payment", permission="invoices:collect",
             status_code=201, idempotent=True, grants=WRITE,
             responses={**CREATED, **NOT_FOUND,
                        409: {"description": "Not sent or overdue (`invoice_status`), or the same reference is "
                                             "recorded already"},
                        422: {"description": "More than the balance, or received after today"}})
def record_invoice_payment(invoice_id: str, body: PaymentCreate, principal: CurrentPrincipal, info: CurrentRequest,
                           response: Response) -> InvoiceOut:
    """Record a payment (all or part of the balance) of a sent or overdue invoice; the invoice is paid when its
    balance reaches zero. The answer is the invoice, with the payment last in its ``payments``."""
    invoice, version = invoices.record_payment(principal, invoice_id, body, info)
    response.headers["Location"] = f"{INVOICES_PATH}/{invoice.id}"
    response.headers["ETag"] = etag(version)
    return invoice


@router.post(f"{INVOICE_PATH}/payment-link", name="create_invoice_payment_link", permission="invoices:pay",
             scoped=True, grants={*WRITE, Grant.STRIPE_API_KEY_READ},
             responses={**NOT_FOUND,
                        409: {"description": "Not sent or overdue (`invoice_status`: a draft, paid or void invoice), "
                                             "or a balance below the least Stripe charges"},
                        502: {"description": "Stripe answered with an error"},
                        503: {"description": "Stripe could not be reached; retry"}})
def create_invoice_payment_link(invoice_id: str, principal: CurrentPrincipal) -> PaymentLinkOut:
    """A Stripe page where the customer pays the invoice's balance by card (on the tenant's own Stripe account when
    it has connected one): send the browser to ``url``. Asked again for the same balance, it is the same page while
    it stays open. The payment is recorded on the invoice when Stripe reports it, never from this answer."""
    return payment_links.payment_link(principal, invoice_id)
