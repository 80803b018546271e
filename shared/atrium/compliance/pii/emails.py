"""Email addresses: a dot-atom local part (plus tags included), "@", and a domain of labels with an alphabetic
top-level label. Retina image names ("logo@2x.png") look like addresses and are left alone."""

import re
from collections.abc import Iterator

from atrium.compliance.pii.findings import PiiFinding, PiiKind

_LOCAL = r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"(?<![\w.%+-]){_LOCAL}@((?:{_LABEL}\.)+([A-Za-z]{{2,63}}))(?![\w-])")
_FILE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "tif", "tiff", "psd", "pdf", "heic", "bmp"})


def find_emails(text: str) -> Iterator[PiiFinding]:
    for match in _EMAIL.finditer(text):
        if match.group(2).lower() not in _FILE_EXTENSIONS:
            yield PiiFinding(PiiKind.EMAIL, match.start(), match.end(), match.group())
