"""The check digits of payment cards, Canadian SINs (Luhn) and IBANs (ISO 7064 mod 97-10)."""


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def iban_valid(compact: str) -> bool:
    """``compact``: upper-case letters and digits, no spaces. The country and check digits move to the end and each
    letter becomes two digits (A = 10 ... Z = 35): a valid IBAN leaves 1 modulo 97."""
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1
