"""API shapes of invoices and their payments. Money is in integer cents; the amounts, subtotals, tax, total, what
was paid and the balance are computed (``totals``), never sent."""

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints, computed_field, model_validator

from atrium.apps.fieldwork.invoices import totals
from atrium.apps.fieldwork.schemas import Address, Contact, Name, Notes, Stamped
from atrium.apps.fieldwork.workorders.schemas import MAX_LINE_ITEMS, Id, LineItem, LineItemKind

MAX_PAYMENTS = 100  # kept on the invoice: far more part payments than any invoice gets
MAX_CENTS = 100_000_000_00
# Sales tax commonly falls on goods and not on labour: parts are taxable unless a line says otherwise.
TAXABLE_KINDS = frozenset({LineItemKind.PART})


class Status(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    OVERDUE = "overdue"
    PAID = "paid"
    VOID = "void"


class PaymentMethod(StrEnum):
    CHECK = "check"
    CARD = "card"
    CASH = "cash"
    ACH = "ach"
    OTHER = "other"
    STRIPE = "stripe"  # through the invoice's payment link; the reference is Stripe's payment intent (pi_...)


TaxRate = Annotated[Decimal, Field(ge=0, le=30, max_digits=6, decimal_places=3,
                                   description="Sales tax in percent, to a thousandth (8.875); on the taxable lines")]
NetTerms = Annotated[int, Field(strict=True, ge=0, le=365, description="Days after it is sent that it is due")]


class InvoiceLine(LineItem):
    taxable: bool | None = Field(None, description="Whether the tax applies; left out: parts are taxable, tests, "
                                                   "repairs (labour) and trip charges are not")

    @model_validator(mode="after")
    def _by_kind(self) -> Self:
        if self.taxable is None:
            self.taxable = self.kind in TAXABLE_KINDS
        return self


class InvoiceLineOut(InvoiceLine):
    model_config = ConfigDict(extra="ignore")

    taxable: bool

    @computed_field  # type: ignore[prop-decorator]
    @property
    def amount_cents(self) -> int:
        """The quantity times the unit price, in cents."""
        return totals.amount(self)


_EXAMPLE_ID = "01JDQ3Z8M4W6N0B2C4E6G8J0K2"


class InvoiceCreate(BaseModel):
    """A draft invoice of a completed work order: its customer, billing contact and line items are copied."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "work_order_id": f"wo_{_EXAMPLE_ID}", "tax_rate_percent": "8.875", "net_terms_days": 30,
        "notes": "Thank you for your business"}]})

    work_order_id: Id
    tax_rate_percent: TaxRate = Decimal(0)
    net_terms_days: NetTerms = 30
    notes: Notes = ""


class InvoiceUpdate(BaseModel):
    """A draft's fields; left out (or null): kept. ``line_items`` replaces them all."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"tax_rate_percent": "7.25",
                                                                               "net_terms_days": 15}]})

    bill_to: Contact | None = None
    line_items: Annotated[list[InvoiceLine], Field(max_length=MAX_LINE_ITEMS)] | None = None
    tax_rate_percent: TaxRate | None = None
    net_terms_days: NetTerms | None = None
    notes: Notes | None = None


class InvoiceVoid(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "Billed to the wrong "
                                                                                         "customer"}]})

    reason: Name


class PaymentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "amount_cents": 5000, "method": "check", "received_on": "2026-12-10", "reference": "Check 1042"}]})

    amount_cents: Annotated[int, Field(strict=True, ge=1, le=MAX_CENTS, description="In cents; at most the balance")]
    method: PaymentMethod
    received_on: dt.date = Field(description="The day it was received (not after today)")
    reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100),
                         Field(description="The check number, card authorization, transfer id...")] = ""


class PaymentOut(BaseModel):
    id: str
    amount_cents: int
    method: PaymentMethod
    received_on: dt.date
    reference: str
    recorded_by: str
    recorded_at: str


class StoredPdf(BaseModel):
    model_config = ConfigDict(extra="ignore")  # its key is not shown

    size: int
    sha256: str = Field(description="Hex SHA-256 of the stored PDF")


_LINE: dict[str, JsonValue] = {"kind": "part", "description": "Relief valve rubber kit", "quantity": 1,
                               "unit_price_cents": 4200, "assembly_id": f"asm_{_EXAMPLE_ID}", "taxable": True,
                               "amount_cents": 4200}


class InvoiceChanged(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": f"invc_{_EXAMPLE_ID}", "number": "INV-000042", "work_order_id": f"wo_{_EXAMPLE_ID}",
        "customer_id": f"cus_{_EXAMPLE_ID}", "customer_name": "Harbour Bakery",
        "bill_to": {"name": "Dana Reyes", "email": "dana@harbour.example", "phone": ""},
        "billing_address": {"line1": "12 Harbour Road", "line2": "", "city": "Springfield", "region": "OR",
                            "postal_code": "97477"},
        "assembly_ids": [f"asm_{_EXAMPLE_ID}"], "line_items": [_LINE], "tax_rate_percent": "8.875",
        "net_terms_days": 30, "notes": "", "status": "sent", "issued_on": "2026-12-04", "due_on": "2027-01-03",
        "payments": [], "overpayments": [], "sent_at": "2026-12-04T16:00:00Z", "overdue_at": None, "paid_at": None,
        "voided_at": None, "void_reason": None, "job_id": f"job_{_EXAMPLE_ID}", "pdf": None, "emailed_to": None,
        "emailed_at": None,
        "subtotal_cents": 4200, "taxable_subtotal_cents": 4200, "tax_cents": 373, "total_cents": 4573,
        "paid_cents": 0, "balance_cents": 4573, "overpaid_cents": 0}]})

    id: str
    number: str = Field(description="The tenant's invoice number, in order: INV-000042")
    work_order_id: str
    customer_id: str
    customer_name: str
    bill_to: Contact = Field(description="Whom the invoice is sent to: the customer's billing contact when drafted")
    billing_address: Address
    assembly_ids: list[str]
    line_items: list[InvoiceLineOut]
    tax_rate_percent: Decimal
    net_terms_days: int
    notes: str
    status: Status
    issued_on: dt.date | None
    due_on: dt.date | None
    payments: list[PaymentOut]
    overpayments: list[PaymentOut] = Field(description="Money received beyond what the invoice asked (a second "
                                                       "payment link paid, say): to refund, not counted as paid")
    sent_at: str | None
    overdue_at: str | None
    paid_at: str | None
    voided_at: str | None
    void_reason: str | None
    job_id: str | None = Field(description="The job that renders and emails it (GET /v1/jobs/{job_id})")
    pdf: StoredPdf | None
    emailed_to: str | None
    emailed_at: str | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def subtotal_cents(self) -> int:
        return totals.subtotal(self.line_items)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def taxable_subtotal_cents(self) -> int:
        return totals.taxable_subtotal(self.line_items)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def tax_cents(self) -> int:
        """The tax rate of the taxable subtotal, rounded half up to the cent once."""
        return totals.tax(self.taxable_subtotal_cents, self.tax_rate_percent)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_cents(self) -> int:
        return self.subtotal_cents + self.tax_cents

    @computed_field  # type: ignore[prop-decorator]
    @property
    def paid_cents(self) -> int:
        return sum(payment.amount_cents for payment in self.payments)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def balance_cents(self) -> int:
        return self.total_cents - self.paid_cents

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overpaid_cents(self) -> int:
        """The overpayments' sum: what is owed back to the customer."""
        return sum(payment.amount_cents for payment in self.overpayments)


class InvoiceOut(InvoiceChanged, Stamped):
    pass


class InvoiceRead(InvoiceOut):
    pdf_url: str | None = Field(description="A download link of the PDF, valid for an hour (none before it is "
                                            "rendered)")


class PaymentLinkOut(BaseModel):
    url: str = Field(description="Stripe's payment page for the balance: send the customer there")
    checkout_session_id: str = Field(description="The Stripe Checkout Session (cs_...)")
    expires_at: str = Field(description="When the page stops taking payment; ask again for a new one")
    amount_cents: int = Field(description="What the page asks: the balance when the link was made")
    currency: str


class InvoiceList(BaseModel):
    data: list[InvoiceOut]
    next_cursor: str | None
