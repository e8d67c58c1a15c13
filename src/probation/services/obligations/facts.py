"""Facts the obligations engine reads, from the database: per case (the per-case path) and the
same facts as set-based queries for the bulk path (services/obligations/bulk.py).

Facts held by other features' tables (registers, RoSH, OGRS3 band, NPS referral) are read by the
FACT_READERS below, one entry per fact: a query yielding (case_id, value) rows as of a date. A
reader runs only when its table exists in the metadata; otherwise the fact stays unknown (None or
empty), never guessed. To add a fact, add one reader here.

Release, licence and top-up supervision dates of custodial cases come from the release_dates
table (calculated when the case is created, services/release_dates.py); the supervision period on
`as_of` (licence or post-sentence supervision, the last one reached) follows from them.

Facts the platform does not hold yet and so leaves unknown: enhanced-contact groups, practitioner
flags (home visit needed), whether the EM provider is the responsible officer and whether a failure
to comply is open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, Table, bindparam, func, select
from sqlalchemy.orm import Session

from probation.adapters.db import load_all_tables
from probation.adapters.db import repository as repo
from probation.adapters.db.tables import Base, CaseEventRow, CaseRow, PersonRow
from probation.adapters.db.tables_release import ReleaseDatesRow
from probation.catalogue.conditions import (
    CaseFacts,
    Characteristic,
    Register,
    RequirementFact,
    SupervisionPeriod,
)
from probation.domain.case import Case
from probation.domain.people import Disability, Sex
from probation.domain.requirements import requirement_period
from probation.domain.risk.ogrs3 import Ogrs3Band
from probation.domain.risk.rosh import RoshLevel
from probation.domain.sentences import SentenceType
from probation.rules.facts import CaseRecordFacts, EventRecord, RequirementDates


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def _active_registers(t: Table, as_of: date) -> Select[Any]:
    return select(t.c.case_id, t.c.register.label("value")).where(
        t.c.start_date <= as_of, (t.c.end_date.is_(None)) | (t.c.end_date > as_of))


def _latest(t: Table, value: Any, day: Any, as_of: date, *extra: Any) -> Select[Any]:
    rank = func.row_number().over(partition_by=t.c.case_id, order_by=(day.desc(), t.c.id.desc()))
    ranked = select(t.c.case_id, value.label("value"), rank.label("rn")).where(day <= as_of, *extra).subquery()
    return select(ranked.c.case_id, ranked.c.value).where(ranked.c.rn == 1)


def _latest_rosh(t: Table, as_of: date) -> Select[Any]:
    return _latest(t, t.c.overall, t.c.assessed_on, as_of)


def _latest_ogrs3(t: Table, as_of: date) -> Select[Any]:
    return _latest(t, t.c.band, t.c.scored_on, as_of, t.c.model_name == "ogrs3")


def _referred_to_nps(t: Table, as_of: date) -> Select[Any]:
    return select(t.c.case_id, func.count().label("value")).where(
        t.c.referred_at.is_not(None), t.c.referred_at < _end_of(as_of)).group_by(t.c.case_id)


@dataclass(frozen=True, kw_only=True)
class FactReader:
    fact: str  # the CaseFacts field
    table: str
    query: Callable[[Table, date], Select[Any]]
    allowed: frozenset[str] | None  # values outside it are dropped (unknown)
    many: bool = False  # a set of values
    flag: bool = False  # true when any row exists


FACT_READERS: tuple[FactReader, ...] = (
    FactReader(fact="registers", table="register_entry", query=_active_registers,
               allowed=frozenset(r.value for r in Register), many=True),
    FactReader(fact="rosh", table="rosh_assessment", query=_latest_rosh,
               allowed=frozenset(r.value for r in RoshLevel)),
    FactReader(fact="ogrs3_band", table="predictor_score", query=_latest_ogrs3,
               allowed=frozenset(b.value for b in Ogrs3Band)),
    FactReader(fact="referred_to_nps", table="risk_escalation", query=_referred_to_nps, allowed=None,
               flag=True),
)


@lru_cache(maxsize=1)
def _tables_loaded() -> bool:
    load_all_tables()
    return True


def available_readers() -> list[tuple[FactReader, Table]]:
    _tables_loaded()
    tables = Base.metadata.tables
    return [(r, tables[r.table]) for r in FACT_READERS if r.table in tables]


def characteristics_of(interpreter_required: bool | None, disability: str | None,
                       learning_difficulty: bool | None) -> frozenset[Characteristic]:
    """Manage row 7's needs, from what the person declared."""
    out = set()
    if interpreter_required:
        out.add(Characteristic.NON_ENGLISH_SPEAKING)
    if disability not in (None, Disability.NONE.value, Disability.PREFER_NOT_TO_SAY.value):
        out.add(Characteristic.DISABILITY)
    if learning_difficulty:
        out.add(Characteristic.LEARNING_DIFFICULTY)
    return frozenset(out)


def order_end(case: Case) -> date | None:
    """CO end, or the SSO supervision period end (else its operational period end); none for custody."""
    if case.sentence.type is SentenceType.CUSTODIAL:
        return None
    return case.sentence.requirement_end_limit


def read_facts(session: Session, case_id: int, as_of: date) -> dict[str, Any]:
    """The other features' facts for one case, by CaseFacts field."""
    out: dict[str, Any] = {}
    conn = session.connection()  # Core: a fraction of the ORM's overhead per statement
    for reader, table in available_readers():
        values = [v for _, v in conn.execute(_for_case(reader, table, as_of), {"case_id": case_id})]
        if reader.flag:
            out[reader.fact] = bool(values)
            continue
        values = [v for v in values if reader.allowed is None or v in reader.allowed]
        if reader.many:
            out[reader.fact] = frozenset(values)
        elif values:
            out[reader.fact] = values[0]
    return out


@lru_cache(maxsize=64)
def _for_case(reader: FactReader, table: Table, as_of: date) -> Select[Any]:
    """Built once per date (statement construction costs more than running it)."""
    q = reader.query(table, as_of).subquery()
    return select(q.c.case_id, q.c.value).where(q.c.case_id == bindparam("case_id"))


def load_case_facts(session: Session, case_id: int, as_of: date) -> tuple[Case, CaseRecordFacts]:
    case, row = repo.load_case(session, case_id)
    person = session.connection().execute(
        select(PersonRow.sex, PersonRow.interpreter_required, PersonRow.disability, PersonRow.learning_difficulty,
               PersonRow.date_of_birth)
        .where(PersonRow.id == row.person_id)).one()
    end = order_end(case)
    limit = case.sentence.requirement_end_limit
    reqs = tuple(RequirementDates(type=r.type, electronically_monitored=r.electronically_monitored,
                                  start=r.start_date, end=requirement_period(r, limit).end)
                 for r in case.sentence.requirements)
    extra = read_facts(session, case_id, as_of)
    release = session.get(ReleaseDatesRow, case_id)
    if release is not None:
        extra["supervision_period"] = supervision_period_on(release, as_of)
    facts = CaseFacts(
        sentence_type=case.sentence.type, sex=Sex(person.sex),
        requirements=tuple(RequirementFact(type=r.type, electronically_monitored=r.electronically_monitored)
                           for r in reqs),
        characteristics=characteristics_of(person.interpreter_required, person.disability,
                                           person.learning_difficulty),
        **extra)
    record = CaseRecordFacts(case_id=case_id, facts=facts, requirements=reqs,
                             sentence_date=case.sentence.sentence_date, order_end=end,
                             terminated_on=case.terminated_on, date_of_birth=person.date_of_birth,
                             release_date=release.release_day if release else None,
                             licence_end=release.sentence_expiry if release and release.licence_start else None,
                             supervision_end=release.tused if release else None)
    return case, record


def supervision_period_on(release: ReleaseDatesRow, day: date) -> SupervisionPeriod | None:
    """The supervision period the sentence has reached by `day`: licence from release, then
    post-sentence supervision from the day after sentence expiry. An ended period stays the case's
    last one, so its obligations remain assessable after supervision ends; before release (in
    custody) there is none."""
    if release.pss_start and release.pss_start <= day:
        return SupervisionPeriod.POST_SENTENCE_SUPERVISION
    if release.licence_start and release.licence_start <= day:
        return SupervisionPeriod.LICENCE
    return None


_EVENTS = (select(CaseEventRow.id, CaseEventRow.seq, CaseEventRow.kind, CaseEventRow.occurred_at, CaseEventRow.data)
           .where(CaseEventRow.case_id == bindparam("case_id")).order_by(CaseEventRow.seq))


def load_events(session: Session, case_id: int) -> list[EventRecord]:
    rows = session.connection().execute(_EVENTS, {"case_id": case_id})
    return [EventRecord(id=i, seq=s, kind=k, occurred_at=at,
                        data=d or {}) for i, s, k, at, d in rows]


def case_ids_for_crn(session: Session, crn: str) -> list[int]:
    person = repo.get_person_row(session, crn)
    return list(session.scalars(select(CaseRow.id).where(CaseRow.person_id == person.id).order_by(CaseRow.id)))
