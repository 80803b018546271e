"""An invoice's money, in integer cents: each line's amount, the subtotal, the taxable subtotal, and the tax, rounded
half up to the cent once, on the taxable subtotal (not line by line, so the lines' roundings do not add up)."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol


class Line(Protocol):
    @property
    def quantity(self) -> int: ...

    @property
    def unit_price_cents(self) -> int: ...

    @property
    def taxable(self) -> bool: ...


def amount(line: Line) -> int:
    return line.quantity * line.unit_price_cents


def subtotal(lines: Iterable[Line]) -> int:
    return sum(amount(line) for line in lines)


def taxable_subtotal(lines: Iterable[Line]) -> int:
    return sum(amount(line) for line in lines if line.taxable)


def tax(taxable_cents: int, rate_percent: Decimal) -> int:
    """``rate_percent`` of ``taxable_cents``, to the nearest cent, a half cent up."""
    return int((Decimal(taxable_cents) * rate_percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
