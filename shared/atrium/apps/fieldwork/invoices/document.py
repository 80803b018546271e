"""An invoice as a PDF: its number, dates and terms, whom it bills, its lines (taxable ones marked), the subtotal,
the tax on the taxable subtotal, the total and the balance due.

A pure function of the invoice: the same invoice renders to the same bytes (the PDF's creation date is when it was
sent). fpdf2 is imported only when a PDF is rendered, so the routes that import the app do not load it.
"""

import datetime as dt

from atrium.apps.fieldwork.invoices.schemas import InvoiceChanged
from atrium.kernel.pdf import latin1_safe

_FONT = "Helvetica"
KIND_NAMES = {"test": "Test", "repair": "Repair", "part": "Part", "trip_charge": "Trip charge"}


def money(cents: int) -> str:
    """``$1,234.05``; a negative amount ``-$3.00``."""
    sign, cents = ("-" if cents < 0 else ""), abs(cents)
    return f"{sign}${cents // 100:,}.{cents % 100:02d}"


def day(value: dt.date | None) -> str:
    return f"{value:%B} {value.day}, {value.year}" if value else ""


def render_pdf(invoice: InvoiceChanged) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="Letter")
    if invoice.sent_at:
        pdf.set_creation_date(dt.datetime.fromisoformat(invoice.sent_at))
    pdf.set_title(f"Invoice {invoice.number}")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(_FONT, "B", 16)
    pdf.cell(text=f"Invoice {invoice.number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, size=10)
    address = invoice.billing_address
    locality = " ".join(part for part in (f"{address.city},", address.region, address.postal_code) if part)
    dates = [f"Issued {day(invoice.issued_on)}", f"Due {day(invoice.due_on)} (net {invoice.net_terms_days} days)",
             f"Work order {invoice.work_order_id}"]
    bill_to = ["Bill to:", invoice.customer_name, f"Attn: {invoice.bill_to.name}, {invoice.bill_to.email}",
               address.line1, address.line2, locality]
    for block in (dates, bill_to):
        for line in filter(None, block):
            pdf.cell(h=5, text=latin1_safe(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    with pdf.table(col_widths=(25, 85, 15, 30, 30, 10), text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT",
                                                                     "CENTER")) as table:
        table.row(("Item", "Description", "Qty", "Unit price", "Amount", "Tax"))
        for item in invoice.line_items:
            table.row((KIND_NAMES[item.kind], latin1_safe(item.description), str(item.quantity),
                       money(item.unit_price_cents), money(item.amount_cents), "T" if item.taxable else ""))
    pdf.ln(4)
    rate = f"{invoice.tax_rate_percent.normalize():f}"
    sums = [("Subtotal", invoice.subtotal_cents), (f"Tax {rate}% of {money(invoice.taxable_subtotal_cents)} taxable",
                                                   invoice.tax_cents),
            ("Total", invoice.total_cents), ("Paid", invoice.paid_cents), ("Balance due", invoice.balance_cents)]
    with pdf.table(col_widths=(140, 55), first_row_as_headings=False, text_align=("RIGHT", "RIGHT")) as table:
        for label, cents in sums:
            table.row((label, money(cents)))
    if invoice.notes:
        pdf.ln(4)
        pdf.multi_cell(w=0, h=5, text=latin1_safe(invoice.notes))
    return bytes(pdf.output())
