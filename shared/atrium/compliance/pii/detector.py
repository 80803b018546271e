"""One pass of every kind's finder over a text, and one finding per stretch of it.

Where findings overlap, the kind that is checked hardest wins (a card, Luhn-checked, over the phone number its
digits may also dial; a national identifier over a phone; an email over the phone number in its local part), then
the longer finding, then the earlier: the same text always gives the same findings.
"""

from itertools import chain

from atrium.compliance.pii.cards import find_cards
from atrium.compliance.pii.emails import find_emails
from atrium.compliance.pii.findings import PiiFinding, PiiKind
from atrium.compliance.pii.national_ids import find_national_ids
from atrium.compliance.pii.phones import find_phones

DEFAULT_REGION = "US"
_PRECEDENCE = {kind: rank for rank, kind in enumerate((PiiKind.CARD, PiiKind.NATIONAL_ID, PiiKind.EMAIL,
                                                        PiiKind.PHONE))}


def detect_pii(text: str, *, region: str = DEFAULT_REGION) -> list[PiiFinding]:
    """The personal data in ``text``, in order; ``region`` (ISO 3166 alpha-2, upper case) reads phone numbers
    written without a country code (an unknown region reads only international ones)."""
    candidates = chain(find_cards(text), find_national_ids(text), find_emails(text), find_phones(text, region))
    kept: list[PiiFinding] = []
    for finding in sorted(candidates, key=lambda f: (_PRECEDENCE[f.kind], f.start - f.end, f.start)):
        if all(finding.end <= other.start or other.end <= finding.start for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)
