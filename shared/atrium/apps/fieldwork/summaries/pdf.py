"""A monthly summary as a PDF: the month's tests and pass rates by assembly type, its invoicing, and the overdue
assemblies.

A pure function of its input (the PDF's creation date is the summary's), so a retried job stores the same file.
fpdf2 is imported only when a PDF is rendered, so the routes that import the app do not load it."""

from datetime import datetime

from atrium.apps.fieldwork.invoices.document import money
from atrium.apps.fieldwork.summaries.schemas import MonthlySummary
from atrium.kernel.pdf import latin1_safe

_FONT = "Helvetica"


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.1f}%"


def render_pdf(summary: MonthlySummary, *, workspace: str, created_at: datetime) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(created_at)
    pdf.set_title(latin1_safe(f"Monthly summary {summary.month}: {workspace}"))
    pdf.add_page()
    pdf.set_font(_FONT, "B", 18)
    pdf.cell(text=f"Monthly summary: {summary.month}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, size=12)
    pdf.cell(text=latin1_safe(workspace), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(_FONT, size=10)
    with pdf.table(col_widths=(70, 120), first_row_as_headings=False) as table:
        table.row(("Tests signed", str(summary.tests)))
        table.row(("Passed", f"{summary.passed} ({_percent(summary.pass_rate)})"))
        table.row(("Invoiced", money(summary.invoiced_cents)))
        table.row(("Collected (payments recorded)", money(summary.collected_cents)))
        table.row(("Overdue assemblies", f"{summary.overdue_assemblies} (as of {summary.overdue_counted_at})"))
    pdf.ln(6)
    pdf.set_font(_FONT, "B", 13)
    pdf.cell(text="By assembly type", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, size=10)
    with pdf.table(col_widths=(40, 35, 35, 45, 35)) as table:
        table.row(("Type", "Tests", "Passed", "Passed first time", "Pass rate"))
        for tally in summary.by_type:
            table.row((str(tally.assembly_type), str(tally.tests), str(tally.passed), str(tally.passed_first_time),
                       _percent(tally.pass_rate)))
    return bytes(pdf.output())
