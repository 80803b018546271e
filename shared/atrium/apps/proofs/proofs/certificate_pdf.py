"""The approval certificate as a PDF: what was approved (the version's file and SHA-256), by whom, and every
decision on that version with its time and IP.

A pure function of its input: the same certificate renders to the same bytes (the PDF's creation date is the
approval's), so a retried job stores the same file. fpdf2 is imported here only, when a certificate is rendered,
so the route functions that import the proofs app do not load it at cold start.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from atrium.kernel import clock
from atrium.kernel.pdf import latin1_safe

if TYPE_CHECKING:
    from fpdf import FPDF

_FONT = "Helvetica"
_HASH_FONT = "Courier"


@dataclass(frozen=True)
class CertificateReviewer:
    user_id: str
    email: str  # empty for a reviewer who is no longer a member and never decided
    required: bool


@dataclass(frozen=True)
class CertificateDecision:
    reviewer_id: str
    reviewer_email: str
    decision: str
    decided_at: datetime
    ip: str | None
    note: str


@dataclass(frozen=True)
class Certificate:
    proof_id: str
    title: str
    version: int
    filename: str
    sha256: str  # hex
    size: int
    approved_at: datetime
    reviewers: list[CertificateReviewer]
    decisions: list[CertificateDecision]  # on this version, oldest first


def render_pdf(certificate: Certificate) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(certificate.approved_at)
    pdf.set_title(latin1_safe(f"Approval certificate: {certificate.title}"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(_FONT, "B", 18)
    pdf.cell(text="Approval certificate", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, size=12)
    pdf.multi_cell(0, 8, latin1_safe(certificate.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font(_FONT, size=10)
    with pdf.table(col_widths=(35, 155), first_row_as_headings=False) as table:
        for label, value in (("Proof", certificate.proof_id), ("Version", str(certificate.version)),
                             ("File", latin1_safe(certificate.filename)), ("Size", f"{certificate.size} bytes"),
                             ("Approved at", clock.iso(certificate.approved_at))):
            table.row((label, value))
    pdf.ln(2)
    pdf.cell(text="SHA-256 of the approved file:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_HASH_FONT, size=9)
    pdf.cell(text=certificate.sha256, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    _heading(pdf, "Reviewers")
    with pdf.table(col_widths=(80, 80, 30)) as table:
        table.row(("Email", "User", "Required"))
        for reviewer in certificate.reviewers:
            table.row((latin1_safe(reviewer.email), reviewer.user_id, "yes" if reviewer.required else "no"))
    pdf.ln(6)

    _heading(pdf, f"Decisions on version {certificate.version}")
    with pdf.table(col_widths=(55, 60, 40, 35)) as table:
        table.row(("Time (UTC)", "Reviewer", "Decision", "IP"))
        for decision in certificate.decisions:
            table.row((clock.iso(decision.decided_at), latin1_safe(decision.reviewer_email or decision.reviewer_id),
                       decision.decision, decision.ip or "unknown"))
            if decision.note:
                table.row().cell(latin1_safe(f"Note: {decision.note}"), colspan=4)
    return bytes(pdf.output())


def _heading(pdf: "FPDF", text: str) -> None:
    pdf.set_font(_FONT, "B", 13)
    pdf.cell(text=text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(_FONT, size=10)
