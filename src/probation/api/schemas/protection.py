"""Request models for risk and public protection. Unknown fields are rejected (422); values are
checked by the domain, whose errors name the field, the value and the rule."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from probation.api.answers import Answer
from probation.api.instant import Day
from probation.api.schemas import Strict


def _text() -> str:
    return Field(min_length=1, max_length=4000)  # type: ignore[no-any-return]

BIG = 1_000_000


class RoshAssessmentIn(Strict):
    """Risk of serious harm: a level (low, medium, high, very_high) for each group at risk
    (children, public, known_adult, staff, prisoners)."""

    assessed_on: Day
    assessor: str = Field(min_length=1, max_length=200)
    levels: dict[str, str] = Field(min_length=1, max_length=5)
    summary: str | None = Field(default=None, max_length=4000)


class Ogrs3In(Strict):
    """OGRS3 inputs; sex and date of birth come from the person, the offence code and the
    conviction and follow-up dates default to the case's offence and sentence date."""

    total_sanctions: int = Field(ge=-BIG, le=BIG)
    age_at_first_sanction: int = Field(ge=-BIG, le=BIG)
    offence_code: str | None = Field(default=None, max_length=10)
    conviction_date: Day | None = None
    follow_up_date: Day | None = None
    model_version: str = Field(default="3.0", max_length=16)


class RegisterIn(Strict):
    register_name: str = Field(min_length=1, max_length=40, alias="register")
    start_date: Day
    review_date: Day | None = None
    end_date: Day | None = None
    category: int | None = Field(default=None, ge=-BIG, le=BIG)
    level: int | None = Field(default=None, ge=-BIG, le=BIG)
    notes: str | None = Field(default=None, max_length=4000)


class RegisterEndIn(Strict):
    end_date: Day
    reason: str = _text()


class RegisterReviewIn(Strict):
    reviewed_on: Day
    next_review_date: Day | None = None
    level: int | None = Field(default=None, ge=-BIG, le=BIG)
    notes: str | None = Field(default=None, max_length=4000)


class SchemeCheckIn(Strict):
    checked_on: Day
    schemes_checked: list[str] = Field(min_length=1, max_length=20)
    note: str | None = Field(default=None, max_length=4000)


class EscalationIn(Strict):
    concern: str = _text()
    evidence: str = _text()
    refer: bool = True


class DecisionIn(Strict):
    decision: str = Field(min_length=1, max_length=40)
    assessed_rosh: str = Field(min_length=1, max_length=16)
    rationale: str = _text()
    to_team_code: str | None = Field(default=None, max_length=16)
    planned_review_date: Day | None = None


class ActionIn(Strict):
    note: str = _text()


class Empty(Strict):
    pass


class SafeguardingIn(Strict):
    kind: str = Field(min_length=1, max_length=40)
    on: Day
    agency_code: str | None = Field(default=None, max_length=16)
    outcome: str | None = Field(default=None, max_length=32)
    topic: str | None = Field(default=None, max_length=32)
    note: str | None = Field(default=None, max_length=4000)
    related_id: int | None = Field(default=None, ge=1, le=2**53)
    register_name: str | None = Field(default=None, max_length=40, alias="register")


class ObjectiveIn(Strict):
    description: str = Field(max_length=1000)
    requirement: str | None = Field(default=None, max_length=40)
    need_area: str | None = Field(default=None, max_length=40)


class PlanIn(Strict):
    completed_on: Day
    objectives: list[ObjectiveIn] = Field(max_length=100)
    agreed: bool
    person_comments: str | None = Field(default=None, max_length=4000)


class PlanReviewIn(Strict):
    reviewed_on: Day
    reasons: list[str] = Field(max_length=10)
    objectives: list[ObjectiveIn] | None = Field(default=None, max_length=100)
    agreed: bool
    person_comments: str | None = Field(default=None, max_length=4000)
    notes: str | None = Field(default=None, max_length=4000)


class EndOfSentenceReviewIn(Strict):
    reviewed_on: Day
    outcomes: list[str] = Field(max_length=100)
    notes: str | None = Field(default=None, max_length=4000)


# Answers -----------------------------------------------------------------------------------------
# Dates and times are ISO 8601 strings; levels, inputs, objectives and reasons are kept as recorded.

class RoshAssessmentAnswer(Answer):
    id: int
    assessed_on: str
    assessor: str
    rosh: str
    levels: dict[str, Any]
    summary: str | None
    recorded_by: str


class PredictorScoreAnswer(Answer):
    id: int
    model: str
    version: str
    scored_on: str
    inputs: dict[str, Any]
    score: float
    one_year: int
    two_year: int
    band: str
    recorded_by: str


class RegisterEntryAnswer(Answer):
    id: int
    register_name: str = Field(alias="register")
    category: int | None
    level: int | None
    start_date: str
    review_date: str | None
    end_date: str | None
    notes: str | None
    recorded_by: str


class RiskAnswer(Answer):
    case_id: int
    rosh: str | None
    responsible: str | None
    managed_by: str
    mappa: bool
    active_registers: list[str]
    agencies_to_notify: list[str]
    latest_scores: dict[str, PredictorScoreAnswer]
    rosh_history: list[RoshAssessmentAnswer]
    scores: list[PredictorScoreAnswer]
    registers: list[RegisterEntryAnswer]


class SchemeCheckAnswer(Answer):
    case_id: int
    checked_on: str
    active_registers: list[str]


class EscalationAnswer(Answer):
    id: int
    case_id: int
    organisation_code: str
    status: str
    concern: str
    evidence: str
    indicated_at: str
    indicated_by: str
    referred_at: str | None
    referred_by: str | None
    decision: str | None
    decided_at: str | None
    decided_by: str | None
    assessed_rosh: str | None
    rationale: str | None
    to_team_code: str | None
    planned_review_date: str | None
    actioned_at: str | None
    actioned_by: str | None
    action_note: str | None


class QueuedEscalationAnswer(EscalationAnswer):
    crn: str
    team_code: str


class EscalationQueueAnswer(Answer):
    items: list[QueuedEscalationAnswer]
    total: int


class SafeguardingRecordAnswer(Answer):
    id: int
    kind: str
    on: str
    agency_code: str | None
    outcome: str | None
    topic: str | None
    note: str | None
    related_id: int | None
    register_name: str | None = Field(alias="register")
    recorded_by: str


class SafeguardingRecordsAnswer(Answer):
    items: list[SafeguardingRecordAnswer]


class PlanReviewAnswer(Answer):
    id: int
    kind: str
    reviewed_on: str
    reasons: list[Any]
    objectives: list[Any]
    outcomes: list[Any]
    agreed: bool
    person_comments: str | None
    notes: str | None
    recorded_by: str


class PlanAnswer(Answer):
    id: int
    case_id: int
    completed_on: str
    objectives: list[Any]
    agreed: bool
    person_comments: str | None
    last_reviewed_on: str | None
    next_regular_review: str | None
    review_needed: list[str]
    reviews: list[PlanReviewAnswer]
    recorded_by: str


class NoticeAnswer(Answer):
    id: int
    case_id: int
    crn: str
    staff_code: str | None
    team_code: str
    change: str
    summary: str
    created_at: str
    read: bool
    read_at: str | None


class NoticesAnswer(Answer):
    items: list[NoticeAnswer]
    page: int
    size: int
