"""Reading an invoice and writing a change of it with its audit entry and event."""

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.invoices.models import DueEntryItem, InvoiceItem
from atrium.apps.fieldwork.invoices.schemas import InvoiceChanged, InvoiceOut
from atrium.kernel.events.catalog import EventType
from atrium.kernel.store.unit_of_work import UnitOfWork

PREFIX = "invc"


def load(tenant_id: str, invoice_id: str, *, consistent: bool = False) -> InvoiceItem:
    return records.load(InvoiceItem, PREFIX, tenant_id, invoice_id, consistent=consistent)


def shown(invoice: InvoiceItem) -> tuple[InvoiceOut, int]:
    """The invoice as the API shows it, and its version (the ETag)."""
    return records.shown(InvoiceOut, invoice), invoice.version or 0


def due_entry(invoice: InvoiceItem) -> DueEntryItem:
    assert invoice.due_on is not None
    return DueEntryItem(tenant_id=invoice.tenant_id, invoice_id=invoice.id, due_on=invoice.due_on)


def stage(uow: UnitOfWork, invoice: InvoiceItem, change: records.Change, event: EventType) -> None:
    """Add the invoice as it now stands (created, or saved at the version read), its audit entry and ``event`` to
    ``uow``, without committing."""
    records.stage(uow, invoice, change, event, invoice.number, InvoiceChanged)


def announce(uow: UnitOfWork, invoice: InvoiceItem, event: EventType) -> None:
    """A second event (and audit entry) of the change ``stage`` added: a payment that pays the invoice off."""
    records.announce(uow, invoice, event, invoice.number, InvoiceChanged)


def write(uow: UnitOfWork, invoice: InvoiceItem, change: records.Change, event: EventType) -> tuple[InvoiceOut, int]:
    """``stage`` and commit: the invoice as the API now shows it, and its version."""
    stage(uow, invoice, change, event)
    uow.commit()
    return shown(invoice)
