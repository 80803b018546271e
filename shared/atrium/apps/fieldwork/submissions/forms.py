"""A submitted report as its district's form shows it: a PDF per report and a CSV summary of the batch, each with
only the district's form fields, in its order.

Pure functions of their input: the same report renders to the same bytes (the PDF's creation date is the
submission's). fpdf2 is imported only when a PDF is rendered, so the routes that import the app do not load it.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from atrium.apps.fieldwork.districts.schemas import ReportField
from atrium.kernel.pdf import latin1_safe

_FONT = "Helvetica"
TYPE_NAMES = {"RP": "reduced pressure", "RPDA": "reduced pressure detector", "DC": "double check",
              "DCDA": "double check detector", "PVB": "pressure vacuum breaker",
              "SVB": "spill-resistant vacuum breaker"}
# A spreadsheet runs a cell starting with one of these as a formula; a quote makes it text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class FormReport:
    """What a district's form may show of one signed report (its records as they stand when it is rendered)."""

    report_id: str
    signed_at: str
    amends: str | None
    customer: str
    site_address: str
    assembly_type: str
    make: str
    model: str
    serial: str
    size_inches: float
    location: str
    hazard: str
    readings: dict[str, float | bool]
    result: str
    failures: list[str]
    tested_on: str
    tester: str  # the tester's email, or id when no longer a member
    certification: str  # number, body and expiry of the certification it was signed under
    gauge: str  # serial, make and model, calibration expiry


def _reading(name: str, value: float | bool) -> tuple[str, str]:
    """``check_valve_1_psid: 6.2`` reads "Check valve 1: 6.2 psid"; ``..._closed_tight: true``, "...: yes"."""
    label = name.removesuffix("_psid").replace("_", " ")
    shown = ("yes" if value else "no") if isinstance(value, bool) else f"{value:.1f} psid"
    return label[:1].upper() + label[1:], shown


def rows(report: FormReport, field: ReportField) -> list[tuple[str, str]]:
    """The labelled values ``field`` shows of ``report`` (readings: one per reading)."""
    if field == ReportField.READINGS:
        return [_reading(name, value) for name, value in report.readings.items()]
    result = report.result + (f": {'; '.join(report.failures)}" if report.failures else "")
    return [{
        ReportField.CUSTOMER: ("Customer", report.customer),
        ReportField.SITE_ADDRESS: ("Site address", report.site_address),
        ReportField.ASSEMBLY_TYPE: ("Assembly type",
                                    f"{report.assembly_type} ({TYPE_NAMES.get(report.assembly_type, '')})"),
        ReportField.MAKE: ("Make", report.make),
        ReportField.MODEL: ("Model", report.model),
        ReportField.SERIAL: ("Serial number", report.serial),
        ReportField.SIZE: ("Size", f"{report.size_inches:g} in"),
        ReportField.LOCATION: ("Location", report.location),
        ReportField.HAZARD: ("Hazard", report.hazard),
        ReportField.RESULT: ("Result", result),
        ReportField.TEST_DATE: ("Test date", report.tested_on),
        ReportField.TESTER: ("Tester", report.tester),
        ReportField.CERTIFICATION: ("Tester certification", report.certification),
        ReportField.GAUGE: ("Test gauge", report.gauge),
    }[field]]


def render_pdf(report: FormReport, form_fields: Sequence[ReportField], *, district: str, submission_id: str,
               created_at: datetime) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="Letter")
    pdf.set_creation_date(created_at)
    pdf.set_title(f"Backflow assembly test report {report.report_id}")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(_FONT, "B", 16)
    pdf.cell(text="Backflow prevention assembly test report", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, size=10)
    heading = [f"Submitted to {district}", f"Report {report.report_id}, signed {report.signed_at}",
               f"Submission {submission_id}"]
    if report.amends:
        heading.append(f"Corrects report {report.amends}")
    for line in heading:
        pdf.cell(h=5, text=latin1_safe(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    with pdf.table(col_widths=(60, 130), first_row_as_headings=False) as table:
        for field in form_fields:
            for label, value in rows(report, field):
                table.row((label, latin1_safe(value)))
    return bytes(pdf.output())


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def render_csv(reports: Sequence[FormReport], form_fields: Sequence[ReportField]) -> bytes:
    """One row per report: its id, then a column per form field (the readings in one: "label: value; ...")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["report_id", *(field.value for field in form_fields)])
    for report in reports:
        cells = []
        for field in form_fields:
            shown = rows(report, field)
            cells.append(_cell(shown[0][1] if field != ReportField.READINGS else
                               "; ".join(f"{label}: {value}" for label, value in shown)))
        writer.writerow([report.report_id, *cells])
    return out.getvalue().encode()
