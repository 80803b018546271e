"""The daily move of sent invoices past their due date to overdue (``SCHEDULES``).

In each tenant one Query of the due entries before today (only sent invoices have one) finds exactly the invoices
to move, and one consistent BatchGetItem per page of 100 reads them. Each move is one transaction: the invoice at
the version read (overdue), its due entry deleted, the audit entry and ``fieldwork.invoice.overdue``; so an invoice
becomes overdue once whatever runs (a second run finds no entry; a payment or a run beside this one fails it on the
changed version, and the next run sees the invoice as it then stands).
"""

import datetime as dt
from datetime import datetime
from itertools import islice
from typing import Any

from atrium.apps.fieldwork.events import INVOICE_OVERDUE
from atrium.apps.fieldwork.invoices import store
from atrium.apps.fieldwork.invoices.models import COMING_DUE, DueEntryItem, InvoiceItem
from atrium.apps.fieldwork.invoices.schemas import Status
from atrium.apps.fieldwork.tenants import across_tenants
from atrium.kernel import clock
from atrium.kernel.errors import Conflict, PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.events.schedules import ScheduleSpec
from atrium.kernel.grants import Grant
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.unit_of_work import UnitOfWork

NAME = "fieldwork.mark_overdue_invoices"
ACTOR = Ref(type="service", id=NAME, name="overdue invoices")
BATCH = 100  # BatchGetItem's most keys


def mark_overdue_invoices(_at: datetime) -> dict[str, Any]:
    """Every tenant's sent invoices whose due date is before today (UTC)."""
    today = clock.now().date()
    visited, moved = across_tenants(lambda tenant_id: mark_tenant(tenant_id, today))
    return {"tenants": visited, "overdue": moved}


def mark_tenant(tenant_id: str, today: dt.date) -> int:
    """How many of the tenant's sent invoices became overdue."""
    entries = DueEntryItem.gsi1.query(keys.collection_pk(tenant_id, COMING_DUE),
                                      DueEntryItem.gsi1sk < today.isoformat(), page_size=BATCH)
    candidates, moved = (entry for entry in entries if isinstance(entry, DueEntryItem)), 0
    while batch := list(islice(candidates, BATCH)):
        found = Item.batch_get([(entry.pk, keys.ENTITY_SK) for entry in batch], consistent_read=True)
        moved += sum(mark_overdue(invoice, today) for invoice in found if isinstance(invoice, InvoiceItem))
    return moved


def mark_overdue(invoice: InvoiceItem, today: dt.date) -> bool:
    """Move the invoice to overdue if it is still sent and past due."""
    if invoice.status != Status.SENT or invoice.due_on is None or invoice.due_on >= today.isoformat():
        return False
    uow = UnitOfWork(invoice.tenant_id, ACTOR)
    uow.discard(store.due_entry(invoice))
    invoice.status, invoice.overdue_at = Status.OVERDUE.value, clock.iso(clock.now())
    try:
        store.write(uow, invoice, "updated", INVOICE_OVERDUE)
    except (PreconditionFailed, Conflict):  # changed since read (a payment, another run): the next run sees it
        return False
    return True


SCHEDULES = [
    ScheduleSpec(
        name=NAME,
        expression="rate(1 day)",
        handler=mark_overdue_invoices,
        description="Move every sent invoice past its due date to overdue (once each).",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE}),
        timeout_seconds=900,
    ),
]
