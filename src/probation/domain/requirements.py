"""Requirements of a community or suspended sentence order and their statutory limits.

Limits are those of the Sentencing Act 2020 (Sentencing Code), Schedule 9, as amended by the
Police, Crime, Sentencing and Courts Act 2022 where noted. Each limit is checked with a message
that names the requirement, the value and the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from probation.domain.errors import InvalidValue, require
from probation.domain.periods import Period, add_months


class RequirementType(StrEnum):
    REHABILITATION_ACTIVITY = "rehabilitation_activity"
    SUPERVISION = "supervision"  # legacy: orders for offences before 1 February 2015
    UNPAID_WORK = "unpaid_work"
    CURFEW = "curfew"
    EXCLUSION = "exclusion"
    RESIDENCE = "residence"
    PROHIBITED_ACTIVITY = "prohibited_activity"
    MENTAL_HEALTH_TREATMENT = "mental_health_treatment"
    DRUG_REHABILITATION = "drug_rehabilitation"
    ALCOHOL_TREATMENT = "alcohol_treatment"
    ALCOHOL_ABSTINENCE_MONITORING = "alcohol_abstinence_monitoring"
    ACCREDITED_PROGRAMME = "accredited_programme"
    ATTENDANCE_CENTRE = "attendance_centre"
    FOREIGN_TRAVEL_PROHIBITION = "foreign_travel_prohibition"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


# The Supervision requirement was replaced by the RAR for offences on or after this date
# (Offender Rehabilitation Act 2014, s.15, commencement 1 February 2015).
ORA_COMMENCEMENT = date(2015, 2, 1)

UNPAID_WORK_HOURS = (40, 300)           # Sch 9 para 2(2)
ATTENDANCE_CENTRE_HOURS = (12, 36)      # Sch 9 para 13(2)
CURFEW_HOURS_PER_DAY = (2, 20)          # Sch 9 para 9(2), as amended by PCSC Act 2022 s.152
CURFEW_MAX_MONTHS = 24                  # Sch 9 para 9(4), as amended by PCSC Act 2022 s.152
EXCLUSION_MAX_MONTHS = 24               # Sch 9 para 10(3)
FOREIGN_TRAVEL_MAX_MONTHS = 12          # Sch 9 para 12(2)
ALCOHOL_ABSTINENCE_MAX_DAYS = 120       # Sch 9 para 25(3)


@dataclass(frozen=True, kw_only=True)
class Requirement:
    """One requirement of an order. Fields beyond type and start apply to some types only."""

    type: RequirementType
    start_date: date
    length_months: int | None = None      # period-based requirements
    length_days: int | None = None        # alcohol abstinence monitoring
    max_days: int | None = None           # rehabilitation activity: court's maximum activity days
    hours: int | None = None              # unpaid work, attendance centre
    hours_per_day: int | None = None      # curfew
    places: tuple[str, ...] = field(default_factory=tuple)  # exclusion places, residence address
    electronically_monitored: bool = False
    programme: str | None = None          # accredited programme name
    activity: str | None = None           # prohibited activity
    offence_date: date | None = None      # needed to tell legacy supervision from RAR

    def __post_init__(self) -> None:
        validate_requirement(self)

    @property
    def end_date(self) -> date | None:
        """Exclusive end of the requirement's own period, where it has one."""
        if self.length_months is not None:
            return add_months(self.start_date, self.length_months)
        if self.length_days is not None:
            return date.fromordinal(self.start_date.toordinal() + self.length_days)
        return None


def _within(value: int | None, bounds: tuple[int, int], *, name: str, field_name: str, rule: str) -> None:
    low, high = bounds
    require(value is not None, f"{name} needs {field_name.replace('_', ' ')}", field=field_name,
            value=value, rule=rule)
    assert value is not None
    require(low <= value <= high, f"{name} of {value} is outside {low} to {high}", field=field_name,
            value=value, rule=rule)


def validate_requirement(r: Requirement) -> None:
    t = r.type
    name = t.label
    if r.length_months is not None:
        require(r.length_months >= 1, f"{name} length of {r.length_months} months is not positive",
                field="length_months", value=r.length_months, rule="a requirement period is at least a month")
    match t:
        case RequirementType.REHABILITATION_ACTIVITY:
            require(r.max_days is not None and r.max_days >= 1,
                    f"rehabilitation activity requirement needs the court's maximum number of days, got {r.max_days}",
                    field="max_days", value=r.max_days,
                    rule="the court sets a maximum number of activity days (Sch 9 para 4)")
        case RequirementType.UNPAID_WORK:
            _within(r.hours, UNPAID_WORK_HOURS, name="unpaid work hours", field_name="hours",
                    rule="unpaid work is 40 to 300 hours (Sentencing Code Sch 9 para 2)")
        case RequirementType.ATTENDANCE_CENTRE:
            _within(r.hours, ATTENDANCE_CENTRE_HOURS, name="attendance centre hours", field_name="hours",
                    rule="attendance centre is 12 to 36 hours in aggregate (Sch 9 para 13)")
        case RequirementType.CURFEW:
            _within(r.hours_per_day, CURFEW_HOURS_PER_DAY, name="curfew hours per day",
                    field_name="hours_per_day", rule="curfew is 2 to 20 hours a day (Sch 9 para 9)")
            _period(r, CURFEW_MAX_MONTHS, "curfew period exceeds the 2-year maximum (Sch 9 para 9)")
        case RequirementType.EXCLUSION:
            require(bool(r.places), "exclusion requirement names no place", field="places", value=list(r.places),
                    rule="an exclusion requirement names the place or places excluded (Sch 9 para 10)")
            _period(r, EXCLUSION_MAX_MONTHS, "exclusion period exceeds the 2-year maximum (Sch 9 para 10)")
        case RequirementType.FOREIGN_TRAVEL_PROHIBITION:
            _period(r, FOREIGN_TRAVEL_MAX_MONTHS,
                    "foreign travel prohibition exceeds the 12-month maximum (Sch 9 para 12)")
        case RequirementType.ALCOHOL_ABSTINENCE_MONITORING:
            _within(r.length_days, (1, ALCOHOL_ABSTINENCE_MAX_DAYS), name="abstinence period",
                    field_name="length_days", rule="alcohol abstinence is monitored for up to 120 days (Sch 9 para 25)")
        case RequirementType.RESIDENCE:
            require(bool(r.places), "residence requirement names no place", field="places", value=list(r.places),
                    rule="a residence requirement names where the person must live (Sch 9 para 14)")
        case RequirementType.PROHIBITED_ACTIVITY:
            require(bool(r.activity), "prohibited activity requirement names no activity", field="activity",
                    value=r.activity, rule="a prohibited activity requirement names the activity (Sch 9 para 8)")
        case RequirementType.ACCREDITED_PROGRAMME:
            require(bool(r.programme), "accredited programme requirement names no programme", field="programme",
                    value=r.programme, rule="the order names the accredited programme (Sch 9 para 5)")
        case RequirementType.SUPERVISION:
            if r.offence_date is not None:
                require(r.offence_date < ORA_COMMENCEMENT,
                        f"supervision requirement for an offence on {r.offence_date.isoformat()}",
                        field="type", value=t.value,
                        rule="offences on or after 1 February 2015 get a rehabilitation activity "
                             "requirement, not supervision (Offender Rehabilitation Act 2014 s.15)")
        case _:
            pass
    if r.electronically_monitored and t not in (
        RequirementType.EXCLUSION, RequirementType.CURFEW, RequirementType.ALCOHOL_ABSTINENCE_MONITORING,
    ):
        raise InvalidValue(f"{name} cannot be electronically monitored here", field="electronically_monitored",
                           value=True, rule="electronic monitoring applies to curfew, exclusion and alcohol "
                           "abstinence requirements in this platform")


def _period(r: Requirement, max_months: int, rule: str) -> None:
    require(r.length_months is not None, f"{r.type.label} needs a period in months", field="length_months",
            value=r.length_months, rule=rule)
    assert r.length_months is not None
    require(r.length_months <= max_months,
            f"{r.type.label} period {r.length_months} months exceeds the {max_months}-month maximum",
            field="length_months", value=r.length_months, rule=rule)


def requirement_period(r: Requirement, order_end: date) -> Period:
    """The days the requirement runs: its own period if it has one, else to the order's end."""
    end = r.end_date or order_end
    return Period(start=r.start_date, end=min(end, order_end))
