"""What the obligations engine reads about one case: the catalogue's condition facts plus the
dates the due rules anchor on, and the case's recorded events.

The facts loader (services/obligations/facts.py) builds these from the case record; a fact the platform
does not hold is None (unknown), never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from probation.catalogue.conditions import CaseFacts, Condition
from probation.domain.calendar import LONDON
from probation.domain.requirements import RequirementType


@dataclass(frozen=True, kw_only=True)
class RequirementDates:
    type: RequirementType
    electronically_monitored: bool
    start: date
    end: date  # exclusive: the requirement's own end, capped at the order's end


@dataclass(frozen=True, kw_only=True)
class CaseRecordFacts:
    """One case as the engine sees it."""

    case_id: int
    facts: CaseFacts  # what catalogue conditions read
    requirements: tuple[RequirementDates, ...] = ()
    sentence_date: date
    order_end: date | None = None  # CO end, SSO supervision period end (exclusive)
    release_date: date | None = None
    licence_end: date | None = None
    supervision_end: date | None = None
    terminated_on: date | None = None
    em_responsible_officer: bool = False  # the EM provider is the responsible officer
    date_of_birth: date | None = None  # young adults' level of contact (rules/contact.py)

    def requirements_for(self, condition: Condition) -> tuple[RequirementDates, ...]:
        """The requirements a row is about: those of the row's types (all when it names none),
        and, when the row says so, only the electronically monitored (or only the others)."""
        wanted = condition.requirement_types_any
        em = condition.electronically_monitored
        return tuple(
            r
            for r in self.requirements
            if (wanted is None or r.type in wanted)
            and (em is None or r.electronically_monitored is em)
        )


@dataclass(frozen=True, kw_only=True)
class EventRecord:
    """One recorded case event, as the evidence an obligation cites (case_event id and seq)."""

    id: int
    seq: int
    kind: str
    occurred_at: datetime  # with a time zone (UTC)
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def on(self) -> date:
        """The day it happened in England and Wales."""
        return self.occurred_at.astimezone(LONDON).date()

    @property
    def order(self) -> tuple[datetime, int]:
        return (self.occurred_at, self.seq)


def data_matches(data: Mapping[str, Any], wanted: tuple[tuple[str, str], ...]) -> bool:
    """Every pair holds: the event's data[key] is the text value, or a list holding it."""
    for key, value in wanted:
        got = data.get(key)
        if isinstance(got, list | tuple):
            if value not in got:
                return False
        elif got != value:
            return False
    return True
