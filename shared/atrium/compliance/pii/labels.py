"""What the words just before a number say it is. "Order 2025550143" is an order number even though it would dial;
"SSN 123456789" is a social security number even though nine bare digits could be anything."""

import re

_TOKEN = re.compile(r"[A-Za-z][A-Za-z/]*|\S")
# Between a label and its number: "Order no.: 123", "Phone #: 123", "SSN - 123".
_FILLERS = frozenset({"no", "nr", "num", "number", "id", "is", "#", ":", "-", "", "="})  # "." strips to ""
# Labels of numbers that are no one's personal data.
REFERENCE_LABELS = frozenset({
    "order", "ord", "invoice", "inv", "po", "ref", "reference", "ticket", "tkt", "case", "tracking", "serial", "s/n",
    "sn", "sku", "part", "model", "isbn", "confirmation", "conf", "job", "claim", "policy", "lot", "batch", "item",
    "receipt", "quote", "rma", "account", "acct", "booking", "reservation", "transaction", "txn", "shipment",
    "waybill", "permit", "version", "build", "unit", "asset", "wo", "pro", "code", "pin", "passcode", "otp", "meeting",
    "zoom", "webex", "imei",
})
SSN_LABELS = frozenset({"ssn", "ss", "security"})  # "SSN", "SS#", "social security (number)"
SIN_LABELS = frozenset({"sin", "insurance"})  # "SIN", "social insurance (number)"
# Labels of personal numbers, which a "#" may follow ("Phone #: ...", "SS# ...").
_PERSONAL_LABELS = frozenset({"phone", "tel", "telephone", "cell", "mobile", "fax", "ph", "call", "text", "sms",
                              *SSN_LABELS, *SIN_LABELS})
_WINDOW = 40


def label_before(text: str, start: int) -> tuple[str | None, bool]:
    """The word labelling the number at ``start`` (lower case, fillers skipped) and whether a "#" sits between
    them; (None, ...) when the number follows no word."""
    tokens = _TOKEN.findall(text[max(0, start - _WINDOW):start])
    hashed = False
    while tokens and tokens[-1].lower().rstrip(".") in _FILLERS:
        hashed = hashed or tokens[-1] == "#"
        tokens.pop()
    if tokens and tokens[-1][0].isalpha():
        return tokens[-1].lower().rstrip("."), hashed
    return None, hashed


def glued(text: str, start: int) -> bool:
    """Whether the number continues a code ("ORD-2125550100", "A12-345-6789"): a letter or digit right before it,
    or one before a joining dash or slash."""
    before = text[max(0, start - 2):start]
    return bool(before) and (before[-1].isalnum() or (len(before) == 2 and before[0].isalnum() and before[1] in "-/"))


def labelled_as_reference(text: str, start: int) -> bool:
    """Whether the number at ``start`` is an order, invoice, serial... number by its label, by a bare "#" (not a
    "Phone #" or an "SS#"), or by being part of a longer code."""
    label, hashed = label_before(text, start)
    if label in REFERENCE_LABELS:
        return True
    return (hashed and label not in _PERSONAL_LABELS) or glued(text, start)
