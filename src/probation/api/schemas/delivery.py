"""Request models for delivery: unknown fields and enum values are refused (422)."""

from __future__ import annotations

from datetime import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from probation.api.answers import Answer
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


# Answers -----------------------------------------------------------------------------------------
# Dates and times are ISO 8601 strings.

class LocationAnswer(Answer):
    code: str
    name: str
    address: str | None
    organisation_code: str | None
    female_only: bool
    step_free_access: bool


class LocationsAnswer(Answer):
    items: list[LocationAnswer]


class UnavailableWindowAnswer(Answer):
    weekday: int
    start: str
    end: str
    reason: str


class DiverseNeedsAnswer(Answer):
    unavailable: list[UnavailableWindowAnswer]
    step_free_access: bool
    interpreter_language: str | None
    notes: str | None


class CaseDiverseNeedsAnswer(Answer):
    needs: DiverseNeedsAnswer | None


class AppointmentAnswer(Answer):
    """An appointment, or a contact recorded after the event."""

    id: int
    case_id: int
    crn: str
    starts_at: str
    ends_at: str
    day: str
    contact_type: str
    location_code: str | None
    interviewer_code: str | None
    interpreter_booked: bool
    override_reason: str | None
    rar_activity: bool
    requirement_id: int | None
    planned: bool
    status: str
    outcome: str | None
    notes: str | None
    account: str | None
    indicators: dict[str, Any] | None
    warnings: list[Any]
    rescheduled_from_id: int | None
    change_reason: str | None
    created_by: str
    outcome_by: str | None
    reminder_sent: bool


class AppointmentsAnswer(Answer):
    items: list[AppointmentAnswer]


class OffenderManagerUpdateAnswer(Answer):
    id: int
    case_id: int
    appointment_id: int | None
    staff_code: str | None
    from_: str | None = Field(alias="from")
    created_at: str
    summary: dict[str, Any]
    acknowledged: bool


class OffenderManagerUpdatesAnswer(Answer):
    items: list[OffenderManagerUpdateAnswer]


class RarAnswer(Answer):
    max_days: int
    days_used: int
    days_remaining: int
    used_dates: list[str]
    booked_dates: list[str]
    requirement_start: str
    requirement_end: str
    weeks_left: int
    near_end_with_days_unused: bool
    warning: str | None


class ReminderAnswer(Answer):
    """Sent, with its channel and outbox reference; or not sent, with the reason."""

    appointment_id: int
    sent: bool
    reason: str | None = None
    channel: str | None = None
    ref: str | None = None


class RemindersAnswer(Answer):
    items: list[ReminderAnswer]


class EnforcementActionAnswer(Answer):
    id: int
    action: str
    failure_day: str
    decided_on: str
    due_by: str | None
    number: int | None
    policy: str | None
    decided_by: str | None
    reason: str | None
    outcome: str | None
    concluded_on: str | None
    outcome_notes: str | None


class BreachInProgressAnswer(Answer):
    id: int
    action: str
    failure_day: str
    initiated_on: str


class NextActionAnswer(Answer):
    action: str
    failure_day: str | None
    due_by: str | None
    number: int | None
    policy: str | None
    reason: str | None


class ComplianceAnswer(Answer):
    as_of: str
    counted_from: str
    failures: list[str]
    failures_last_12_months: int
    warnings_issued: int
    breach_in_progress: BreachInProgressAnswer | None
    previous_breaches: int
    next_action: NextActionAnswer
    actions: list[EnforcementActionAnswer]


class CriterionAnswer(Answer):
    name: str
    met: bool
    detail: str


class EarlyRevocationAnswer(Answer):
    applicable: bool
    criteria_met: bool
    criteria: list[CriterionAnswer]
    to_confirm: list[str]


class EarlyRevocationFlagAnswer(Answer):
    case_id: int
    crn: str
    offender_manager: str | None
    newly_flagged: bool
    criteria: list[CriterionAnswer]
    to_confirm: list[str]


class EarlyRevocationFlagsAnswer(Answer):
    items: list[EarlyRevocationFlagAnswer]


class ReportRequestedAnswer(Answer):
    report: str
    due_by: str | None
    court: str


class ReportSubmittedAnswer(Answer):
    report: str
    format: str
    sha256: str
    bytes: int
    court: str
