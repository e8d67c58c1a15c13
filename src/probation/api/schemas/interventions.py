"""Request models for needs, interventions and outcomes. Unknown fields are rejected (422); values
are checked by the domain, whose errors name the field, the value and the rule. Scores are taken
as any integer here so that a score outside 0-2 gets the domain's message naming the scale."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from probation.api.answers import Answer
from probation.api.email_address import EmailAddress
from probation.api.instant import Day, Instant
from probation.api.schemas import Strict
from probation.api.schemas.delivery import AppointmentAnswer

BIG = 1_000_000


class NeedsAssessmentIn(Strict):
    """Stage start, review or end; a score 0 (no problems), 1 (some) or 2 (significant) for each of
    the ten OASys need areas."""

    stage: str = Field(max_length=16)
    assessed_on: Day
    assessor: str = Field(min_length=1, max_length=200)
    scores: dict[str, int] = Field(max_length=20)
    notes: str | None = Field(default=None, max_length=4000)


class EligibilityIn(Strict):
    sexes: list[str] = Field(default_factory=list, max_length=2)
    min_age: int | None = Field(default=None, ge=-BIG, le=BIG)
    max_age: int | None = Field(default=None, ge=-BIG, le=BIG)
    sentence_types: list[str] = Field(default_factory=list, max_length=3)


class ServiceIn(Strict):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    provider: str = Field(min_length=1, max_length=200)
    kind: str = Field(max_length=24)
    need_areas: list[str] = Field(max_length=10)
    location: str = Field(min_length=1, max_length=300)
    capacity: int = Field(ge=-BIG, le=BIG)
    eligibility: EligibilityIn | None = None
    rar_activity: bool = False
    active: bool = True


class ReferralIn(Strict):
    service_code: str = Field(min_length=1, max_length=32)
    need_area: str = Field(max_length=40)
    objective: int | None = Field(default=None, ge=-BIG, le=BIG)
    sent_on: Day
    notes: str | None = Field(default=None, max_length=4000)


class ReferralUpdateIn(Strict):
    """status accepted, started, completed (with outcome) or withdrawn (with reason)."""

    status: str = Field(max_length=16)
    on: Day
    reason: str | None = Field(default=None, max_length=32)
    notes: str | None = Field(default=None, max_length=4000)
    outcome: str | None = Field(default=None, max_length=24)


class SessionBookingIn(Strict):
    starts_at: Instant
    ends_at: Instant
    contact_type: str = Field(default="office", max_length=16)
    location_code: str | None = Field(default=None, max_length=16)
    interviewer_code: str = Field(min_length=1, max_length=16)


class AttendanceIn(Strict):
    outcome: str = Field(max_length=32)
    notes: str | None = Field(default=None, max_length=4000)


class OfferIn(Strict):
    option_id: str = Field(max_length=64)
    offered_on: Day
    groups: list[str] = Field(default_factory=list, max_length=4)
    reason: str | None = Field(default=None, max_length=4000)


class OfferUpdateIn(Strict):
    status: str = Field(max_length=16)
    on: Day
    reason: str | None = Field(default=None, max_length=4000)


class StructuredSessionIn(Strict):
    topic: str = Field(max_length=40)
    number: int = Field(ge=-BIG, le=BIG)
    delivered_on: Day
    covered: list[str] = Field(max_length=20)
    response: str = Field(max_length=16)
    notes: str | None = Field(default=None, max_length=4000)


class OutcomeComparisonIn(Strict):
    reviewed_on: Day
    notes: str | None = Field(default=None, max_length=4000)


class RarSentIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    role: str = Field(max_length=32)
    organisation: str | None = Field(default=None, max_length=200)
    email: EmailAddress | None = Field(default=None, max_length=200)
    sent_on: Day
    format: str = Field(default="pdf", max_length=8)


# Answers -----------------------------------------------------------------------------------------
# Dates are ISO 8601 strings; needs, histories and summaries are kept as recorded.

class NeedsAssessmentAnswer(Answer):
    id: int
    stage: str
    assessed_on: str
    assessor: str
    scores: dict[str, Any]
    total: int
    notes: str | None
    recorded_by: str


class NeedChangeAnswer(Answer):
    need_area: str
    first: int
    latest: int
    change: int
    direction: str
    in_plan: bool


class RoshDirectionAnswer(Answer):
    first: str | None
    latest: str | None
    direction: str | None


class NeedsProgressAnswer(Answer):
    case_id: int
    assessments: list[NeedsAssessmentAnswer]
    changes: list[NeedChangeAnswer]
    plan_needs: str | None
    rosh: RoshDirectionAnswer


class NeedAreaSummaryAnswer(Answer):
    need_area: str
    cases: int
    reduced: int
    unchanged: int
    increased: int
    mean_first: float | int
    mean_latest: float | int


class NeedsSummaryAnswer(Answer):
    organisation_code: str | None
    cases_assessed: int
    cases_compared: int
    plan_needs: dict[str, int]
    rosh: dict[str, int]
    areas: list[NeedAreaSummaryAnswer]


class ServiceAnswer(Answer):
    code: str
    name: str
    provider: str
    kind: str
    need_areas: list[Any]
    location: str
    capacity: int
    eligibility: dict[str, Any]
    rar_activity: bool
    active: bool


class ServicePlacesAnswer(ServiceAnswer):
    places_taken: int
    places_free: int


class ServicesAnswer(Answer):
    items: list[ServicePlacesAnswer]
    total: int


class ReferralAnswer(Answer):
    id: int
    case_id: int
    service_code: str
    need_area: str
    objective: int | None
    status: str
    sent_on: str
    status_on: str
    reason: str | None
    notes: str | None
    outcome: str | None
    history: list[Any]
    recorded_by: str


class SessionAppointmentAnswer(AppointmentAnswer):
    referral_id: int


class BookingWarningAnswer(Answer):
    code: str
    message: str


class SessionBookedAnswer(SessionAppointmentAnswer):
    booking_warnings: list[BookingWarningAnswer]


class ReferralWithSessionsAnswer(ReferralAnswer):
    service: ServiceAnswer
    sessions: list[AppointmentAnswer]


class ReferralsAnswer(Answer):
    items: list[ReferralWithSessionsAnswer]
    total: int


class FeedbackAnswer(Answer):
    id: int
    case_id: int
    referral_id: int
    staff_code: str
    from_: str = Field(alias="from")
    summary: dict[str, Any]
    created_at: str
    acknowledged: bool


class FeedbackListAnswer(Answer):
    items: list[FeedbackAnswer]
    total: int


class OfferAnswer(Answer):
    id: int
    option_id: str
    contract_id: str
    status: str
    offered_on: str
    status_on: str
    qualification: str
    groups: list[Any]
    reason: str | None
    history: list[Any]
    recorded_by: str


class CatalogueRowAnswer(Answer):
    spec: str
    row: int


class CaseOptionAnswer(Answer):
    option_id: str
    row: CatalogueRowAnswer
    commissioned: bool
    qualifies: bool
    reason: str
    offers: list[OfferAnswer]


class CaseOptionsAnswer(Answer):
    contract_id: str
    items: list[CaseOptionAnswer]


class PlannedSessionAnswer(Answer):
    number: int
    title: str
    items: list[str]


class SessionPlanAnswer(Answer):
    topic: str
    sessions: list[PlannedSessionAnswer]


class SessionPlansAnswer(Answer):
    items: list[SessionPlanAnswer]


class StructuredSessionAnswer(Answer):
    id: int
    topic: str
    number: int
    delivered_on: str
    covered: list[Any]
    response: str
    notes: str | None
    delivered_by: str


class CoverageAnswer(Answer):
    delivered: int
    of: int


class StructuredSessionsAnswer(Answer):
    items: list[StructuredSessionAnswer]
    coverage: dict[str, CoverageAnswer]
    total: int


class RoshStartAndEndAnswer(Answer):
    start: str | None
    end: str | None


class Ogrs3StartAndEndAnswer(Answer):
    start: int | None
    end: int | None


class OutcomeComparisonAnswer(Answer):
    id: int
    case_id: int
    plan_review_id: int
    reviewed_on: str
    needs: list[Any]
    needs_direction: str
    rosh: RoshStartAndEndAnswer
    ogrs3_two_year: Ogrs3StartAndEndAnswer
    objectives: list[Any]
    outcome_counts: dict[str, Any]
    notes: str | None
    recorded_by: str


class RarActivityAnswer(Answer):
    name: str
    description: str
    need_areas: list[str]


class RarInformationAnswer(Answer):
    """The maintained description of the Rehabilitation Activity Requirement."""

    version: str
    reviewed_on: str
    owner: str | None = None
    title: str
    summary: str
    purposes: list[str]
    activities: list[RarActivityAnswer]
    assessment_criteria: list[str]
    how_to_ask: str | None = None


class RarSentAnswer(Answer):
    id: int
    version: str
    name: str
    role: str
    organisation: str | None
    email: str | None
    sent_on: str
    format: str
    sent_by: str


class RarSentListAnswer(Answer):
    items: list[RarSentAnswer]
    total: int
