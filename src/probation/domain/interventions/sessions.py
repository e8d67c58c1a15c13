"""Structured one-to-one sessions (Supervision rows 6-9 and 19-21): a session plan per topic says
what each session covers; the record of a delivered session says which items were covered and how
the person responded. The plans are the platform's own outline of common probation practice, to
be replaced by the provider's materials where it has them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from probation.domain.errors import InvalidValue, require


class Topic(StrEnum):
    VICTIM_AWARENESS = "victim_awareness"
    RACIALLY_MOTIVATED_OFFENDING = "racially_motivated_offending"
    PROBLEM_SOLVING = "problem_solving"
    MOTIVATION = "motivation"
    THINKING_AND_BEHAVIOUR = "thinking_and_behaviour"


class Response(StrEnum):
    ENGAGED = "engaged"
    PARTLY_ENGAGED = "partly_engaged"
    NOT_ENGAGED = "not_engaged"


@dataclass(frozen=True, kw_only=True)
class SessionPlan:
    number: int
    title: str
    items: tuple[str, ...]


def _plan(*sessions: tuple[str, tuple[str, ...]]) -> tuple[SessionPlan, ...]:
    return tuple(SessionPlan(number=i, title=t, items=items) for i, (t, items) in enumerate(sessions, 1))


SESSION_PLANS: dict[Topic, tuple[SessionPlan, ...]] = {
    Topic.VICTIM_AWARENESS: _plan(
        ("The offence and who was harmed", ("account of the offence", "direct and indirect victims",
                                            "taking responsibility")),
        ("The impact on victims", ("physical, emotional and financial harm",
                                   "harm to families and the community", "seeing it from the victim's side")),
        ("Putting things right", ("restorative options", "victim contact and conditions",
                                  "commitments to avoid further harm")),
    ),
    Topic.RACIALLY_MOTIVATED_OFFENDING: _plan(
        ("The offence and its motivation", ("account of the offence", "beliefs and language used",
                                            "the targeting of the victim")),
        ("Where the beliefs come from", ("family, peers and online influences",
                                         "grievance and blame", "facts against assumptions")),
        ("Harm and change", ("harm to victims and communities", "contact with other groups",
                             "plan to avoid situations and influences")),
    ),
    Topic.PROBLEM_SOLVING: _plan(
        ("Recognising problems", ("identifying the problem", "feelings as warning signs")),
        ("Generating options", ("several solutions", "consequences for self and others")),
        ("Planning and reviewing", ("choosing and planning a solution", "reviewing what happened")),
    ),
    Topic.MOTIVATION: _plan(
        ("Where the person is now", ("stage of change", "what matters to the person")),
        ("Reasons for change", ("pros and cons of change", "goals in the plan")),
        ("Keeping going", ("confidence and setbacks", "support available")),
    ),
    Topic.THINKING_AND_BEHAVIOUR: _plan(
        ("Thoughts, feelings and actions", ("the link between thinking and behaviour",
                                            "high-risk situations")),
        ("Attitudes that support offending", ("justifications and minimising", "pro-social alternatives")),
        ("Self-control", ("impulsivity and consequences", "managing emotions", "rehearsing new responses")),
    ),
}

# The specification rows each topic evidences (Supervision).
ROWS: dict[Topic, tuple[int, ...]] = {
    Topic.VICTIM_AWARENESS: (9, 19),
    Topic.RACIALLY_MOTIVATED_OFFENDING: (7, 20),
    Topic.PROBLEM_SOLVING: (8,),
    Topic.MOTIVATION: (6,),
    Topic.THINKING_AND_BEHAVIOUR: (7,),
}


def parse_topic(raw: str) -> Topic:
    try:
        return Topic(raw)
    except ValueError:
        raise InvalidValue(f"topic {raw!r} is not known", field="topic", value=raw,
                           rule="one of " + ", ".join(t.value for t in Topic)) from None


def parse_response(raw: str) -> Response:
    try:
        return Response(raw)
    except ValueError:
        raise InvalidValue(f"response {raw!r} is not known", field="response", value=raw,
                           rule="one of " + ", ".join(r.value for r in Response)) from None


@dataclass(frozen=True, kw_only=True)
class DeliveredSession:
    topic: Topic
    number: int
    delivered_on: date
    covered: tuple[str, ...]
    response: Response
    notes: str | None = None

    def __post_init__(self) -> None:
        plans = SESSION_PLANS[self.topic]
        require(1 <= self.number <= len(plans), f"{self.topic.value} has no session {self.number}",
                field="number", value=self.number,
                rule=f"the {self.topic.value} plan has sessions 1 to {len(plans)}")
        plan = plans[self.number - 1]
        require(bool(self.covered), "the session covered nothing", field="covered", value=[],
                rule="record at least one item of the session plan that was covered")
        unknown = [c for c in self.covered if c not in plan.items]
        require(not unknown, f"{unknown[0]!r} is not in session {self.number} "
                f"({plan.title})" if unknown else "", field="covered",
                value=unknown[0] if unknown else None,
                rule="covered items come from the session plan: " + "; ".join(plan.items))
        require(len(set(self.covered)) == len(self.covered), "an item is listed twice",
                field="covered", value=list(self.covered), rule="each item once")
        if self.response is not Response.ENGAGED:
            require(bool((self.notes or "").strip()), f"a {self.response.value} response without "
                    "notes", field="notes", value=self.notes,
                    rule="say how the person responded when they did not fully engage")

    @property
    def plan(self) -> SessionPlan:
        return SESSION_PLANS[self.topic][self.number - 1]


def validate_date(on: date, *, sentence_date: date, as_of: date) -> None:
    iso = on.isoformat()
    require(on <= as_of, f"session date {iso} is after today ({as_of.isoformat()})",
            field="delivered_on", value=iso, rule="a session is recorded once delivered")
    require(on >= sentence_date, f"session date {iso} is before the sentence date "
            f"{sentence_date.isoformat()}", field="delivered_on", value=iso,
            rule="sessions are delivered during the sentence")


def coverage(delivered: Sequence[DeliveredSession]) -> dict[Topic, tuple[int, int]]:
    """Per topic started: (sessions of the plan delivered at least once, sessions in the plan)."""
    out: dict[Topic, tuple[int, int]] = {}
    for topic in Topic:
        numbers = {d.number for d in delivered if d.topic is topic}
        if numbers:
            out[topic] = (len(numbers), len(SESSION_PLANS[topic]))
    return out
