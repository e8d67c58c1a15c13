"""The append-only case history. Every change to a case is one event with who, when and why;
the obligations engine cites events as the evidence that a specification output was met."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    # Case lifecycle (Manage the Sentence: the sentence is commenced ... the sentence is terminated)
    CASE_CREATED = "case_created"
    AGENCIES_NOTIFIED = "agencies_notified"
    FEMALE_OPTIONS_RECORDED = "female_options_recorded"
    ALLOCATED = "allocated"
    INDUCTION_COMPLETED = "induction_completed"
    TRANSFER_REQUESTED = "transfer_requested"
    TRANSFER_ACCEPTED = "transfer_accepted"
    TRANSFER_REJECTED = "transfer_rejected"
    JURISDICTION_CHANGED = "jurisdiction_changed"
    RESTRICTION_CHANGED = "restriction_changed"
    TERMINATED = "terminated"
    CLOSED = "closed"


@dataclass(frozen=True, kw_only=True)
class CaseEvent:
    kind: EventKind
    occurred_at: datetime
    actor: str
    reason: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.occurred_at.tzinfo is None:
            raise ValueError("event times carry a time zone (UTC)")
