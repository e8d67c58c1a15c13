"""Sentence lengths as the court states them ("10m", "1y6m", "45d") and their conversion to days.

The conversion follows PSI 03/2015 para 5.5 ("converting a sentence into days") as the
calculate-release-dates service implements it (`Duration.getEndDate`): the last day of the
sentence is the day before the start plus the years, months, weeks and days, applied in that
order with months clamped to the end of the month; a sentence starting on the first of a month
that has whole months or years ends on the last day of the final month.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from probation.domain.errors import InvalidValue
from probation.domain.periods import add_months

# Components in the order the court states them; each at most once.
LENGTH_PATTERN = re.compile(r"^(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)w)?(?:(\d+)d)?$")
MAX_YEARS = 100  # a bound on input, well above any determinate term, so dates stay in range
LENGTH_RULE = "a sentence length is years, months, weeks and days, e.g. 10m, 2y, 6w, 45d or 1y6m"


@dataclass(frozen=True, kw_only=True)
class SentenceLength:
    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        parts = (self.years, self.months, self.weeks, self.days)
        if any(p < 0 for p in parts):
            raise InvalidValue(f"sentence length {self} has a negative part", field="length",
                               value=str(self), rule="a sentence length is positive")
        if not any(parts):
            raise InvalidValue("sentence length is zero", field="length", value=str(self),
                               rule="a sentence length is positive")
        approx_days = self.years * 366 + self.months * 31 + self.weeks * 7 + self.days
        if approx_days > MAX_YEARS * 366:
            raise InvalidValue(f"sentence length {self} is longer than {MAX_YEARS} years",
                               field="length", value=str(self),
                               rule=f"a determinate sentence length is under {MAX_YEARS} years")

    @classmethod
    def parse(cls, text: str) -> SentenceLength:
        """Parse "10m", "2y", "6w", "45d", "1y6m" (case-insensitive); reject anything else."""
        raw = text.strip().lower()
        if raw.startswith("-") or raw.startswith("+"):
            raise InvalidValue(f"sentence length {text!r} is not positive", field="length",
                               value=text, rule="a sentence length is positive")
        match = LENGTH_PATTERN.match(raw)
        if not raw or match is None:
            raise InvalidValue(f"sentence length {text!r} is not a length", field="length",
                               value=text, rule=LENGTH_RULE)
        years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
        return cls(years=years, months=months, weeks=weeks, days=days)

    def __str__(self) -> str:
        parts = ((self.years, "y"), (self.months, "m"), (self.weeks, "w"), (self.days, "d"))
        return "".join(f"{n}{unit}" for n, unit in parts if n) or "0d"

    def last_day(self, start: date) -> date:
        """The sentence's last day (its unadjusted expiry) for a sentence starting on `start`."""
        calendar_units = self.years or self.months
        if start.day == 1 and calendar_units:
            # 1 Mar + 1 month ends 31 Mar, not 28 Mar (the day before 1 Mar plus a month).
            anchor = add_months(start, self.years * 12 + self.months - 1)
            end = anchor.replace(day=calendar.monthrange(anchor.year, anchor.month)[1])
        else:
            # Years then months, each clamped: 29 Feb 2024 - 1 day + 12 months = 28 Feb 2025.
            end = add_months(add_months(start - timedelta(days=1), self.years * 12), self.months)
        return end + timedelta(weeks=self.weeks, days=self.days)

    def days_from(self, start: date) -> int:
        """The number of days in the sentence when it starts on `start` (both ends included)."""
        return (self.last_day(start) - start).days + 1
