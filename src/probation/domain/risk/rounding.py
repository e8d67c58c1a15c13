"""Decimal rounding, half up (2.5 -> 3, -2.5 -> -3), never Python's round-half-to-even.

A float is taken at its exact binary value (as Java's `new BigDecimal(double)` does, so the log
ratio matches the Ministry of Justice service digit for digit); after the first rounding the
figures stay Decimal, so 0.49500 is exactly 49.5% and rounds to 50% as a person would."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up_decimal(value: float | Decimal, places: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_half_up(value: float, places: int) -> float:
    """`value` rounded half up to `places` decimal places, as a float."""
    return float(round_half_up_decimal(value, places))


def whole_percentage(probability: float | Decimal) -> int:
    """A probability (0..1) as a whole percentage, rounded half up: 0.495 -> 50, 0.49499 -> 49."""
    return int(round_half_up_decimal(Decimal(probability).scaleb(2), 0))
