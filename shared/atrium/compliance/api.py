"""Compliance's public face: the personal-data detector for free text (emails, phone numbers, payment cards,
national identifiers), and what a write path or the AI gateway does with its findings.

    findings = detect_pii(note, region="GB")             # [PiiFinding(kind, start, end, text), ...]
    screened = screen_text(note, PiiMode.REDACT)         # screened.text: "Call [phone] about ..."

docs/compliance.md says what it finds, what it misses, and how well (precision and recall on the labelled sample).
"""

from atrium.compliance.pii.detector import DEFAULT_REGION, detect_pii
from atrium.compliance.pii.findings import PiiFinding, PiiKind
from atrium.compliance.pii.screening import PiiMode, ScreenedText, redact_pii, screen_text

__all__ = ["DEFAULT_REGION", "PiiFinding", "PiiKind", "PiiMode", "ScreenedText", "detect_pii", "redact_pii",
           "screen_text"]
