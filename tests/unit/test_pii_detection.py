"""The detector's rules, kind by kind: what each finds in its written forms, what its checks refuse, how overlaps
resolve, and what flag and redact store."""

import pytest

from atrium.compliance.api import PiiFinding, PiiKind, PiiMode, detect_pii, redact_pii, screen_text


def found(text: str, region: str = "US") -> list[tuple[PiiKind, str]]:
    return [(finding.kind, finding.text) for finding in detect_pii(text, region=region)]


@pytest.mark.parametrize("address", ["jo.smith+proofs@mail.acme.co.uk", "a.b-c_d@sub.domain.example.com",
                                     "UPPER.CASE@EXAMPLE.COM", "first+tag+more@x.example.io"])
def test_emails_with_plus_tags_and_subdomains(address: str) -> None:
    assert found(f"Write to <{address}>, thanks.") == [(PiiKind.EMAIL, address)]


@pytest.mark.parametrize("text", ["logo@2x.png", "npm install lodash@4.17.21", "user@localhost", "@dana see p. 2",
                                  "jane..doe@example", "a@b.c"])
def test_what_only_looks_like_an_email(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("number", ["(415) 555-0132", "415-555-0132", "415.555.0132", "415 555 0132", "4155550132",
                                    "1-800-555-0199", "+1 415 555 0132", "+1-212-555-0100", "+14155550132",
                                    "+44 20 7946 0958", "+33 1 42 68 53 00", "+91 98765 43210", "+81 3-1234-5678"])
def test_phone_numbers_in_their_written_forms(number: str) -> None:
    assert found(f"Call {number} today") == [(PiiKind.PHONE, number)]


def test_the_region_reads_national_numbers() -> None:
    assert found("Office 020 7946 0958") == []  # not a US number
    assert found("Office 020 7946 0958", region="GB") == [(PiiKind.PHONE, "020 7946 0958")]


@pytest.mark.parametrize("text", ["Order 2025550143", "order #2025550143", "PO 212-555-0100", "Invoice no. 2125550100",
                                  "ORD-212-555-0100", "Confirmation code 4155550177", "Meeting ID 415 555 0172",
                                  "555-0132", "on 2024-03-15 at 10:30", "12/05/2025", "$1,234.56", "v2.14.3",
                                  "zip 94107-1234", "Unix time 1710408413"])
def test_numbers_that_are_no_phone(text: str) -> None:
    assert found(text) == []


def test_a_hash_after_a_phone_label_is_still_a_phone() -> None:
    assert found("Phone #: (503) 555-0121") == [(PiiKind.PHONE, "(503) 555-0121")]


@pytest.mark.parametrize("card", ["4111 1111 1111 1111", "4012-8888-8888-1881", "5555555555554444",
                                  "2223 0031 2200 3222", "3782 822463 10005", "6011 1111 1111 1117",
                                  "3530 1113 3330 0000", "3056 9309 0259 04", "6200 0000 0000 0005"])
def test_card_numbers_of_each_issuer(card: str) -> None:
    assert found(f"card {card} exp 11/26") == [(PiiKind.CARD, card)]


@pytest.mark.parametrize("digits", ["4111 1111 1111 1112",  # Luhn fails
                                    "1234 5678 9012 3456",  # no issuer, Luhn fails
                                    "8111 1111 1111 1112",  # Luhn passes, no issuer starts with 8
                                    "490154203237518",  # an IMEI: Luhn passes, but Visa has no 15-digit numbers
                                    "41111111111111111111",  # 20 digits in one group: longer than any card
                                    "9400 1000 0000 0000 0000 00"])  # a USPS tracking number
def test_digits_that_are_no_card(digits: str) -> None:
    assert PiiKind.CARD not in {kind for kind, _ in found(digits)}


def test_a_card_is_found_in_a_longer_run_of_groups() -> None:
    assert found("4111 1111 1111 1111 12 pcs") == [(PiiKind.CARD, "4111 1111 1111 1111")]


@pytest.mark.parametrize("ssn", ["219-44-5081", "078 12 4455", "899-99-9999"])
def test_social_security_numbers(ssn: str) -> None:
    assert found(f"on file: {ssn}.") == [(PiiKind.NATIONAL_ID, ssn)]


@pytest.mark.parametrize("ssn", ["000-12-3456", "666-45-1234", "900-12-3456", "999-12-3456", "123-00-4567",
                                 "123-45-0000", "123-45 6789"])
def test_social_security_numbers_never_issued_or_mixed_separators(ssn: str) -> None:
    assert found(f"on file: {ssn}.") == []


def test_nine_bare_digits_are_an_ssn_or_sin_only_after_its_label() -> None:
    assert found("SSN: 431556902") == [(PiiKind.NATIONAL_ID, "431556902")]
    assert found("SS# 401227310") == [(PiiKind.NATIONAL_ID, "401227310")]
    assert found("Social insurance number 430792440") == [(PiiKind.NATIONAL_ID, "430792440")]
    assert found("Route 431556902") == []
    assert found("SSN 666556902") == []


def test_a_labelled_reference_is_no_national_id() -> None:
    assert found("Serial 219-44-5081") == found("Part no. 219-44-5081") == []


@pytest.mark.parametrize(("text", "expected"), [("SIN 419 487 574", True), ("SIN 565-632-122", True),
                                                ("SIN 419 487 575", False),  # Luhn fails
                                                ("SIN 046 454 286", False),  # Luhn passes, 0 is never issued
                                                ])
def test_canadian_social_insurance_numbers(text: str, expected: bool) -> None:
    assert bool(found(text)) is expected


@pytest.mark.parametrize(("nino", "expected"), [("AB 12 34 56 C", True), ("JG103759A", True), ("CE 45 67 89 D", True),
                                                ("QQ 12 34 56 C", False),  # Q is never a first letter
                                                ("AO 12 34 56 C", False),  # nor O a second
                                                ("BG 12 34 56 A", False), ("GB123456A", False),  # unused prefixes
                                                ("AB 12 34 56 E", False),  # suffixes stop at D
                                                ("XAB123456C", False)])  # part of a longer code
def test_uk_national_insurance_numbers(nino: str, expected: bool) -> None:
    assert bool(found(f"NI {nino} noted")) is expected


@pytest.mark.parametrize("iban", ["DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "NL91 ABNA 0417 1643 00",
                                  "FR14 2004 1010 0505 0001 3M02 606", "CH93 0076 2011 6238 5295 7"])
def test_ibans(iban: str) -> None:
    assert found(f"IBAN {iban} EUR") == [(PiiKind.NATIONAL_ID, iban)]


@pytest.mark.parametrize("text", ["DE89 3704 0044 0532 0130 01",  # check digits fail
                                  "DE89 3704 0044 0532 0130",  # shorter than Germany's IBANs
                                  "ZZ89 3704 0044 0532 0130 00"])  # no such country
def test_what_is_no_iban(text: str) -> None:
    assert found(text) == []


def test_overlaps_resolve_to_one_finding_by_precedence() -> None:
    # The card's digits also hold valid phone numbers, the email's local part one too.
    assert found("4111111111111111 / 4155550132@txt.att.example") == [
        (PiiKind.CARD, "4111111111111111"), (PiiKind.EMAIL, "4155550132@txt.att.example")]


def test_redact_replaces_each_finding_by_its_kind() -> None:
    text = "Call (415) 555-0132 or mail jo@acme.example; SSN 219-44-5081, card 4111 1111 1111 1111."
    assert redact_pii(text, detect_pii(text)) == "Call [phone] or mail [email]; SSN [national_id], card [card]."
    assert redact_pii(text, []) == text


def test_flag_keeps_the_text_and_redact_stores_the_redacted_one() -> None:
    text = "reach me at jo@acme.example"
    expected = (PiiFinding(PiiKind.EMAIL, 12, 27, "jo@acme.example"),)
    assert screen_text(text, PiiMode.FLAG) == screen_text(text, PiiMode.FLAG, region="GB")
    assert (screen_text(text, PiiMode.FLAG).text, screen_text(text, PiiMode.FLAG).findings) == (text, expected)
    assert (screen_text(text, PiiMode.REDACT).text, screen_text(text, PiiMode.REDACT).findings) == (
        "reach me at [email]", expected)
