"""Sending an invoice: the job ``fieldwork.send_invoice``, started when the invoice is sent.

Each step records what it did on the invoice before the next one starts, so a retried job goes on where the last
attempt stopped and does nothing twice:

1. The PDF, stored at ``tenants/<tenant>/fieldwork/invoices/<invoice id>/<number>.pdf`` (S3 checks its SHA-256), then
   recorded on the invoice with its size and SHA-256.
2. The email: the billing contact gets the amount, the due date and a download link of the PDF with its SHA-256
   (mail has no attachments); the message id is recorded. Only an attempt that dies between SES taking the email
   and that one write would send it again.

An invoice voided before the job runs is neither rendered nor emailed. A skipped email (a suppressed address, or the
workspace's mail held until its owner verifies their address) fails the attempt; the job can be retried once that
is resolved. The records are saved at the version read, without an event (the invoice's own changes have theirs):
a payment recorded meanwhile fails the attempt, and the retry goes on.
"""

from typing import Any

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.invoices.document import day, money, render_pdf
from atrium.apps.fieldwork.invoices.models import InvoiceItem
from atrium.apps.fieldwork.invoices.schemas import InvoiceChanged, Status
from atrium.kernel import clock, files
from atrium.kernel.grants import Grant
from atrium.kernel.jobs import JobContext, JobKind
from atrium.mail.api import Category, Email, send_email

TAG = "atrium-kind=fieldwork-invoice"  # kept: no lifecycle rule matches it
TEMPLATE = "files"
# Transactional: the billing contact is the tenant's customer, not a member with preferences.
CATEGORY = Category.CUSTOMER_NOTICES


class EmailNotSent(Exception):
    """The mail service skipped the invoice's email; the attempt fails and the job may be retried."""


def send(job: JobContext) -> dict[str, Any]:
    invoice = records.load(InvoiceItem, "invc", job.tenant_id, str(job.params["invoice_id"]), consistent=True)
    if invoice.status != Status.VOID:
        if invoice.pdf is None:
            _store_pdf(invoice)
            job.progress(0.5, "PDF stored")
        if invoice.message_id is None:
            _email(invoice)
    return {"invoice_id": invoice.id, "number": invoice.number, "status": invoice.status,
            "sha256": invoice.pdf["sha256"] if invoice.pdf else None, "emailed_to": invoice.emailed_to}


def _store_pdf(invoice: InvoiceItem) -> None:
    body = render_pdf(records.shown(InvoiceChanged, invoice))
    key = files.tenant_key(invoice.tenant_id, "fieldwork", "invoices", invoice.id, f"{invoice.number}.pdf")
    sha256 = files.upload_bytes(key, body, content_type="application/pdf", tags=TAG)
    invoice.pdf = {"key": key, "size": len(body), "sha256": sha256}
    invoice.save()  # at the version read: a change meanwhile fails the attempt


def _email(invoice: InvoiceItem) -> None:
    shown = records.shown(InvoiceChanged, invoice)
    assert invoice.pdf is not None
    name = f"{invoice.number}.pdf"
    to = shown.bill_to.email
    message_id = send_email(Email(to=to, template=TEMPLATE, category=CATEGORY, context={
        "headline": f"Invoice {shown.number}: {money(shown.total_cents)} due {day(shown.due_on)}",
        "message": f"Dear {shown.bill_to.name}, here is invoice {shown.number} for {shown.customer_name}, for the "
                   f"backflow testing work of work order {shown.work_order_id}: {money(shown.total_cents)}, due "
                   f"{day(shown.due_on)} (net {shown.net_terms_days} days).",
        "files": [{"name": name, "sha256": invoice.pdf["sha256"],
                   "url": files.download_url(invoice.pdf["key"], filename=name)}],
        "links_note": f"The link works for {files.DOWNLOAD_URL_SECONDS // 60} minutes; ask us for a copy after "
                      "that. The SHA-256 lets you check the file you downloaded."}))
    if message_id is None:
        raise EmailNotSent(f"the email to {to} was not sent: the address is suppressed, or the workspace's mail is "
                           "held until its owner verifies their address; retry the job once that is resolved")
    invoice.emailed_to, invoice.emailed_at, invoice.message_id = to, clock.iso(clock.now()), message_id
    invoice.save()


# Declared beside the code that runs it; ``service`` starts it, ``jobs.py`` lists it.
SEND_INVOICE = JobKind(
    name="fieldwork.send_invoice", run=send,
    description="Render a sent invoice as a PDF, store it with its SHA-256, and email it to the customer's billing "
                "contact.",
    permission="invoices:send",
    grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.FILES_READ, Grant.FILES_WRITE, Grant.MAIL_SEND}),
    timeout_seconds=120, layers=frozenset({"pdf"}))
