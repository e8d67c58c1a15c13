"""Request models for needs, interventions and outcomes. Unknown fields are rejected (422); values
are checked by the domain, whose errors name the field, the value and the rule. Scores are taken
as any integer here so that a score outside 0-2 gets the domain's message naming the scale."""

from __future__ import annotations

from pydantic import Field

from probation.api.email_address import EmailAddress
from probation.api.instant import Day, Instant
from probation.api.schemas import Strict

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
