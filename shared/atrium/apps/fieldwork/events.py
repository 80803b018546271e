"""Event types the fieldwork app emits: every change to its records is audited and emitted as ``fieldwork.*``
(webhooks deliver them). An event's data is the record as the API shows it after the change (before, for a
deletion), without its timestamps (the event's own time says when)."""

from pydantic import BaseModel

from atrium.apps.fieldwork.assemblies.schemas import AssemblyChanged
from atrium.apps.fieldwork.certifications.schemas import CertificationChanged
from atrium.apps.fieldwork.customers.schemas import CustomerChanged, SiteChanged
from atrium.apps.fieldwork.districts.schemas import DistrictChanged
from atrium.apps.fieldwork.gauges.schemas import GaugeChanged
from atrium.apps.fieldwork.invoices.schemas import InvoiceChanged
from atrium.apps.fieldwork.records import Lifecycle
from atrium.apps.fieldwork.reports.schemas import ReportChanged
from atrium.apps.fieldwork.submissions.schemas import SubmissionChanged
from atrium.apps.fieldwork.summaries.schemas import MonthlySummary
from atrium.apps.fieldwork.workorders.schemas import WorkOrderChanged
from atrium.kernel.events.catalog import EventType


def _lifecycle(record: str, data: type[BaseModel], read_permission: str) -> Lifecycle:
    """The created, updated and deleted types of a record."""
    return Lifecycle(*(EventType(f"fieldwork.{record}.{change}", data, f"A {record} was {change}.",
                                 read_permission=read_permission) for change in Lifecycle._fields))


CUSTOMER = _lifecycle("customer", CustomerChanged, "customers:read")
SITE = _lifecycle("site", SiteChanged, "sites:read")
DISTRICT = _lifecycle("district", DistrictChanged, "districts:read")
ASSEMBLY = _lifecycle("assembly", AssemblyChanged, "assemblies:read")
CERTIFICATION = _lifecycle("certification", CertificationChanged, "certifications:read")
GAUGE = _lifecycle("gauge", GaugeChanged, "gauges:read")
REPORT_CREATED = EventType("fieldwork.report.created", ReportChanged, "A test report was drafted.",
                           read_permission="test_reports:read")
REPORT_UPDATED = EventType("fieldwork.report.updated", ReportChanged, "A draft test report changed.",
                           read_permission="test_reports:read")
REPORT_DELETED = EventType("fieldwork.report.deleted", ReportChanged, "A draft test report was deleted by its tester.",
                           read_permission="test_reports:read")
REPORT_SIGNED = EventType("fieldwork.report.signed", ReportChanged, "A test report was signed by its tester (a "
                          "passed one moved its assembly's last test and next due date).",
                          read_permission="test_reports:read")
# The daily job's, one per reminder sent to the customer (``last_reminder`` says which): the 60, 30 and 7 days
# before the due date, and the day after it.
ASSEMBLY_DUE_SOON = EventType("fieldwork.assembly.due_soon", AssemblyChanged, "An assembly is due within 60 days "
                              "(60, 30 or 7 days, as last_reminder says): its customer is emailed a reminder.",
                              read_permission="assemblies:read")
ASSEMBLY_OVERDUE = EventType("fieldwork.assembly.overdue", AssemblyChanged, "An assembly became overdue: its "
                             "customer is emailed a reminder.", read_permission="assemblies:read")

EVENT_TYPES = [*CUSTOMER, *SITE, *DISTRICT, *ASSEMBLY, *CERTIFICATION, *GAUGE, REPORT_CREATED, REPORT_UPDATED,
               REPORT_DELETED, REPORT_SIGNED, ASSEMBLY_DUE_SOON, ASSEMBLY_OVERDUE]

SUBMISSION_CREATED = EventType("fieldwork.submission.created", SubmissionChanged, "A district's waiting signed reports "
                               "were batched into a submission (its job renders, stores and emails them).",
                               read_permission="submissions:read")
SUBMISSION_SENT = EventType("fieldwork.submission.sent", SubmissionChanged, "A submission's PDFs and CSV summary were "
                            "stored and emailed to its district; its reports are submitted.",
                            read_permission="submissions:read")
SUBMISSION_ACCEPTED = EventType("fieldwork.submission.accepted", SubmissionChanged,
                                "The district's acceptance of a submission was recorded.",
                                read_permission="submissions:read")
SUBMISSION_REJECTED = EventType("fieldwork.submission.rejected", SubmissionChanged, "The district's rejection of a "
                                "submission was recorded; its reports wait in the district's queue again.",
                                read_permission="submissions:read")

EVENT_TYPES += [SUBMISSION_CREATED, SUBMISSION_SENT, SUBMISSION_ACCEPTED, SUBMISSION_REJECTED]


def _work_order(change: str, description: str) -> EventType:
    return EventType(f"fieldwork.work_order.{change}", WorkOrderChanged, description,
                     read_permission="work_orders:read")


WORK_ORDER = Lifecycle(_work_order("created", "A work order was drafted."),
                       _work_order("updated", "A work order's assemblies, line items or notes changed."),
                       _work_order("deleted", "A draft work order was deleted."))
WORK_ORDER_SCHEDULED = _work_order("scheduled", "A work order was scheduled (or rescheduled): a day, a window and a "
                                   "tester.")
WORK_ORDER_STARTED = _work_order("started", "The tester started the visit.")
WORK_ORDER_COMPLETED = _work_order("completed", "The visit was completed: the order can be invoiced.")
WORK_ORDER_CANCELED = _work_order("canceled", "A work order was canceled.")
WORK_ORDER_INVOICED = _work_order("invoiced", "A completed work order was billed by an invoice.")
WORK_ORDER_CLOSED = _work_order("closed", "An invoiced work order was closed.")
WORK_ORDER_REOPENED = _work_order("reopened", "The invoice of a work order was voided: the order is completed again, "
                                  "to be invoiced anew.")

EVENT_TYPES += [*WORK_ORDER, WORK_ORDER_SCHEDULED, WORK_ORDER_STARTED, WORK_ORDER_COMPLETED, WORK_ORDER_CANCELED,
                WORK_ORDER_INVOICED, WORK_ORDER_REOPENED, WORK_ORDER_CLOSED]

MONTHLY_SUMMARY_SENT = EventType("fieldwork.monthly_summary.sent", MonthlySummary, "A month's summary was emailed to "
                                 "the owners and admins (on the 1st, for the month that ended).",
                                 read_permission="monthly_summaries:read")
EVENT_TYPES.append(MONTHLY_SUMMARY_SENT)

def _invoice(change: str, description: str) -> EventType:
    return EventType(f"fieldwork.invoice.{change}", InvoiceChanged, description, read_permission="invoices:read")


INVOICE_CREATED = _invoice("created", "A draft invoice was made from a completed work order.")
INVOICE_UPDATED = _invoice("updated", "A draft invoice's billing contact, line items, tax rate, terms or notes "
                           "changed.")
INVOICE_SENT = _invoice("sent", "An invoice was issued with its due date; its job renders the PDF and emails the "
                        "customer's billing contact.")
INVOICE_PAYMENT_RECORDED = _invoice("payment_recorded", "A payment was recorded against an invoice (the last of "
                                    "its payments).")
INVOICE_PAID = _invoice("paid", "An invoice's balance reached zero.")
INVOICE_OVERDUE = _invoice("overdue", "A sent invoice passed its due date unpaid.")
INVOICE_VOIDED = _invoice("voided", "An invoice was voided.")
INVOICE_OVERPAID = _invoice("overpaid", "A payment through the invoice's payment link came beyond its balance (a "
                            "second link paid, a payment recorded meanwhile, a void invoice): the excess is in its "
                            "overpayments, to refund.")

EVENT_TYPES += [INVOICE_CREATED, INVOICE_UPDATED, INVOICE_SENT, INVOICE_PAYMENT_RECORDED, INVOICE_PAID,
                INVOICE_OVERDUE, INVOICE_VOIDED, INVOICE_OVERPAID]
