"""Request models for delivery: unknown fields and enum values are refused (422)."""

from __future__ import annotations

from datetime import time

from pydantic import BaseModel, ConfigDict, Field

from probation.api.instant import Day, Instant
from probation.domain.delivery.appointments import ContactType, Outcome, UnavailableReason
from probation.domain.delivery.contacts import Attendance, Behaviour, Response, RiskIndicator
from probation.domain.delivery.enforcement import Action, CourtOutcome


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LocationIn(Strict):
    code: str = Field(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    organisation_code: str | None = Field(default=None, max_length=16)
    female_only: bool = False
    step_free_access: bool = False


class WindowIn(Strict):
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    start: time
    end: time
    reason: UnavailableReason


class DiverseNeedsIn(Strict):
    unavailable: list[WindowIn] = Field(default_factory=list, max_length=50)
    step_free_access: bool = False
    interpreter_language: str | None = Field(default=None, max_length=50)
    notes: str | None = Field(default=None, max_length=2000)


class AppointmentIn(Strict):
    starts_at: Instant
    ends_at: Instant
    contact_type: ContactType
    location_code: str | None = Field(default=None, max_length=16)
    interviewer_code: str = Field(min_length=1, max_length=16)
    interpreter_booked: bool = False
    override_reason: str | None = Field(default=None, max_length=1000,
                                        description="why a woman is seen outside a female-only "
                                                    "environment she accepted")
    rar_activity: bool = False


class RearrangeIn(Strict):
    starts_at: Instant
    ends_at: Instant
    contact_type: ContactType
    location_code: str | None = Field(default=None, max_length=16)
    interviewer_code: str = Field(min_length=1, max_length=16)
    interpreter_booked: bool = False
    override_reason: str | None = Field(default=None, max_length=1000)
    reason: str = Field(min_length=1, max_length=1000)


class CancelIn(Strict):
    reason: str = Field(min_length=1, max_length=1000)


class IndicatorsIn(Strict):
    attendance: Attendance
    behaviour: Behaviour | None = None
    response: Response | None = None
    risk: RiskIndicator = RiskIndicator.NO_CHANGE


class OutcomeIn(Strict):
    outcome: Outcome
    notes: str | None = Field(default=None, max_length=4000)
    account: str | None = Field(default=None, max_length=4000,
                                description="the person's account of their movements and behaviour")
    indicators: IndicatorsIn | None = None


class ContactIn(Strict):
    occurred_at: Instant
    minutes: int = Field(default=30, ge=-10000, le=10000)
    contact_type: ContactType
    outcome: Outcome
    location_code: str | None = Field(default=None, max_length=16)
    notes: str | None = Field(default=None, max_length=4000)
    account: str | None = Field(default=None, max_length=4000)
    indicators: IndicatorsIn | None = None


class EnforcementIn(Strict):
    action: Action
    reason: str | None = Field(default=None, max_length=2000)


class CourtOutcomeIn(Strict):
    outcome: CourtOutcome
    on: Day
    notes: str | None = Field(default=None, max_length=2000)


class ReportRequestIn(Strict):
    due_by: Day | None = None
    court_code: str | None = Field(default=None, max_length=16)
