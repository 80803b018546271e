"""Payment card numbers: 13 to 19 digits, whole or in groups split by single spaces or dashes (groups of three or
more, but for the last: "3056 9309 0259 04"), that pass the Luhn check and begin with a known issuer's prefix at
one of its lengths.

A run of digit groups longer than a card ("4111 1111 1111 1111 12") is tried window by window of whole groups (the
detector keeps the longest of overlapping ones), so a card followed by a count is still found; a tracking number
is not, as no issuer's range starts it.
"""

import re
from collections.abc import Iterator

from atrium.compliance.pii.checksums import luhn_valid
from atrium.compliance.pii.findings import PiiFinding, PiiKind

_RUN = re.compile(r"(?<![\w.,])(?>\d+(?:[ -]\d+)*)(?!\w)")
_GROUP = re.compile(r"\d+")
_ANY = range(16, 20)
# (lowest prefix, highest prefix, lengths): Visa, Mastercard, American Express, Discover, Diners Club, JCB,
# UnionPay, Maestro.
_ISSUERS: tuple[tuple[str, str, range | tuple[int, ...]], ...] = (
    ("4", "4", (13, 16, 19)),
    ("51", "55", (16,)), ("2221", "2720", (16,)),
    ("34", "34", (15,)), ("37", "37", (15,)),
    ("6011", "6011", _ANY), ("644", "649", _ANY), ("65", "65", _ANY),
    ("300", "305", range(14, 20)), ("36", "36", range(14, 20)), ("38", "39", _ANY),
    ("3528", "3589", _ANY),
    ("62", "62", _ANY),
    ("5018", "5018", range(13, 20)), ("5020", "5020", range(13, 20)), ("5038", "5038", range(13, 20)),
    ("5893", "5893", range(13, 20)), ("6304", "6304", range(13, 20)), ("6759", "6759", range(13, 20)),
    ("6761", "6763", range(13, 20)),
)


def _issued(digits: str) -> bool:
    return any(low <= digits[:len(low)] <= high and len(digits) in lengths for low, high, lengths in _ISSUERS)


def card_number(digits: str) -> bool:
    return 13 <= len(digits) <= 19 and _issued(digits) and luhn_valid(digits)


def find_cards(text: str) -> Iterator[PiiFinding]:
    for run in _RUN.finditer(text):
        groups = [(run.start() + group.start(), run.start() + group.end()) for group in _GROUP.finditer(run.group())]
        for i, (start, _) in enumerate(groups):
            digits = ""
            for group_start, end in groups[i:i + 19]:
                digits += text[group_start:end]
                if card_number(digits):
                    yield PiiFinding(PiiKind.CARD, start, end, text[start:end])
                if len(digits) >= 19 or end - group_start < 3:  # a group of one or two digits ends a card
                    break
