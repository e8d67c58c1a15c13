"""Decimal rounding as the published actuarial implementations do it: round half up on the exact
binary value of the float (Java's `BigDecimal(double).setScale(n, HALF_UP)`), so a score computed
here matches one computed by the Ministry of Justice service to the last digit."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, places: int) -> float:
    """`value` rounded half up to `places` decimal places (2.5 -> 3, -2.5 -> -3)."""
    return float(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def whole_percentage(probability: float) -> int:
    """A probability (0..1) as a whole percentage, rounded half up: 0.495 -> 50, 0.49499 -> 49."""
    return int(Decimal(probability).scaleb(2).quantize(Decimal(1), rounding=ROUND_HALF_UP))
