"""What the detector reports: a kind of personal data and where it is in the text."""

from dataclasses import dataclass
from enum import StrEnum


class PiiKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    CARD = "card"
    NATIONAL_ID = "national_id"


@dataclass(frozen=True, slots=True)
class PiiFinding:
    kind: PiiKind
    start: int  # offsets in the scanned text, ``text[start:end] == finding.text``
    end: int
    text: str
