"""An invoice's money and its PDF: tax rounded half up to the cent once, on the taxable subtotal; parts taxable by
default; rates to a thousandth of a percent; the PDF shows every line and sum, the same bytes each time."""

import io
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError
from pypdf import PdfReader

from atrium.apps.fieldwork.invoices import totals
from atrium.apps.fieldwork.invoices.document import money, render_pdf
from atrium.apps.fieldwork.invoices.schemas import InvoiceChanged, InvoiceCreate, InvoiceLine

ID = "01JDQ3Z8M4W6N0B2C4E6G8J0K2"


@pytest.mark.parametrize(("taxable_cents", "rate", "tax_cents"), [
    (0, "8.875", 0),
    (1000, "0", 0),
    (100, "0.5", 1),  # 0.5 cent: half up
    (100, "0.499", 0),  # 0.499 cent: down
    (25, "10", 3),  # 2.5: up (a banker's rounding would give 2)
    (35, "10", 4),  # 3.5: up
    (1, "30", 0),  # 0.3: down
    (8400, "8.875", 746),  # 745.5: up
    (8399, "8.875", 745),  # 745.41125: down
    (333, "7.5", 25),  # 24.975: up
    (999_999, "7.25", 72500),  # 72499.9275: up
    (10_000_000_000, "30", 3_000_000_000),
])
def test_the_tax_is_rounded_half_up_to_the_cent(taxable_cents: int, rate: str, tax_cents: int) -> None:
    assert totals.tax(taxable_cents, Decimal(rate)) == tax_cents


def _line(kind: str, quantity: int, unit_price_cents: int, **changes: Any) -> dict[str, Any]:
    return {"kind": kind, "description": f"A {kind}", "quantity": quantity,
            "unit_price_cents": unit_price_cents} | changes


def _invoice(lines: list[dict[str, Any]], rate: str, **changes: Any) -> InvoiceChanged:
    return InvoiceChanged.model_validate({
        "id": f"invc_{ID}", "number": "INV-000042", "work_order_id": f"wo_{ID}", "customer_id": f"cus_{ID}",
        "customer_name": "Harbour Bakery", "bill_to": {"name": "Dana Reyes", "email": "dana@harbour.example"},
        "billing_address": {"line1": "12 Harbour Road", "city": "Springfield", "region": "OR",
                            "postal_code": "97477"},
        "assembly_ids": [], "line_items": [InvoiceLine.model_validate(line).model_dump() for line in lines],
        "tax_rate_percent": rate, "net_terms_days": 30, "notes": "", "status": "sent", "issued_on": "2026-12-04",
        "due_on": "2027-01-03", "payments": [], "overpayments": [], "sent_at": "2026-12-04T16:00:00.000Z",
        "overdue_at": None, "paid_at": None, "voided_at": None, "void_reason": None, "job_id": None, "pdf": None,
        "emailed_to": None, "emailed_at": None} | changes)


@pytest.mark.parametrize(("lines", "rate", "expected"), [
    # subtotal, taxable subtotal, tax, total
    ([_line("test", 1, 8500), _line("part", 2, 4200), _line("trip_charge", 1, 2500)], "8.875",
     (19400, 8400, 746, 20146)),
    ([_line("test", 3, 8500), _line("repair", 1, 12000)], "9.5", (37500, 0, 0, 37500)),  # labour is not taxed
    ([_line("part", 1, 1999, taxable=False), _line("repair", 1, 5000, taxable=True)], "10", (6999, 5000, 500, 7499)),
    # Once on the subtotal: per line, each 0.5 cent would round up to 1 (2 in all); 1.0 on the 20 cents.
    ([_line("part", 1, 10), _line("part", 1, 10)], "5", (20, 20, 1, 21)),
    ([], "8.875", (0, 0, 0, 0)),
])
def test_an_invoices_totals(lines: list[dict[str, Any]], rate: str, expected: tuple[int, int, int, int]) -> None:
    invoice = _invoice(lines, rate)
    assert (invoice.subtotal_cents, invoice.taxable_subtotal_cents, invoice.tax_cents,
            invoice.total_cents) == expected
    assert invoice.balance_cents == expected[3]


def test_payments_lower_the_balance() -> None:
    payments = [{"id": f"pmt_{ID}", "amount_cents": cents, "method": "check", "received_on": "2026-12-10",
                 "reference": "", "recorded_by": f"usr_{ID}", "recorded_at": "2026-12-10T10:00:00.000Z"}
                for cents in (5000, 146)]
    invoice = _invoice([_line("part", 2, 4200), _line("test", 1, 8500)], "8.875", payments=payments)
    assert (invoice.total_cents, invoice.paid_cents, invoice.balance_cents) == (17646, 5146, 12500)


@pytest.mark.parametrize("rate", ["8.8751", "30.001", "-1", "abc"])
def test_a_tax_rate_is_a_percent_to_a_thousandth_up_to_30(rate: str) -> None:
    with pytest.raises(ValidationError):
        InvoiceCreate.model_validate({"work_order_id": f"wo_{ID}", "tax_rate_percent": rate})
    assert InvoiceCreate.model_validate({"work_order_id": f"wo_{ID}", "tax_rate_percent": 8.875}).tax_rate_percent \
        == Decimal("8.875")


@pytest.mark.parametrize(("cents", "shown"), [(0, "$0.00"), (5, "$0.05"), (123456789, "$1,234,567.89"),
                                              (-300, "-$3.00")])
def test_money_reads_as_dollars_and_cents(cents: int, shown: str) -> None:
    assert money(cents) == shown


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_shows_the_lines_and_the_sums_the_same_each_time() -> None:
    invoice = _invoice([_line("test", 1, 8500, description="Annual test, RP S-100"),
                        _line("part", 2, 4200, description="Relief valve kit ☃"),
                        _line("trip_charge", 1, 2500)], "8.875", notes="Café: pay by check to our office")
    pdf = render_pdf(invoice)
    assert render_pdf(invoice) == pdf
    text = _text(pdf)
    for shown in ("Invoice INV-000042", "Issued December 4, 2026", "Due January 3, 2027 (net 30 days)",
                  f"Work order wo_{ID}", "Bill to:", "Harbour Bakery", "Attn: Dana Reyes, dana@harbour.example",
                  "12 Harbour Road", "Springfield, OR 97477", "Annual test, RP S-100", "Relief valve kit ?",
                  "$42.00", "$84.00", "Subtotal $194.00", "Tax 8.875% of $84.00 taxable $7.46", "Total $201.46",
                  "Paid $0.00", "Balance due $201.46", "Café: pay by check to our office"):
        assert shown in text, shown
    assert text.index("Annual test") < text.index("Relief valve kit") < text.index("Trip charge")
