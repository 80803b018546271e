"""National identifiers of the common formats, each held to its issuing rules:

- US Social Security number: "219-44-5081" or "219 44 5081"; nine bare digits only after an "SSN" label. Never
  issued: area 000, 666 or 900-999, group 00, serial 0000.
- UK National Insurance number: "AB 12 34 56 C" or "AB123456C", upper case; the prefix letters the HMRC never
  uses (D, F, I, Q, U, V; O second; BG, GB, KN, NK, NT, TN, ZZ) and suffixes past D are refused.
- Canadian Social Insurance number: "419 487 574" or "419-487-574", Luhn-checked, not starting with 0 or 8 (never
  issued to people); nine bare digits only after a "SIN" label.
- IBAN: a country's code, two check digits and its account number (spaced in fours or not), as long as that
  country's IBANs are and passing the mod 97 check.

A number labelled as a reference ("Part 219-44-5081") is none of these.
"""

import re
from collections.abc import Iterator

from atrium.compliance.pii.checksums import iban_valid, luhn_valid
from atrium.compliance.pii.findings import PiiFinding, PiiKind
from atrium.compliance.pii.labels import SIN_LABELS, SSN_LABELS, label_before, labelled_as_reference

_DIGITS_END = r"(?![\w]|[ -]\d)"
_SSN = re.compile(rf"(?<![\w.,-])(\d{{3}})([- ])(\d{{2}})\2(\d{{4}}){_DIGITS_END}")
_SIN = re.compile(rf"(?<![\w.,-])(\d{{3}})([- ])(\d{{3}})\2(\d{{3}}){_DIGITS_END}")
_NINE_DIGITS = re.compile(rf"(?<![\w.,-])\d{{9}}{_DIGITS_END}")
_NINO = re.compile(r"(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d\d) ?(\d\d) ?(\d\d) ?[A-D]"
                   r"(?![A-Za-z0-9])")
_NINO_UNUSED_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_IBAN = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2})\d\d(?: ?[A-Z0-9]){11,30}")
# The IBAN length of each country that issues them (the SWIFT IBAN registry).
_IBAN_LENGTHS = {code: int(length) for code, length in re.findall(r"([A-Z]{2}):(\d\d)", (
    "AD:24 AE:23 AL:28 AT:20 AZ:28 BA:20 BE:16 BG:22 BH:22 BR:29 BY:28 CH:21 CR:22 CY:28 CZ:24 DE:22 DK:18 DO:28 "
    "EE:20 EG:29 ES:24 FI:18 FO:18 FR:27 GB:22 GE:22 GI:23 GL:18 GR:27 GT:28 HR:21 HU:28 IE:22 IL:23 IQ:23 IS:26 "
    "IT:27 JO:30 KW:30 KZ:20 LB:28 LC:32 LI:21 LT:20 LU:20 LV:21 MC:27 MD:24 ME:22 MK:19 MR:27 MT:31 MU:30 NL:18 "
    "NO:15 PK:24 PL:28 PS:29 PT:25 QA:29 RO:24 RS:22 SA:24 SC:31 SE:24 SI:19 SK:24 SM:27 ST:25 SV:28 TL:23 TN:24 "
    "TR:26 UA:29 VA:22 VG:24 XK:20"))}


def ssn_issuable(digits: str) -> bool:
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area < "900" and group != "00" and serial != "0000"


def sin_issuable(digits: str) -> bool:
    return digits[0] not in "08" and luhn_valid(digits)


def nino_issuable(prefix: str) -> bool:
    return prefix not in _NINO_UNUSED_PREFIXES


def _finding(text: str, start: int, end: int) -> PiiFinding:
    return PiiFinding(PiiKind.NATIONAL_ID, start, end, text[start:end])


def _grouped_numbers(text: str) -> Iterator[PiiFinding]:
    for pattern, issuable in ((_SSN, ssn_issuable), (_SIN, sin_issuable)):
        for match in pattern.finditer(text):
            digits = match.group(1) + match.group(3) + match.group(4)
            if issuable(digits) and not labelled_as_reference(text, match.start()):
                yield _finding(text, match.start(), match.end())


def _labelled_numbers(text: str) -> Iterator[PiiFinding]:
    for match in _NINE_DIGITS.finditer(text):
        label, _ = label_before(text, match.start())
        digits = match.group()
        if (label in SSN_LABELS and ssn_issuable(digits)) or (label in SIN_LABELS and sin_issuable(digits)):
            yield _finding(text, match.start(), match.end())


def _ninos(text: str) -> Iterator[PiiFinding]:
    for match in _NINO.finditer(text):
        if nino_issuable(match.group(1)):
            yield _finding(text, match.start(), match.end())


def _ibans(text: str) -> Iterator[PiiFinding]:
    for match in _IBAN.finditer(text):
        length = _IBAN_LENGTHS.get(match.group(1))
        # The pattern may run on into the next word ("... 0130 00 EUR"): cut at the country's length.
        compact, end = "", match.start()
        while length and len(compact) < length and end < match.end():
            compact += text[end].strip()
            end += 1
        if length and len(compact) == length and not text[end:end + 1].isalnum() and iban_valid(compact):
            yield _finding(text, match.start(), end)


def find_national_ids(text: str) -> Iterator[PiiFinding]:
    yield from _grouped_numbers(text)
    yield from _labelled_numbers(text)
    yield from _ninos(text)
    yield from _ibans(text)
