"""Records for the data-protection tests: a person with a case (open or closed on a given day) and
one row in every table the map of personal data names, built from the tables' own columns, so a
table added to the map is exported and disposed of in these tests without a change here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, Float, Integer, String, Table, Text, func, select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import CaseEventRow, CaseRow, PersonRow, RequirementRow
from probation.adapters.db.tables_admin import LetterRow
from probation.adapters.db.tables_interventions import InterventionServiceRow
from probation.adapters.db.types import UtcDateTime
from probation.domain.case import TerminationReason
from probation.domain.people import Disability, Ethnicity
from probation.domain.roles import Role
from probation.em.services.runtime import person_key
from probation.services import cases
from probation.services.context import Actor
from probation.services.personal_data import Link, Subject, condition, holdings, tables
from tests.factories import community_order, person

ADMIN = Actor(username="admin", role=Role.ADMINISTRATOR)
FREE_TEXT = "Said he is staying at 4 Elm Road with his sister"


@dataclass(frozen=True, kw_only=True)
class Made:
    crn: str
    case_id: int
    person_id: int
    device: str


def make_person(session: Session, crn: str, *, sentenced: date, closed_at: datetime | None = None,
                close: bool = True, religion: str | None = "Catholic",
                ethnicity: Ethnicity | None = Ethnicity.WHITE_IRISH) -> Made:
    """A community order sentenced on `sentenced` (team T1, offender manager S1); terminated at
    `closed_at` when given, and closed then unless `close` is false."""
    created = datetime.combine(sentenced, time(10), UTC)
    p = person(crn=crn, religion=religion, ethnicity=ethnicity, disability=Disability.PHYSICAL,
               gender_identity="man", phone="0113 496 0000", email="jo@example.org")
    case_id = cases.create_case(session, ADMIN, person=p, sentence=community_order(sentence_date=sentenced),
                                court_code="LDSMC", organisation_code="NPS-NE", team_code="T1", now=created)
    cases.apply(session, ADMIN, case_id, "allocate", {"staff_code": "S1"}, now=created + timedelta(hours=1))
    if closed_at is not None:
        cases.apply(session, ADMIN, case_id, "terminate", {"reason": TerminationReason.COMPLETED.value,
                                                           "on": closed_at.date(), "note": FREE_TEXT},
                    now=closed_at - timedelta(minutes=5))
        if close:
            cases.apply(session, ADMIN, case_id, "close", {}, now=closed_at)
    row = session.get(CaseRow, case_id)
    assert row is not None
    made = Made(crn=crn, case_id=case_id, person_id=row.person_id, device=f"DEV-{case_id}")
    fill_every_table(session, made, at=created + timedelta(days=1))
    return made


def fill_every_table(session: Session, made: Made, *, at: datetime) -> None:
    """One row in each mapped table for the case, parents before children; a case event with free text."""
    requirement_id = session.scalar(select(RequirementRow.id).where(RequirementRow.case_id == made.case_id))
    if session.get(InterventionServiceRow, "SVC-DP") is None:
        session.add(InterventionServiceRow(code="SVC-DP", name="Service", provider="P", kind="service",
                                           need_areas=[], location="Leeds", capacity=1, eligibility={},
                                           updated_at=at, updated_by="admin"))
        session.flush()
    last_id: dict[str, Any] = {}
    seq = session.scalar(select(func.max(CaseEventRow.seq)).where(CaseEventRow.case_id == made.case_id)) or 0
    session.add(CaseEventRow(case_id=made.case_id, seq=seq + 1, kind="contact_recorded", occurred_at=at,
                             recorded_at=at, actor="om1", reason=FREE_TEXT,
                             data={"appointment_id": 1, "summary": FREE_TEXT, "outcome": "attended"}))
    for h in reversed(holdings()):
        if h.link in (Link.PERSON, Link.CASES) or h.table in ("case_event", "requirement"):
            continue
        t = tables()[h.table]
        values = {c.name: _value(t, c, made, at, requirement_id, last_id) for c in t.columns
                  if not (c.primary_key and c.autoincrement is True and isinstance(c.type, Integer | BigInteger))}
        values = {k: v for k, v in values.items() if v is not _SKIP}
        result = session.execute(t.insert().values(**values))
        pk = result.inserted_primary_key
        last_id[h.table] = pk[0] if pk else None
    # A letter about the person tied to no case: found by the CRN alone.
    session.add(LetterRow(kind="general", case_id=None, crn=made.crn, subject="About you", html=f"<p>{FREE_TEXT}</p>",
                          created_at=at, created_by="om1"))
    session.flush()


class _Skip:
    pass


_SKIP: Any = _Skip()
_FK = {"case_record.id": "case", "person.id": "person", "staff.code": "S1", "organisation.code": "NPS-NE",
       "court.code": "LDSMC", "team.code": "T1", "intervention_service.code": "SVC-DP"}


def _value(t: Table, c: Any, made: Made, at: datetime, requirement_id: int | None,
           last_id: dict[str, Any]) -> Any:
    for fk in c.foreign_keys:
        target = f"{fk.column.table.name}.{fk.column.name}"
        if target == "case_record.id":
            return made.case_id
        if target == "person.id":
            return made.person_id
        if target == "requirement.id":
            return requirement_id
        if target in _FK:
            return _FK[target]
        if fk.column.table.name in last_id:
            return last_id[fk.column.table.name]
        return None if c.nullable else _SKIP
    name = c.name
    if c.primary_key and name == "id" and isinstance(c.type, String):
        return f"AL{made.case_id}"
    special = {"case_id": made.case_id, "crn": made.crn, "person": person_key(made.case_id),
               "device_id": made.device, "t_ms": int(at.timestamp() * 1000), "source": "gps",
               # references without a foreign key (unique per case; the row need not exist)
               "appointment_id": last_id.get("appointment", made.case_id), "plan_review_id": made.case_id,
               "alert_id": f"AL{made.case_id}", "html": f"<p>Dear Jo Bloggs, {FREE_TEXT}</p>"}
    if name in special and special[name] is not None:
        return special[name]
    kind = c.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, UtcDateTime):
        return at
    if isinstance(kind, Date):
        return at.date()
    if isinstance(kind, Integer | BigInteger):
        return 1
    if isinstance(kind, Float):
        return 53.8
    if isinstance(kind, JSON):
        return {"note": FREE_TEXT}
    if isinstance(kind, Text):
        return FREE_TEXT
    if isinstance(kind, String):
        return "x"[: kind.length or 1]
    return None if c.nullable else _SKIP


def snapshot(session: Session, who: Subject) -> dict[str, list[tuple[Any, ...]]]:
    """Every mapped row of a person, for before-and-after comparisons."""
    out = {}
    for h in holdings():
        t = tables()[h.table]
        rows = session.execute(select(t).where(condition(session, h, who))).all()
        out[h.table] = sorted(tuple(repr(v) for v in r) for r in rows)
    return out


def subject(session: Session, made: Made) -> Subject:
    row = session.get(PersonRow, made.person_id)
    assert row is not None
    case_ids = list(session.scalars(select(CaseRow.id).where(CaseRow.person_id == made.person_id)))
    return Subject(person_id=made.person_id, crn=row.crn, case_ids=case_ids)
