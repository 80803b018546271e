"""Invoice items. An invoice is its own entity (``T#<tenant>#Invoice#invc_…``) on its customer's gsi2 collection
(newest first) and, while unpaid (sent or overdue), on gsi1 under ``T#<tenant>#UnpaidInvoices`` sorted by due date:
a sparse index, which a paid or void invoice leaves, so the unpaid list by age is one Query a page. While sent (not
yet overdue) a due entry in its partition is on gsi1 under ``T#<tenant>#InvoicesComingDue`` sorted by due date, so the
daily job finds exactly the invoices that became overdue. The tenant's invoice numbers come from one counter item.
"""

from pynamodb.attributes import JSONAttribute, ListAttribute, NumberAttribute, UnicodeAttribute

from atrium.compliance.api import free_text
from atrium.kernel.personal_data import ERASED_EMAIL
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, TenantEntity
from atrium.kernel.store.protection import personal

INVOICE = "Invoice"
CUSTOMER_INVOICES = "CustomerInvoices"
UNPAID_INVOICES = "UnpaidInvoices"
COMING_DUE = "InvoicesComingDue"
UNPAID = frozenset({"sent", "overdue"})


def by_due_date(due_on: str, invoice_id: str) -> str:
    """``2026-12-31#invc_…``: the oldest due date first."""
    return f"{due_on}#{invoice_id}"


class InvoiceItem(TenantEntity, discriminator=INVOICE):
    number = UnicodeAttribute()  # INV-000042: the tenant's numbers, in order, without gaps
    work_order_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    customer_name = personal(UnicodeAttribute())
    bill_to = personal(JSONAttribute())  # {name, email, phone}: the customer's billing contact when drafted
    billing_address = personal(JSONAttribute())  # the customer's service address when drafted
    assembly_ids = ListAttribute[str](default=list)
    line_items = JSONAttribute(default=list)  # [{kind, description, quantity, unit_price_cents, assembly_id, taxable}]
    tax_rate_percent = UnicodeAttribute(default="0")  # a decimal, as given: "8.875"
    net_terms_days = NumberAttribute(default=30)
    notes = free_text(UnicodeAttribute(default=""))
    status = UnicodeAttribute(default="draft")
    issued_on = UnicodeAttribute(null=True)  # YYYY-MM-DD, the day it was sent
    due_on = UnicodeAttribute(null=True)
    payments = JSONAttribute(default=list)  # [{id, amount_cents, method, received_on, reference, recorded_by, ...}]
    overpayments = JSONAttribute(default=list)  # as payments: what came beyond the balance, to refund
    sent_at = UnicodeAttribute(null=True)  # ISO-8601 UTC, as the others
    overdue_at = UnicodeAttribute(null=True)
    paid_at = UnicodeAttribute(null=True)
    voided_at = UnicodeAttribute(null=True)
    void_reason = UnicodeAttribute(null=True)
    # What the send job did so far, so a retried job does each step once: the PDF ({key, size, sha256}), the email.
    job_id = UnicodeAttribute(null=True)
    pdf = JSONAttribute(null=True)
    emailed_to = personal(UnicodeAttribute(null=True))
    emailed_at = UnicodeAttribute(null=True)
    message_id = UnicodeAttribute(null=True)

    def after_erasure(self) -> None:
        """Erasing its customer's contact (``kernel.personal_data.erase_personal``) deletes its PDF, which goes
        here too, and where it was emailed reads as an erased address."""
        self.pdf = None
        self.emailed_to = ERASED_EMAIL if self.emailed_to else None

    def assign_keys(self) -> None:
        super().assign_keys()
        if self.status in UNPAID and self.due_on:
            self.gsi1pk = keys.collection_pk(self.tenant_id, UNPAID_INVOICES)
            self.gsi1sk = by_due_date(self.due_on, self.id)
        else:
            self.gsi1pk = self.gsi1sk = None
        self.gsi2pk = keys.bucketed_collection_pk(self.tenant_id, CUSTOMER_INVOICES, self.customer_id)
        self.gsi2sk = self.id


class DueEntryItem(Item, discriminator="InvoiceDue"):
    """A sent invoice's due date (sk ``InvoiceDue``), created when it is sent and deleted when it leaves ``sent``
    (paid, void, overdue); it never changes meanwhile, so it is deleted by its key, unread."""

    tenant_id = UnicodeAttribute()
    invoice_id = UnicodeAttribute()
    due_on = UnicodeAttribute()

    def assign_keys(self) -> None:
        self.pk = keys.entity_pk(self.tenant_id, INVOICE, self.invoice_id)
        self.sk = self.type_name()
        self.gsi1pk = keys.collection_pk(self.tenant_id, COMING_DUE)
        self.gsi1sk = by_due_date(self.due_on, self.invoice_id)


class InvoiceNumberItem(Item, discriminator="InvoiceNumber"):
    """The tenant's last invoice number, taken in each new invoice's transaction at the version read."""

    tenant_id = UnicodeAttribute()
    last = NumberAttribute(default=0)

    def assign_keys(self) -> None:
        self.pk = keys.entity_pk(self.tenant_id, self.type_name(), "fieldwork")
