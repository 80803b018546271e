"""What a write path does with the personal data in a free-text field: ``flag`` keeps the text and reports what
is in it, ``redact`` stores it with each finding replaced by a placeholder naming its kind ("[email]")."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from atrium.compliance.pii.detector import DEFAULT_REGION, detect_pii
from atrium.compliance.pii.findings import PiiFinding


class PiiMode(StrEnum):
    FLAG = "flag"
    REDACT = "redact"


@dataclass(frozen=True, slots=True)
class ScreenedText:
    text: str  # what to store: the text as written (flag) or redacted (redact)
    findings: tuple[PiiFinding, ...]  # where they were in the text as written


def redact_pii(text: str, findings: Sequence[PiiFinding]) -> str:
    """``text`` with each finding (non-overlapping, as ``detect_pii`` gives them) replaced by ``[<kind>]``."""
    parts, cursor = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        parts += [text[cursor:finding.start], f"[{finding.kind.value}]"]
        cursor = finding.end
    return "".join([*parts, text[cursor:]])


def screen_text(text: str, mode: PiiMode, *, region: str = DEFAULT_REGION) -> ScreenedText:
    findings = tuple(detect_pii(text, region=region))
    return ScreenedText(redact_pii(text, findings) if mode is PiiMode.REDACT else text, findings)
