"""A submitted report in its district's form: the PDF and the CSV show the form's fields only, in its order."""

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime

from pypdf import PdfReader

from atrium.apps.fieldwork.districts.schemas import ReportField
from atrium.apps.fieldwork.submissions.forms import FormReport, render_csv, render_pdf

REPORT = FormReport(
    report_id="rpt_01JDQ3Z8M4W6N0B2C4E6G8J0K2", signed_at="2026-12-04T15:00:00.000Z", amends=None,
    customer="Harbour Bakery", site_address="12 Harbour Road, Springfield, OR 97477", assembly_type="PVB",
    make="Febco", model="765", serial="PV-3310", size_inches=1.0, location="Back wall", hazard="high",
    readings={"air_inlet_opening_psid": 1.2, "check_valve_psid": 0.9}, result="failed",
    failures=["check valve below 1.0 psid"], tested_on="2026-12-04", tester="dana@harbour.example",
    certification="BAT-20931 (Oregon Health Authority, valid through 2099-06-30)",
    gauge="G-77 (Mid-West Instrument 845-5, calibrated through 2099-01-15)")
CREATED = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def _pdf_text(report: FormReport, fields: list[ReportField]) -> str:
    pdf = render_pdf(report, fields, district="Springfield Utility Board",
                     submission_id="sbm_01JDQ3Z8M4W6N0B2C4E6G8J0K2", created_at=CREATED)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_every_field_shows_in_the_forms_order() -> None:
    text = _pdf_text(REPORT, list(reversed(ReportField)))
    shown = ["Test gauge G-77", "Tester certification BAT-20931", "Tester dana@harbour.example",
             "Test date 2026-12-04", "Result failed: check valve below 1.0 psid", "Air inlet opening 1.2 psid",
             "Check valve 0.9 psid", "Hazard high", "Location Back wall", "Size 1 in", "Serial number PV-3310",
             "Model 765", "Make Febco", "Assembly type PVB (pressure vacuum breaker)",
             "Site address 12 Harbour Road, Springfield, OR 97477", "Customer Harbour Bakery"]
    assert [text.index(line) for line in shown] == sorted(text.index(line) for line in shown)
    assert "Report rpt_01JDQ3Z8M4W6N0B2C4E6G8J0K2, signed 2026-12-04T15:00:00.000Z" in text


def test_a_field_left_out_of_the_form_is_not_shown() -> None:
    text = _pdf_text(replace(REPORT, amends="rpt_01JDQ3Z8M4W6N0B2C4E6G8J0K1"),
                     [ReportField.SERIAL, ReportField.READINGS, ReportField.CERTIFICATION])
    assert "PV-3310" in text and "Check valve 0.9 psid" in text and "BAT-20931" in text
    assert "Corrects report rpt_01JDQ3Z8M4W6N0B2C4E6G8J0K1" in text
    for absent in ("Harbour Bakery", "Harbour Road", "G-77", "dana@", "Febco", "failed", "2026-12-04 "):
        assert absent not in text, absent


def test_the_same_report_renders_the_same_bytes() -> None:
    fields = list(ReportField)
    assert render_pdf(REPORT, fields, district="D", submission_id="sbm_x", created_at=CREATED) == render_pdf(
        REPORT, fields, district="D", submission_id="sbm_x", created_at=CREATED)


def test_the_csv_has_a_row_a_report_and_a_column_a_field_never_a_formula() -> None:
    other = replace(REPORT, report_id="rpt_2", customer="=HYPERLINK(\"http://x\")", readings={
        "check_valve_1_psid": 6.2, "check_valve_2_closed_tight": True, "relief_valve_opening_psid": 2.8})
    fields = [ReportField.CUSTOMER, ReportField.READINGS, ReportField.RESULT]
    rows = list(csv.reader(io.StringIO(render_csv([REPORT, other], fields).decode())))
    assert rows == [
        ["report_id", "customer", "readings", "result"],
        [REPORT.report_id, "Harbour Bakery", "Air inlet opening: 1.2 psid; Check valve: 0.9 psid",
         "failed: check valve below 1.0 psid"],
        ["rpt_2", "'=HYPERLINK(\"http://x\")",
         "Check valve 1: 6.2 psid; Check valve 2 closed tight: yes; Relief valve opening: 2.8 psid",
         "failed: check valve below 1.0 psid"]]
