"""Request models for risk and public protection. Unknown fields are rejected (422); values are
checked by the domain, whose errors name the field, the value and the rule."""

from __future__ import annotations

from pydantic import Field

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
