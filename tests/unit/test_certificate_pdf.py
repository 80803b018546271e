"""The approval certificate's PDF: its text (as a PDF reader extracts it) lists the approval."""

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from atrium.apps.proofs.proofs.certificate_pdf import (
    Certificate,
    CertificateDecision,
    CertificateReviewer,
    render_pdf,
)
from atrium.kernel.pdf import latin1_safe

SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def _certificate(title: str = "Spring campaign poster", note: str = "Looks good") -> Certificate:
    return Certificate(
        proof_id="prf_01JDQ3Z8M4W6N0B2C4E6G8J0K2", title=title, version=3, filename="poster.png", sha256=SHA256,
        size=1048576, approved_at=datetime(2026, 3, 4, 9, 30, 5, tzinfo=UTC),
        reviewers=[CertificateReviewer("usr_ann", "ann@example.com", required=True),
                   CertificateReviewer("usr_bob", "bob@example.com", required=False)],
        decisions=[
            CertificateDecision("usr_ann", "ann@example.com", "approved", datetime(2026, 3, 4, 9, 30, 5, 120000, UTC),
                                "203.0.113.7", note),
            CertificateDecision("usr_bob", "bob@example.com", "approved", datetime(2026, 3, 4, 8, 1, 2, tzinfo=UTC),
                                None, ""),
        ])


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_text_lists_the_proof_the_file_and_every_decision() -> None:
    text = _text(render_pdf(_certificate()))
    for expected in ("Approval certificate", "Spring campaign poster", "prf_01JDQ3Z8M4W6N0B2C4E6G8J0K2", SHA256,
                     "poster.png", "1048576 bytes", "2026-03-04T09:30:05.000Z", "ann@example.com usr_ann yes",
                     "bob@example.com usr_bob no", "2026-03-04T09:30:05.120Z ann@example.com approved 203.0.113.7",
                     "2026-03-04T08:01:02.000Z bob@example.com approved unknown", "Note: Looks good",
                     "Decisions on version 3"):
        assert expected in text, expected


def test_the_same_certificate_renders_the_same_bytes() -> None:
    assert render_pdf(_certificate()) == render_pdf(_certificate())


def test_text_a_core_font_cannot_show_becomes_question_marks() -> None:
    text = _text(render_pdf(_certificate(title="Poster — 春 “A” é\x07", note="OK 👍\nline two")))
    assert "Poster ? ? ?A? é?" in text and "Note: OK ?\nline two" in text
    assert latin1_safe("a\tb€ç") == "a?b?ç"


def test_many_decisions_run_onto_more_pages() -> None:
    base = _certificate()
    many = Certificate(**{**vars(base), "decisions": base.decisions * 40})
    reader = PdfReader(io.BytesIO(render_pdf(many)))
    assert len(reader.pages) > 1 and _text(render_pdf(many)).count("203.0.113.7") == 40
