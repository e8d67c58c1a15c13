"""Calendar arithmetic used by rules of law: months added as the courts count them."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from probation.domain.errors import InvalidValue


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def months_between(start: date, end: date) -> float:
    """Whole months from start to end plus the fraction of the next month, for error messages."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    anchor = add_months(start, months)
    nxt = add_months(start, months + 1)
    return months + (end - anchor).days / max((nxt - anchor).days, 1)


@dataclass(frozen=True, kw_only=True)
class Period:
    """A span of days: inclusive start, exclusive end (so a 12-month order from 1 Mar 2026 ends
    on 1 Mar 2027 and its last day is 28 Feb 2027)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValue(
                f"period ends {self.end.isoformat()} before it starts {self.start.isoformat()}",
                field="end",
                value=self.end.isoformat(),
                rule="a period cannot end before it starts",
            )

    @classmethod
    def of_months(cls, start: date, months: int) -> Period:
        return cls(start=start, end=add_months(start, months))

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days
