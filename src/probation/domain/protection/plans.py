"""The plan and its reviews (Manage rows 8, 13, 16, 17, 32 and 34).

A plan meets the order's requirements (row 13): each objective is linked to a requirement of the
order or a need area, and every requirement of the order has at least one objective. It is made
with the person (row 16): their agreement, or why they do not agree, is recorded. It is reviewed
regularly and on a significant change (row 32), and its outcomes are reviewed at the end of the
sentence (row 34)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from probation.domain.errors import InvalidValue, require
from probation.domain.events import EventKind
from probation.domain.requirements import RequirementType

MAX_OBJECTIVES = 30


class NeedArea(StrEnum):
    """OASys criminogenic need sections."""

    ACCOMMODATION = "accommodation"
    EDUCATION_TRAINING_EMPLOYABILITY = "education_training_employability"
    FINANCE = "finance"
    RELATIONSHIPS = "relationships"
    LIFESTYLE_ASSOCIATES = "lifestyle_associates"
    DRUG_MISUSE = "drug_misuse"
    ALCOHOL_MISUSE = "alcohol_misuse"
    EMOTIONAL_WELLBEING = "emotional_wellbeing"
    THINKING_BEHAVIOUR = "thinking_behaviour"
    ATTITUDES = "attitudes"


class ReviewReason(StrEnum):
    REGULAR = "regular"
    ROSH_CHANGE = "rosh_change"
    NEW_REGISTER = "new_register"
    BREACH = "breach"
    OTHER_CHANGE = "other_change"


class Outcome(StrEnum):
    ACHIEVED = "achieved"
    PARTLY_ACHIEVED = "partly_achieved"
    NOT_ACHIEVED = "not_achieved"


@dataclass(frozen=True, kw_only=True)
class Objective:
    description: str
    requirement: RequirementType | None = None
    need_area: NeedArea | None = None

    def __post_init__(self) -> None:
        require(bool(self.description.strip()), "an objective has no description",
                field="objectives.description", value=self.description,
                rule="every objective says what is to be achieved")
        require(self.requirement is not None or self.need_area is not None,
                f"objective {self.description!r} is linked to neither a requirement nor a need area",
                field="objectives", value=self.description,
                rule="each objective is linked to a requirement of the order or a need area")


@dataclass(frozen=True, kw_only=True)
class Agreement:
    """Row 16: the person took part. Agreement, or their reason for not agreeing, is recorded."""

    agreed: bool
    person_comments: str | None = None

    def __post_init__(self) -> None:
        if not self.agreed:
            require(bool((self.person_comments or "").strip()),
                    "the person does not agree and no reason is recorded", field="person_comments",
                    value=self.person_comments,
                    rule="a plan the person does not agree records their view")


def validate_objectives(objectives: Sequence[Objective],
                        requirements: Iterable[RequirementType]) -> None:
    """Row 13: the plan meets the requirements of the order."""
    wanted = set(requirements)
    require(bool(objectives), "the plan has no objectives", field="objectives", value=0,
            rule="a plan has at least one objective")
    require(len(objectives) <= MAX_OBJECTIVES, f"{len(objectives)} objectives exceed "
            f"{MAX_OBJECTIVES}", field="objectives", value=len(objectives),
            rule=f"a plan has at most {MAX_OBJECTIVES} objectives")
    for o in objectives:
        if o.requirement is not None and o.requirement not in wanted:
            raise InvalidValue(f"objective {o.description!r} is linked to {o.requirement.label}, "
                               "which the order does not have", field="objectives.requirement",
                               value=o.requirement.value,
                               rule="an objective is linked to a requirement of this order")
    covered = {o.requirement for o in objectives if o.requirement is not None}
    missing = sorted(r.value for r in wanted - covered)
    if missing:
        raise InvalidValue(f"the plan leaves {', '.join(m.replace('_', ' ') for m in missing)} "
                           "without an objective", field="objectives", value=",".join(missing),
                           rule="a plan covers every requirement of the order")


def validate_plan_date(on: date, *, sentence_date: date, as_of: date, field: str) -> None:
    require(on <= as_of, f"date {on.isoformat()} is after today ({as_of.isoformat()})", field=field,
            value=on.isoformat(), rule="a plan or review is recorded once it is done")
    require(on >= sentence_date, f"date {on.isoformat()} is before the sentence date "
            f"{sentence_date.isoformat()}", field=field, value=on.isoformat(),
            rule="the plan is prepared after the sentence is commenced")


# Significant changes that call for a review (row 32), from the case's events.
SIGNIFICANT = {
    EventKind.ROSH_ASSESSED: ReviewReason.ROSH_CHANGE,
    EventKind.REGISTER_ADDED: ReviewReason.NEW_REGISTER,
    EventKind.BREACH_INITIATED: ReviewReason.BREACH,
}


@dataclass(frozen=True, kw_only=True)
class Change:
    """A case event, by its number in the case's history (events are numbered per case)."""

    kind: EventKind
    seq: int
    rosh_changed: bool = True    # a RoSH assessment only counts when the level changed


def reviews_needed(changes: Iterable[Change], *, after_seq: int) -> tuple[ReviewReason, ...]:
    """Reasons for a review: significant changes recorded after the plan or its last review
    (`after_seq` is that event's number)."""
    reasons: list[ReviewReason] = []
    for c in changes:
        reason = SIGNIFICANT.get(c.kind)
        if reason is None or c.seq <= after_seq:
            continue
        if c.kind is EventKind.ROSH_ASSESSED and not c.rosh_changed:
            continue
        if reason not in reasons:
            reasons.append(reason)
    return tuple(reasons)


def validate_outcomes(outcomes: Sequence[Outcome], objectives: Sequence[Objective]) -> None:
    """Row 34: the end-of-sentence review gives an outcome for every objective of the plan."""
    require(len(outcomes) == len(objectives), f"{len(outcomes)} outcomes for {len(objectives)} "
            "objectives", field="outcomes", value=len(outcomes),
            rule="the end-of-sentence review gives one outcome per objective, in order")


def end_of_sentence_open(*, terminated: bool, end_date: date, as_of: date) -> bool:
    """The end-of-sentence review is done once the order has ended: terminated, or run its term."""
    return terminated or as_of >= end_date
