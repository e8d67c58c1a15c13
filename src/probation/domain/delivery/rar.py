"""Rehabilitation Activity Requirement days (Sentencing Code Sch 9 para 4; CJA 2003 s.200A).

The court sets the maximum number of activity days. Days used are counted as distinct local
dates with a RAR activity that was attended and complied (REFERENCE.md "RAR days used": nDelius
counts either appointments or dates; a day with two sessions is one activity day, because the
order limits days, not sessions). An instruction to attend on a date that is not already used or
booked is refused once used plus booked dates reach the maximum.

"Near the end with days unused": within 8 weeks of the requirement's end and more days remaining
than whole weeks left (at one activity day a week the days could no longer all be used).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from probation.domain.delivery.appointments import AppointmentStatus, Outcome
from probation.domain.errors import InvalidValue

NEAR_END_WEEKS = 8


@dataclass(frozen=True, kw_only=True)
class RarActivity:
    day: date  # local date of the activity
    status: AppointmentStatus
    outcome: Outcome | None


@dataclass(frozen=True, kw_only=True)
class RarProgress:
    max_days: int
    used_dates: tuple[date, ...]
    booked_dates: tuple[date, ...]  # future or not yet recorded, not already used
    requirement_end: date           # exclusive
    as_of: date

    @property
    def days_used(self) -> int:
        return len(self.used_dates)

    @property
    def days_remaining(self) -> int:
        return max(self.max_days - self.days_used, 0)

    @property
    def days_committed(self) -> int:
        return self.days_used + len(self.booked_dates)

    @property
    def weeks_left(self) -> int:
        return max((self.requirement_end - self.as_of).days, 0) // 7

    @property
    def near_end_with_days_unused(self) -> bool:
        within = self.as_of >= self.requirement_end - timedelta(weeks=NEAR_END_WEEKS)
        return within and self.as_of < self.requirement_end and self.days_remaining > self.weeks_left

    @property
    def warning(self) -> str | None:
        if not self.near_end_with_days_unused:
            return None
        return (f"{self.days_remaining} RAR day(s) remain with {self.weeks_left} whole week(s) "
                f"before the requirement ends on {self.requirement_end.isoformat()}")


def progress(*, max_days: int, activities: list[RarActivity], requirement_end: date,
             as_of: date) -> RarProgress:
    used = sorted({a.day for a in activities if a.outcome is Outcome.ATTENDED_COMPLIED})
    booked = sorted({a.day for a in activities if a.status is AppointmentStatus.SCHEDULED}
                    - set(used))
    return RarProgress(max_days=max_days, used_dates=tuple(used), booked_dates=tuple(booked),
                       requirement_end=requirement_end, as_of=as_of)


def check_instruction(p: RarProgress, *, day: date, requirement_start: date) -> None:
    """Refuse an instruction outside the requirement or beyond the court's maximum days."""
    if not requirement_start <= day < p.requirement_end:
        raise InvalidValue(f"RAR activity on {day.isoformat()} is outside the requirement "
                           f"({requirement_start.isoformat()} to "
                           f"{(p.requirement_end - timedelta(days=1)).isoformat()})",
                           field="starts_at", value=day.isoformat(),
                           rule="RAR activities take place while the requirement runs")
    if day in p.used_dates or day in p.booked_dates:
        return  # a second session on a day already counted uses no further day
    if p.days_committed >= p.max_days:
        raise InvalidValue(f"a RAR activity on {day.isoformat()} would be day {p.days_committed + 1}"
                           f" of a maximum of {p.max_days} ({p.days_used} used, "
                           f"{len(p.booked_dates)} booked)", field="starts_at",
                           value=day.isoformat(),
                           rule="instructions may not exceed the court's maximum RAR days "
                                "(Sentencing Code Sch 9 para 4)")
