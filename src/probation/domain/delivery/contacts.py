"""Contacts: what happened at an appointment (or an unplanned contact), the person's account,
and the indicators the offender manager is told about when someone else delivered it (RAR
specification: the provider informs the offender manager of attendance, behaviour, response and
risk)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from probation.domain.delivery.appointments import ContactType, Outcome
from probation.domain.errors import require

MAX_TEXT = 4000


class Attendance(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    DID_NOT_ATTEND = "did_not_attend"


class Behaviour(StrEnum):
    APPROPRIATE = "appropriate"
    CONCERNING = "concerning"
    UNACCEPTABLE = "unacceptable"


class Response(StrEnum):
    ENGAGED = "engaged"
    PARTLY_ENGAGED = "partly_engaged"
    NOT_ENGAGED = "not_engaged"


class RiskIndicator(StrEnum):
    NO_CHANGE = "no_change"
    CONCERN = "concern"          # a concern the offender manager should review
    ESCALATE = "escalate"        # the deliverer believes risk of harm has increased


@dataclass(frozen=True, kw_only=True)
class Indicators:
    attendance: Attendance
    behaviour: Behaviour | None = None
    response: Response | None = None
    risk: RiskIndicator = RiskIndicator.NO_CHANGE

    def as_dict(self) -> dict[str, Any]:
        return {"attendance": self.attendance.value,
                "behaviour": self.behaviour.value if self.behaviour else None,
                "response": self.response.value if self.response else None,
                "risk": self.risk.value}


@dataclass(frozen=True, kw_only=True)
class ContactRecord:
    contact_type: ContactType
    outcome: Outcome
    notes: str | None = None
    account: str | None = None  # the person's account of their movements and behaviour
    indicators: Indicators | None = None

    def __post_init__(self) -> None:
        for name in ("notes", "account"):
            value = getattr(self, name)
            require(value is None or len(value) <= MAX_TEXT, f"{name} is {len(value or '')} "
                    f"characters long", field=name, value=len(value or ""),
                    rule=f"contact text is at most {MAX_TEXT} characters")
        if self.indicators is not None:
            attended = self.indicators.attendance is not Attendance.DID_NOT_ATTEND
            require(attended == self.outcome.attended,
                    f"attendance {self.indicators.attendance.value} contradicts outcome "
                    f"{self.outcome.value}", field="indicators.attendance",
                    value=self.indicators.attendance.value,
                    rule="the attendance indicator agrees with the outcome")


def offender_manager_must_be_informed(*, deliverer_code: str | None, offender_manager_code: str | None) -> bool:
    """Someone other than the offender manager delivered the contact (provider staff running a RAR
    activity, a colleague covering): the offender manager is told what happened."""
    return offender_manager_code is not None and deliverer_code != offender_manager_code
