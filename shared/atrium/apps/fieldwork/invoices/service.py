"""Invoices: drafted from a completed work order (which the same transaction moves to invoiced), changed while
draft, sent (a job renders, stores and emails the PDF), paid by one or more payments, voided; read and listed (a
customer's, and every unpaid one by age).

An invoice's number is the tenant's next: the counter is read with the customer and taken in the invoice's
transaction on the condition that it still holds the number read, so numbers have no gaps and never repeat; a
creation that lost a race for the number (or for the work order) is tried again from its reads.
"""

import datetime as dt
from typing import Any

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.customers.models import CustomerItem
from atrium.apps.fieldwork.customers.service import load_customer
from atrium.apps.fieldwork.events import (
    INVOICE_CREATED,
    INVOICE_PAID,
    INVOICE_PAYMENT_RECORDED,
    INVOICE_SENT,
    INVOICE_UPDATED,
    INVOICE_VOIDED,
)
from atrium.apps.fieldwork.invoices import lifecycle, store
from atrium.apps.fieldwork.invoices.models import (
    CUSTOMER_INVOICES,
    UNPAID_INVOICES,
    InvoiceItem,
    InvoiceNumberItem,
)
from atrium.apps.fieldwork.invoices.schemas import (
    MAX_PAYMENTS,
    InvoiceCreate,
    InvoiceLine,
    InvoiceList,
    InvoiceOut,
    InvoiceRead,
    InvoiceUpdate,
    InvoiceVoid,
    PaymentCreate,
    Status,
)
from atrium.apps.fieldwork.invoices.sending import SEND_INVOICE
from atrium.apps.fieldwork.summaries.tally import count_money
from atrium.apps.fieldwork.workorders.schemas import LineItem
from atrium.apps.fieldwork.workorders.service import check_line_items, uow_of
from atrium.apps.fieldwork.workorders.transitions import mark_invoiced, reopen_for_invoicing
from atrium.jobs.api import enqueue
from atrium.kernel import clock, files, ids
from atrium.kernel.errors import Conflict, NotFound, PreconditionFailed, Unprocessable
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.pages import fetch_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal

ATTEMPTS = 3  # a creation that lost a race for the number is tried again from its reads


class NumberTaken(PreconditionFailed):
    """Another invoice took the number read meanwhile."""


def number_of(sequence: int) -> str:
    return f"INV-{sequence:06d}"


def _customer_and_counter(tenant_id: str, customer_id: str) -> tuple[CustomerItem | None, InvoiceNumberItem | None]:
    """The customer and the tenant's invoice counter, strongly consistent, in one BatchGetItem."""
    counter = InvoiceNumberItem(tenant_id=tenant_id)
    counter.assign_keys()
    found = list(Item.batch_get([(keys.entity_pk(tenant_id, CustomerItem.type_name(), customer_id), keys.ENTITY_SK),
                                 (counter.pk, counter.sk)], consistent_read=True))
    return (next((item for item in found if isinstance(item, CustomerItem)), None),
            next((item for item in found if isinstance(item, InvoiceNumberItem)), None))


def _take_number(uow: UnitOfWork, tenant_id: str, read: InvoiceNumberItem | None) -> int:
    """The number after the one ``read``, taken in ``uow`` on the condition that it is still the last."""
    last = int(read.last) if read is not None else 0
    counter = InvoiceNumberItem(tenant_id=tenant_id)
    held = InvoiceNumberItem.last.does_not_exist() if read is None else InvoiceNumberItem.last == last
    uow.update(counter, [InvoiceNumberItem.last.set(last + 1), InvoiceNumberItem.tenant_id.set(tenant_id),
                         InvoiceNumberItem.entity.set(InvoiceNumberItem)],
               condition=held, conflict=NumberTaken("another invoice took the number; retry"))
    return last + 1


def _draft(principal: Principal, body: InvoiceCreate, info: RequestInfo, invoice_id: str) -> tuple[InvoiceOut, int]:
    uow = uow_of(principal, info)
    try:
        order = mark_invoiced(uow, body.work_order_id, invoice_id)
    except NotFound:
        raise Unprocessable("no such work order", errors=[
            {"field": "body.work_order_id", "message": f"no work order {body.work_order_id} in this tenant",
             "code": "not_found"}]) from None
    customer, counter = _customer_and_counter(principal.tenant_id, order.customer_id)
    if customer is None:  # not while it counts the order
        raise Conflict(f"the work order's customer {order.customer_id} is not on record")
    number = _take_number(uow, principal.tenant_id, counter)
    invoice = InvoiceItem(
        tenant_id=principal.tenant_id, id=invoice_id, number=number_of(number), work_order_id=order.id,
        customer_id=customer.id, customer_name=customer.name, bill_to=customer.billing_contact,
        billing_address=customer.service_address, assembly_ids=list(order.assembly_ids),
        line_items=[InvoiceLine.model_validate(line.model_dump(include=set(LineItem.model_fields))).model_dump(
            mode="json") for line in order.line_items],
        tax_rate_percent=str(body.tax_rate_percent), net_terms_days=body.net_terms_days, notes=body.notes)
    return store.write(uow, invoice, "created", INVOICE_CREATED)


def create_invoice(principal: Principal, body: InvoiceCreate, info: RequestInfo) -> tuple[InvoiceOut, int]:
    """A draft invoice of a completed work order (422 naming ``body.work_order_id`` for no such order, 409 unless
    completed), which its transaction moves to invoiced."""
    invoice_id = ids.new_id("invc")
    for _ in range(ATTEMPTS):
        try:
            return _draft(principal, body, info, invoice_id)
        except PreconditionFailed:  # the number, or the order, changed since read: read them again
            continue
    raise Conflict("other invoices were being made at the same time; retry")


def get_invoice(principal: Principal, invoice_id: str) -> tuple[InvoiceRead, int]:
    """The invoice, with a fresh download link of its PDF once rendered."""
    invoice = store.load(principal.tenant_id, invoice_id)
    if not shown_to(principal, invoice):
        raise records.not_found(InvoiceItem, invoice_id)
    shown, version = store.shown(invoice)
    url = files.download_url(invoice.pdf["key"], filename=f"{invoice.number}.pdf") if invoice.pdf else None
    return InvoiceRead(**shown.model_dump(), pdf_url=url), version


def list_unpaid(principal: Principal, *, limit: int, cursor: str | None) -> InvoiceList:
    """Every sent and overdue invoice, the oldest due date first (the sparse gsi1 index), one Query a page."""
    collection = keys.collection_pk(principal.tenant_id, UNPAID_INVOICES)
    page = fetch_page(lambda start: InvoiceItem.gsi1.query(collection, limit=limit, page_size=limit,
                                                           last_evaluated_key=start),
                      cursor=cursor, tenant_id=principal.tenant_id, query="fieldwork:unpaid_invoices")
    return InvoiceList(data=[store.shown(i)[0] for i in page.items if isinstance(i, InvoiceItem)],
                       next_cursor=page.next_cursor)


def list_customer_invoices(principal: Principal, customer_id: str, *, limit: int, cursor: str | None) -> InvoiceList:
    """Newest first. The customer is read first, so another tenant's customer is a 404, not an empty list."""
    records.check_customer(principal, customer_id, CustomerItem, customer_id)
    customer = load_customer(principal.tenant_id, customer_id)
    collection = keys.bucketed_collection_pk(principal.tenant_id, CUSTOMER_INVOICES, customer.id)
    page = fetch_page(lambda start: InvoiceItem.gsi2.query(collection, limit=limit, page_size=limit,
                                                           scan_index_forward=False, last_evaluated_key=start),
                      cursor=cursor, tenant_id=principal.tenant_id, query=f"fieldwork:invoices:{customer.id}")
    return InvoiceList(data=[store.shown(i)[0] for i in page.items if isinstance(i, InvoiceItem)
                             and shown_to(principal, i)], next_cursor=page.next_cursor)


def shown_to(principal: Principal, invoice: InvoiceItem) -> bool:
    """Whether the caller sees the invoice: the office sees every one; a customer user their customer's, once sent
    (a draft is the office's until it is issued)."""
    if principal.scope is None:
        return True
    return principal.scope == invoice.customer_id and invoice.status != Status.DRAFT


def _for_change(principal: Principal, invoice_id: str, change: lifecycle.Change,
                expected_version: int | None = None) -> InvoiceItem:
    """The invoice (consistent), if its status allows ``change`` (409) and If-Match holds (412)."""
    invoice = store.load(principal.tenant_id, invoice_id, consistent=True)
    lifecycle.check(invoice.status, change)
    if expected_version is not None:
        records.check_version(invoice, expected_version)
    return invoice


def update_invoice(principal: Principal, invoice_id: str, change: InvoiceUpdate, expected_version: int,
                   info: RequestInfo) -> tuple[InvoiceOut, int]:
    """A draft's billing contact, line items (for the work order's assemblies), tax rate, terms or notes."""
    invoice = _for_change(principal, invoice_id, "update", expected_version)
    if change.line_items is not None:
        check_line_items(list(change.line_items), list(invoice.assembly_ids))
    records.apply(invoice, change)
    return store.write(uow_of(principal, info), invoice, "updated", INVOICE_UPDATED)


def send_invoice(principal: Principal, invoice_id: str, expected_version: int,
                 info: RequestInfo) -> tuple[InvoiceOut, int]:
    """Issue a draft today, due after its terms; its job renders the PDF and emails it to the billing contact."""
    invoice = _for_change(principal, invoice_id, "send", expected_version)
    if store.shown(invoice)[0].total_cents <= 0:
        raise Conflict("the invoice bills nothing: give it line items first")
    today = clock.now().date()
    invoice.status, invoice.sent_at = Status.SENT.value, clock.iso(clock.now())
    invoice.issued_on = today.isoformat()
    invoice.due_on = (today + dt.timedelta(days=int(invoice.net_terms_days))).isoformat()
    uow = uow_of(principal, info)
    invoice.job_id = enqueue(uow, kind=SEND_INVOICE, params={"invoice_id": invoice.id}).id
    uow.create(store.due_entry(invoice), conflict=Conflict("the invoice was sent already"))
    count_money(uow, invoiced=store.shown(invoice)[0].total_cents)
    return store.write(uow, invoice, "updated", INVOICE_SENT)


def _check_payment(invoice: InvoiceItem, body: PaymentCreate, balance: int) -> None:
    errors: list[dict[str, Any]] = []
    if body.amount_cents > balance:
        errors.append({"field": "body.amount_cents", "message": f"more than the balance of {balance} cents",
                       "code": "overpayment"})
    if body.received_on > clock.now().date():
        errors.append({"field": "body.received_on", "message": "a day not after today", "code": "in_the_future"})
    if errors:
        raise Unprocessable("the payment does not fit the invoice", errors=errors)
    if body.reference and any(payment["method"] == body.method and payment["reference"] == body.reference
                              for payment in invoice.payments):
        raise Conflict(f"a {body.method} payment {body.reference!r} is recorded on the invoice already")
    if len(invoice.payments) >= MAX_PAYMENTS:
        raise Conflict(f"an invoice takes at most {MAX_PAYMENTS} payments")


def record_payment(principal: Principal, invoice_id: str, body: PaymentCreate,
                   info: RequestInfo) -> tuple[InvoiceOut, int]:
    """A payment of a sent or overdue invoice (409 otherwise), at most its balance (422); the invoice is paid when
    its balance reaches zero."""
    invoice = _for_change(principal, invoice_id, "pay")
    _check_payment(invoice, body, store.shown(invoice)[0].balance_cents)
    uow = uow_of(principal, info)
    take_payment(uow, invoice, body.model_dump(mode="json") | {
        "id": ids.new_id("pmt"), "recorded_by": principal.id, "recorded_at": clock.iso(clock.now())})
    uow.commit()
    return store.shown(invoice)


def take_payment(uow: UnitOfWork, invoice: InvoiceItem, payment: dict[str, Any]) -> None:
    """Stage ``payment`` (a ``PaymentOut``'s fields, at most the balance of a sent or overdue invoice) in ``uow``:
    counted as collected, with ``fieldwork.invoice.payment_recorded``, and the invoice paid (``.paid``) when its
    balance reaches zero."""
    invoice.payments = [*invoice.payments, payment]
    count_money(uow, collected=payment["amount_cents"])
    paid = store.shown(invoice)[0].balance_cents == 0
    if paid:
        _leave_unpaid(uow, invoice)
        invoice.status, invoice.paid_at = Status.PAID.value, payment["recorded_at"]
    store.stage(uow, invoice, "updated", INVOICE_PAYMENT_RECORDED)
    if paid:
        store.announce(uow, invoice, INVOICE_PAID)


def void_invoice(principal: Principal, invoice_id: str, body: InvoiceVoid, expected_version: int,
                 info: RequestInfo) -> tuple[InvoiceOut, int]:
    """Void a draft, sent or overdue invoice with no payment (409 otherwise). Its work order, unless closed
    meanwhile, is completed again, to be invoiced anew."""
    invoice = _for_change(principal, invoice_id, "void", expected_version)
    if invoice.payments:
        raise Conflict("the invoice has payments recorded: it is not voided")
    uow = uow_of(principal, info)
    _leave_unpaid(uow, invoice)
    if invoice.status != Status.DRAFT:  # it was counted as invoiced when sent
        count_money(uow, invoiced=-store.shown(invoice)[0].total_cents)
    invoice.status, invoice.voided_at, invoice.void_reason = Status.VOID.value, clock.iso(clock.now()), body.reason
    reopen_for_invoicing(uow, invoice.work_order_id, invoice.id)
    return store.write(uow, invoice, "updated", INVOICE_VOIDED)


def _leave_unpaid(uow: UnitOfWork, invoice: InvoiceItem) -> None:
    """A sent invoice leaving ``sent`` takes its due entry out of the overdue job's way."""
    if invoice.status == Status.SENT:
        uow.discard(store.due_entry(invoice))
