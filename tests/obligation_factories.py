"""Builders for the obligations engine: case facts, events and a fixed RECORDED_KINDS, so tests do
not change meaning when a feature starts recording another kind."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from probation.catalogue import load_catalogue
from probation.catalogue.conditions import CaseFacts, RequirementFact
from probation.domain.events import EventKind
from probation.domain.people import Sex
from probation.domain.requirements import RequirementType
from probation.domain.sentences import SentenceType
from probation.rules.facts import CaseRecordFacts, EventRecord, RequirementDates
from probation.rules.obligations import ObligationsEngine

# The case lifecycle and the plan/risk kinds: what the engine may treat as recorded in tests.
RECORDED = frozenset({
    EventKind.CASE_CREATED, EventKind.AGENCIES_NOTIFIED, EventKind.FEMALE_OPTIONS_RECORDED,
    EventKind.ALLOCATED, EventKind.INDUCTION_COMPLETED, EventKind.TRANSFER_REQUESTED,
    EventKind.TRANSFER_ACCEPTED, EventKind.TRANSFER_REJECTED, EventKind.JURISDICTION_CHANGED,
    EventKind.TERMINATED, EventKind.CLOSED, EventKind.PLAN_COMPLETED, EventKind.PLAN_REVIEWED,
    EventKind.HOME_VISIT_COMPLETED, EventKind.ROSH_ASSESSED, EventKind.REGISTER_ADDED,
    EventKind.INTER_AGENCY_INFORMATION_SHARED, EventKind.APPOINTMENT_ATTENDED,
    EventKind.APPOINTMENT_SCHEDULED,
})


def engine(recorded: Iterable[str] = RECORDED, contract: Any = None) -> ObligationsEngine:
    if contract is None:
        return ObligationsEngine(load_catalogue(), recorded_kinds=recorded)
    return ObligationsEngine(load_catalogue(), contract, recorded_kinds=recorded)


def requirement(kind: RequirementType = RequirementType.REHABILITATION_ACTIVITY, *, start: date,
                end: date, em: bool = False) -> RequirementDates:
    return RequirementDates(type=kind, electronically_monitored=em, start=start, end=end)


def case(*, case_id: int = 1, sentence_type: SentenceType = SentenceType.COMMUNITY_ORDER,
         sex: Sex = Sex.MALE, sentence_date: date = date(2026, 3, 2), order_end: date | None = None,
         requirements: tuple[RequirementDates, ...] | None = None, terminated_on: date | None = None,
         **facts: Any) -> CaseRecordFacts:
    end = order_end or date(2027, 3, 2)
    reqs = requirements if requirements is not None else (
        requirement(start=sentence_date, end=end),)
    return CaseRecordFacts(
        case_id=case_id, sentence_date=sentence_date, order_end=end, terminated_on=terminated_on,
        requirements=reqs,
        facts=CaseFacts(sentence_type=sentence_type, sex=sex,
                        requirements=tuple(RequirementFact(type=r.type,
                                                           electronically_monitored=r.electronically_monitored)
                                           for r in reqs), **facts))


_ids = {"n": 0}


def event(kind: EventKind | str, on: date | datetime, *, seq: int | None = None, event_id: int | None = None,
          at: time = time(10, 0), **data: Any) -> EventRecord:
    _ids["n"] += 1
    when = on if isinstance(on, datetime) else datetime.combine(on, at, tzinfo=UTC)
    n = _ids["n"]
    return EventRecord(id=event_id if event_id is not None else n, seq=seq if seq is not None else n,
                       kind=str(kind), occurred_at=when, data=data)
