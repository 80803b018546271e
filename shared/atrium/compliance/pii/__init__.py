"""Personal data in free text: emails, phone numbers, payment cards and national identifiers, found by pattern and
checked (Luhn, mod 97, the issuing rules, phone numbering plans), then flagged or redacted (docs/compliance.md)."""
