"""Visits to monitored people (exclusion rows 14, 15 and 20) and the end of monitoring (18, 19).

- Row 15, "reasonable times for both parties": a scheduled visit falls between 08:00 and 21:00
  London time (platform default: the specification defers to the contract). A visit outside
  those hours is allowed only with a recorded reason (an urgent tamper or fault visit).
- Row 20: a visit to a female offender has a female member of staff present for the whole visit
  when the premises are entered. Scheduling refuses a visit to a woman with no female staff
  named; recording the visit asks whether she was present throughout, and only "yes" is the
  evidence (em_female_staff_present), so a lapse shows as an unmet obligation, not a hidden one.
- Row 14: a visit to investigate a tamper or fault records whether the equipment was repaired or
  replaced at that visit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

from probation.domain.calendar import LONDON
from probation.domain.errors import InvalidValue

REASONABLE_FROM = time(8, 0)
REASONABLE_TO = time(21, 0)


class VisitPurpose(StrEnum):
    INSTALLATION = "installation"
    FAULT = "fault"  # equipment fault
    TAMPER = "tamper"  # investigate a potential tamper violation
    ROUTINE = "routine"
    DE_INSTALLATION = "de_installation"


class EquipmentAction(StrEnum):
    NONE = "none"
    REPAIRED = "repaired"
    REPLACED = "replaced"


FAULT_PURPOSES = frozenset({VisitPurpose.FAULT, VisitPurpose.TAMPER})


@dataclass(frozen=True, kw_only=True)
class VisitStaff:
    name: str
    sex: str  # male | female


def is_reasonable_time(start: datetime, end: datetime) -> bool:
    """The whole visit lies within 08:00-21:00 London time on one day."""
    s, e = start.astimezone(LONDON), end.astimezone(LONDON)
    return s.date() == e.date() and s.time() >= REASONABLE_FROM and e.time() <= REASONABLE_TO


def check_schedule(*, start: datetime, end: datetime, staff: Sequence[VisitStaff],
                   offender_sex: str, reason: str | None) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidValue("visit times need a UTC offset", field="start", value=start.isoformat(),
                           rule="times carry a time zone")
    if end <= start:
        raise InvalidValue(f"visit ends at {end.isoformat()}, not after its start {start.isoformat()}",
                           field="end", value=end.isoformat(), rule="a visit ends after it starts")
    if not staff:
        raise InvalidValue("a visit names the staff who will attend", field="staff", value=None,
                           rule="visits are made by named staff")
    for member in staff:
        if member.sex not in ("male", "female"):
            raise InvalidValue(f"staff sex {member.sex!r} is neither male nor female",
                               field="staff.sex", value=member.sex, rule="sex is male or female")
    if offender_sex == "female" and not any(m.sex == "female" for m in staff):
        raise InvalidValue("a visit to a female offender names no female member of staff",
                           field="staff", value=", ".join(m.name for m in staff),
                           rule="exclusion row 20: a female member of staff is present during "
                                "the whole of each visit to a female offender")
    if not is_reasonable_time(start, end) and not (reason and reason.strip()):
        local = start.astimezone(LONDON)
        raise InvalidValue(
            f"visit at {local:%H:%M} London time is outside 08:00-21:00 and gives no reason",
            field="reason", value=local.strftime("%H:%M"),
            rule="exclusion row 15: visits at reasonable times for both parties (a visit outside "
                 "08:00-21:00 records why)")


def check_outcome(*, purpose: VisitPurpose, offender_sex: str, premises_entered: bool,
                  female_staff_present: bool | None, equipment_action: EquipmentAction | None) -> None:
    if offender_sex == "female" and premises_entered and female_staff_present is None:
        raise InvalidValue("record whether a female member of staff was present throughout",
                           field="female_staff_present", value=None,
                           rule="exclusion row 20 is evidenced visit by visit")
    if purpose in FAULT_PURPOSES and equipment_action is None:
        raise InvalidValue(f"a {purpose.value} visit records whether the equipment was repaired or "
                           "replaced (or none)", field="equipment_action", value=None,
                           rule="exclusion row 14: repaired or replaced at the time of the visit")
