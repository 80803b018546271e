"""Compliance's public face: rotating a tenant's data key, a tenant's deletion as operators follow it, and the
personal-data detector for free text (emails, phone numbers, payment cards, national identifiers), with what a
write path or the AI gateway does with its findings.

    findings = detect_pii(note, region="GB")             # [PiiFinding(kind, start, end, text), ...]
    screened = screen_text(note, PiiMode.REDACT)         # screened.text: "Call [phone] about ..."

    notes = free_text(UnicodeAttribute(default=""))      # on a model: personal, and screened as it is written

A model takes ``free_text`` from here: importing this module installs what screens free text on write (the tenant's
privacy settings: flag or redact).

docs/compliance.md says what it finds, what it misses, and how well (precision and recall on the labelled sample);
docs/encryption.md how fields are encrypted and keys rotated.
"""

from atrium.compliance.keys.rotation import rotate_data_key
from atrium.compliance.offboarding.schemas import DeletionOut
from atrium.compliance.offboarding.service import read_deletion as tenant_deletion
from atrium.compliance.pii.detector import DEFAULT_REGION, detect_pii
from atrium.compliance.pii.findings import PiiFinding, PiiKind
from atrium.compliance.pii.screening import PiiMode, ScreenedText, redact_pii, screen_text
from atrium.compliance.privacy import on_write as _installs_the_screen  # noqa: F401
from atrium.kernel.store.protection import free_text

__all__ = ["DEFAULT_REGION", "DeletionOut", "PiiFinding", "PiiKind", "PiiMode", "ScreenedText", "detect_pii",
           "free_text", "redact_pii", "rotate_data_key", "screen_text", "tenant_deletion"]
