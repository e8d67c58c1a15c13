"""The bulk (Polars) engine and the per-case engine give identical obligations: worked cases and a
hypothesis property over random facts, random events and a random as_of."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probation.catalogue import load_catalogue
from probation.catalogue.conditions import (
    CaseFacts,
    CaseFlag,
    Characteristic,
    EnhancedContactGroup,
    Register,
    RequirementFact,
    SupervisionPeriod,
)
from probation.catalogue.models import Contract
from probation.catalogue.timescales import Offset, Recurring
from probation.domain.events import EventKind
from probation.domain.people import Sex
from probation.domain.requirements import RequirementType
from probation.domain.risk.ogrs3 import Ogrs3Band
from probation.domain.risk.rosh import RoshLevel
from probation.domain.sentences import SentenceType
from probation.rules.bulk import BulkEngine, frames_from_facts, working_calendar
from probation.rules.facts import CaseRecordFacts, EventRecord, RequirementDates
from probation.rules.obligations import Obligation, ObligationsEngine
from probation.rules.statuses import ObligationStatus
from tests.obligation_factories import RECORDED

CATALOGUE = load_catalogue()
EVERY_OPTION = Contract(contract_id="all_options", provider="test", commissioned_options=CATALOGUE.option_ids,
                        timescale_overrides={"em_installation": Offset(days=2, unit="working")},
                        rule_overrides={("manage", 32): Recurring(
                            kind="recurring", anchor=EventKind.PLAN_COMPLETED, every=Offset(days=10, unit="working"),
                            until="order_end", evidence=(EventKind.PLAN_REVIEWED,), source="test: working days")})
# Every kind recorded, so every rule shape is exercised (not just today's RECORDED_KINDS).
# Only the post-release enhanced contact option: women on licence get enhanced contact, women on
# community orders do not (the level of contact, rules/contact.py).
POST_RELEASE_ENHANCED = Contract(contract_id="pr_enhanced", provider="test",
                                 commissioned_options=frozenset({"post_release.enhanced_contact"}),
                                 timescale_overrides={}, rule_overrides={})
ENGINES = [ObligationsEngine(CATALOGUE, recorded_kinds=RECORDED),
           ObligationsEngine(CATALOGUE, EVERY_OPTION, recorded_kinds=[str(k) for k in EventKind]),
           ObligationsEngine(CATALOGUE, POST_RELEASE_ENHANCED, recorded_kinds=[str(k) for k in EventKind])]
KINDS = [str(k) for k in EventKind]
# Half the events come from kinds that start or discharge many rows, so statuses other than
# "not yet due" are common.
FOCUS = [str(k) for k in (
    EventKind.CASE_CREATED, EventKind.ALLOCATED, EventKind.AGENCIES_NOTIFIED, EventKind.PLAN_COMPLETED,
    EventKind.PLAN_REVIEWED, EventKind.REGISTER_ADDED, EventKind.INTER_AGENCY_INFORMATION_SHARED,
    EventKind.TERMINATED, EventKind.CLOSED, EventKind.APPOINTMENT_ATTENDED, EventKind.EM_INSTALLED,
    EventKind.EM_POSITIONS_RECEIVED, EventKind.POLICE_VIOLATION_NOTIFIED, EventKind.WARNING_ISSUED,
    EventKind.TRANSFER_REQUESTED, EventKind.TRANSFER_ACCEPTED, EventKind.STRUCTURED_SESSION_DELIVERED)]
Row = tuple[Any, ...]


def as_rows(obligations: list[Obligation]) -> set[Row]:
    return {(o.case_id, o.spec_id, o.row, o.occurrence, o.status.value, o.opens, o.due, o.met_on,
             o.evidence.id if o.evidence else None, o.trigger.id if o.trigger else None)
            for o in obligations if o.status is not ObligationStatus.NOT_APPLICABLE}


def bulk_rows(frame: pl.DataFrame) -> set[Row]:
    return {tuple(r) for r in frame.select("case_id", "spec_id", "row", "occurrence", "status", "opens", "due",
                                           "met_on", "evidence_id", "trigger_id").iter_rows()}


def compare(engine: ObligationsEngine, cases: list[CaseRecordFacts], events: dict[int, list[EventRecord]],
            as_of: date) -> None:
    per_case: set[Row] = set()
    for c in cases:
        per_case |= as_rows(engine.evaluate(c, events.get(c.case_id, []), as_of))
    bulk = bulk_rows(BulkEngine(engine).evaluate(*frames_from_facts(cases, events), as_of))
    assert bulk == per_case, (sorted(bulk - per_case)[:5], sorted(per_case - bulk)[:5])


days = st.integers(min_value=0, max_value=900)
START = date(2025, 1, 1)


@st.composite
def a_case(draw: st.DrawFn, case_id: int) -> tuple[CaseRecordFacts, list[EventRecord]]:
    sentence_type = draw(st.sampled_from(list(SentenceType)))
    sentence = START + timedelta(days=draw(days))
    order_end = sentence + timedelta(days=draw(st.integers(30, 1100)))
    reqs: list[RequirementDates] = []
    if sentence_type is not SentenceType.CUSTODIAL:
        for _ in range(draw(st.integers(0, 3))):
            start = sentence + timedelta(days=draw(st.integers(0, 40)))
            reqs.append(RequirementDates(type=draw(st.sampled_from(list(RequirementType))),
                                         electronically_monitored=draw(st.booleans()), start=start,
                                         end=min(order_end, start + timedelta(days=draw(st.integers(1, 800))))))
    maybe = st.one_of(st.none(), st.builds(lambda d: sentence + timedelta(days=d), st.integers(0, 700)))
    facts = CaseFacts(
        sentence_type=sentence_type, sex=draw(st.sampled_from(list(Sex))),
        requirements=tuple(RequirementFact(type=r.type, electronically_monitored=r.electronically_monitored)
                           for r in reqs),
        registers=draw(st.frozensets(st.sampled_from(list(Register)), max_size=3)),
        rosh=draw(st.one_of(st.none(), st.sampled_from(list(RoshLevel)))),
        ogrs3_band=draw(st.one_of(st.none(), st.sampled_from(list(Ogrs3Band)))),
        characteristics=draw(st.frozensets(st.sampled_from(list(Characteristic)), max_size=2)),
        enhanced_contact_groups=draw(st.frozensets(st.sampled_from(list(EnhancedContactGroup)), max_size=2)),
        supervision_period=draw(st.one_of(st.none(), st.sampled_from(list(SupervisionPeriod)))),
        referred_to_nps=draw(st.booleans()), at_risk_of_enforcement=draw(st.booleans()),
        flags=draw(st.frozensets(st.sampled_from(list(CaseFlag)))))
    record = CaseRecordFacts(
        case_id=case_id, facts=facts, requirements=tuple(reqs), sentence_date=sentence,
        order_end=None if sentence_type is SentenceType.CUSTODIAL else order_end,
        release_date=draw(maybe), licence_end=draw(maybe), supervision_end=draw(maybe),
        terminated_on=draw(maybe), em_responsible_officer=draw(st.booleans()),
        # Ages 17 to 31 over the drawn dates: young adults (18-24) move in and out of the group.
        date_of_birth=draw(st.one_of(st.none(), st.builds(lambda d: START - timedelta(days=d),
                                                          st.integers(17 * 365, 27 * 365)))))
    events = []
    for seq in range(1, draw(st.integers(0, 25)) + 1):
        at = datetime.combine(sentence, datetime.min.time(), tzinfo=UTC) + timedelta(
            minutes=draw(st.integers(0, 600 * 24 * 60)))
        kind = draw(st.one_of(st.sampled_from(FOCUS), st.sampled_from(KINDS)))
        data: dict[str, Any] = {}
        if draw(st.booleans()):
            data = {"agencies": draw(st.lists(st.sampled_from(["police", "childrens_social_care", "x"]),
                                              max_size=2)),
                    "topic": draw(st.sampled_from(["victim_awareness", "racially_motivated_offending", "y"]))}
        events.append(EventRecord(id=case_id * 1000 + seq, seq=seq, kind=kind, occurred_at=at, data=data))
    return record, events


@st.composite
def caseloads(draw: st.DrawFn) -> tuple[list[CaseRecordFacts], dict[int, list[EventRecord]], date]:
    drawn = [draw(a_case(i)) for i in range(1, draw(st.integers(1, 12)) + 1)]
    as_of = START + timedelta(days=draw(st.integers(0, 1500)))
    return [c for c, _ in drawn], {c.case_id: e for c, e in drawn}, as_of


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(caseloads(), st.sampled_from(ENGINES))
def test_bulk_and_per_case_agree_on_random_caseloads(
        load: tuple[list[CaseRecordFacts], dict[int, list[EventRecord]], date], engine: ObligationsEngine) -> None:
    cases, events, as_of = load
    compare(engine, cases, events, as_of)


def test_working_day_calendar_matches_add_working_days_over_christmas() -> None:
    base, cumulative, ordinals = working_calendar(2025, 2028)
    day = (date(2026, 12, 23) - date(1970, 1, 1)).days
    fifth = date(1970, 1, 1) + timedelta(days=int(ordinals[cumulative[day - base] + 5 - 1]))
    assert fifth == date(2027, 1, 4)


def test_an_empty_caseload_gives_an_empty_frame() -> None:
    frame = BulkEngine(ENGINES[0]).evaluate(*frames_from_facts([], {}), date(2026, 1, 1))
    assert frame.height == 0 and "status" in frame.columns
