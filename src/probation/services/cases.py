"""Case use cases: create from a court outcome, read, list a caseload, and apply lifecycle commands.

Each function runs inside the caller's transaction: a rejected command raises before anything is
flushed, and the caller's rollback leaves the database as it was.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from probation.adapters.db import repository as repo
from probation.adapters.db.tables import (
    CaseEventRow,
    CaseRow,
    CourtRow,
    OrganisationRow,
    PersonRow,
    RequirementRow,
    StaffRow,
    TeamRow,
)
from probation.domain import case as lifecycle
from probation.domain.case import Case, FemaleOptions, TerminationReason
from probation.domain.data_protection import minimisation
from probation.domain.errors import Conflict, Forbidden, InvalidValue, NotFound
from probation.domain.events import CaseEvent
from probation.domain.people import Person
from probation.domain.roles import Role
from probation.domain.sentences import Sentence
from probation.services import access, audit, release_dates
from probation.services.context import Actor


@dataclass(frozen=True, kw_only=True)
class CaseDetail:
    case: Case
    events: list[tuple[int, CaseEvent]]  # (seq, event)
    names: dict[str, str]                # display names of the OM, team, provider and court


@dataclass(frozen=True, kw_only=True)
class PersonRecord:
    person: Person
    cases: list[CaseDetail]
    withheld: frozenset[str] = frozenset()  # person fields the reader's role does not receive (minimisation)


@dataclass(frozen=True, kw_only=True)
class CaseloadItem:
    crn: str
    case_id: int
    name: str
    date_of_birth: date
    sex: str
    sentence_type: str
    sentence_date: date
    end_date: date
    status: str
    offender_manager: str | None
    team_code: str
    restricted: bool


T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def new_crn(session: Session, series: str = "X") -> str:
    """A fresh CRN: the series letter and six digits, checked against the database (X for people
    registered here, Z for identities anonymised at the end of retention)."""
    for _ in range(100):
        crn = series + f"{secrets.randbelow(1_000_000):06d}"
        if not session.scalar(select(exists().where(PersonRow.crn == crn))):
            return crn
    raise Conflict(f"could not allocate a free case reference in the {series} series", field="crn", value=None,
                   rule="CRNs are unique")


def create_case(session: Session, actor: Actor, *, person: Person, sentence: Sentence, court_code: str,
                organisation_code: str, team_code: str, now: datetime, crn_given: bool = True) -> int:
    """The case is created from a court outcome (Manage: the sentence is commenced).

    `crn_given` is False when the platform allocated `person.crn` for this request (a new
    person). A CRN the caller sent names an existing person they can see; only administrators
    (records arriving from national systems) attach to any person or register a new one under a
    CRN of their choosing. Practitioners and team managers create cases in their own team."""
    access.ensure_can_manage(actor)
    court = repo.get_court(session, court_code)
    organisation = repo.get_organisation(session, organisation_code)
    team = repo.get_team(session, team_code)
    _ensure_own_team(actor, team.code, team.organisation_code, organisation.code)
    case, event = lifecycle.create_from_court_outcome(person=person, sentence=sentence, court=court,
                                                      organisation=organisation, team=team, at=now,
                                                      actor=actor.username)
    person_row = _person_for_case(session, actor, person, crn_given=crn_given, now=now)
    row = CaseRow(person_id=person_row.id, crn=person.crn, created_at=now, updated_at=now, version=1,
                  **repo.sentence_to_row_values(sentence), **repo.case_to_row_values(case))
    session.add(row)
    session.flush()
    session.add_all(RequirementRow(case_id=row.id, **repo.requirement_to_row(r)) for r in sentence.requirements)
    release_dates.record(session, case_id=row.id, sentence=sentence, date_of_birth=person.date_of_birth, now=now)
    repo.append_events(session, row.id, [event], now=now)
    audit.record(session, actor, "write", person.crn, f"case {row.id} created from court outcome", at=now)
    session.flush()
    return row.id


def _ensure_own_team(actor: Actor, team_code: str, team_organisation: str, organisation_code: str) -> None:
    if actor.role is Role.ADMINISTRATOR:
        return
    if team_code != actor.team_code:
        raise Forbidden(f"{actor.username} is in team {actor.team_code or 'none'} and cannot create a case in "
                        f"team {team_code}", field="team_code", value=team_code,
                        rule="practitioners and team managers create cases in their own team")
    if organisation_code != team_organisation:
        raise Forbidden(f"team {team_code} belongs to {team_organisation}, not {organisation_code}",
                        field="organisation_code", value=organisation_code,
                        rule="a case is created in the provider of your own team")


def _person_for_case(session: Session, actor: Actor, person: Person, *, crn_given: bool, now: datetime) -> PersonRow:
    """The person the new case belongs to. A CRN sent by anyone but an administrator must name a
    person the caller can already see; an unknown CRN and one outside their scope get the same
    answer, whatever name and date of birth came with it, so the request cannot find out who exists."""
    if crn_given and actor.role is not Role.ADMINISTRATOR and not access.sees_person(session, actor, person.crn):
        raise NotFound(f"no person with case reference {person.crn} on a case you can see", field="person.crn",
                       value=person.crn, rule="a case reference names a person on a case you can see; "
                       "omit it to register a new person")
    person_row = session.scalar(select(PersonRow).where(PersonRow.crn == person.crn))
    if person_row is not None and not access.sees_person(session, actor, person.crn):
        # An administrator registering a CRN that belongs to a person they may not see (every case
        # restricted to named staff): the CRN is taken, but nothing of the person is attached to or
        # compared with what was sent, so the answer is the same whatever name and date of birth.
        raise Conflict(f"case reference {person.crn} is held by a record you may not see", field="person.crn",
                       value=person.crn, rule="a new case joins a person you can see; ask the staff named on "
                       "the person's restricted case")
    if person_row is None:
        person_row = PersonRow(**repo.person_to_row(person, now=now))
        session.add(person_row)
        session.flush()
    elif (person_row.date_of_birth, person_row.last_name.lower()) != (person.date_of_birth, person.last_name.lower()):
        raise Conflict(f"case reference {person.crn} belongs to someone else", field="person.crn",
                       value=person.crn, rule="a CRN identifies one person")
    return person_row


def get_person_record(session: Session, actor: Actor, crn: str, *, now: datetime) -> PersonRecord:
    access.ensure_sees_people(actor)
    person_row = repo.get_person_row(session, crn)
    details = []
    for case_id in session.scalars(select(CaseRow.id).where(CaseRow.person_id == person_row.id)
                                   .order_by(CaseRow.sentence_date.desc())):
        case, _ = repo.load_case(session, case_id)
        try:
            access.ensure_can_see(actor, case, has_em=access.has_em(session, case_id))
        except NotFound:
            continue
        events = [(r.seq, repo.event_from_row(r)) for r in session.scalars(
            select(CaseEventRow).where(CaseEventRow.case_id == case_id).order_by(CaseEventRow.seq))]
        details.append(CaseDetail(case=case, events=events, names=_names(session, case)))
    if not details:
        # Same answer as an unknown CRN: the record's existence is not disclosed.
        raise NotFound(f"no person with case reference {crn}", field="crn", value=crn,
                       rule="the case reference must exist")
    audit.record(session, actor, "read", crn, f"person record with {len(details)} case(s)", at=now)
    person, withheld = minimisation.minimise(repo.person_from_row(person_row), actor.role)
    return PersonRecord(person=person, cases=details, withheld=withheld)


def _names(session: Session, case: Case) -> dict[str, str]:
    names = {
        "team": session.scalar(select(TeamRow.name).where(TeamRow.code == case.team_code)) or case.team_code,
        "organisation": session.scalar(select(OrganisationRow.name).where(
            OrganisationRow.code == case.organisation_code)) or case.organisation_code,
        "court": session.scalar(select(CourtRow.name).where(CourtRow.code == case.court_code)) or case.court_code,
    }
    if case.offender_manager_code:
        om = session.get(StaffRow, case.offender_manager_code)
        names["offender_manager"] = f"{om.first_name} {om.last_name}" if om else case.offender_manager_code
    return names


def list_caseload(session: Session, actor: Actor, *, scope: str = "mine", q: str | None = None,
                  status: str | None = "active", page: int = 1, size: int = 25, now: datetime) -> Page[CaseloadItem]:
    """The actor's caseload ("mine": cases they manage; "all": every case they may see), searchable
    by name (prefix of surname, or "surname first") or CRN."""
    access.ensure_sees_people(actor)
    if page < 1:
        raise InvalidValue(f"page {page} is not positive", field="page", value=page, rule="pages start at 1")
    cond = [access.case_filter(actor)]
    if scope == "mine":
        if actor.staff_code is None and actor.role is Role.PRACTITIONER:
            cond.append(CaseRow.id == -1)
        elif actor.staff_code is not None and actor.role is Role.PRACTITIONER:
            cond.append(CaseRow.offender_manager_code == actor.staff_code)
    elif scope != "all":
        raise InvalidValue(f"scope {scope!r} is not mine or all", field="scope", value=scope,
                           rule="scope is mine or all")
    if status:
        cond.append(CaseRow.status == status)
    if q and q.strip():
        term = q.strip().lower()
        if len(term) == 7 and term[0].isalpha() and term[1:].isdigit():
            cond.append(CaseRow.crn == term.upper())
        else:
            # Range on the indexed search key: "smith" matches "smith john x123456".
            cond.append(PersonRow.search_key >= term)
            cond.append(PersonRow.search_key < term + "\uffff")
    base = select(CaseRow, PersonRow).join(PersonRow, PersonRow.id == CaseRow.person_id).where(*cond)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(base.order_by(PersonRow.last_name, PersonRow.first_name, CaseRow.id)
                           .limit(size).offset((page - 1) * size)).all()
    staff_codes = {c.offender_manager_code for c, _ in rows if c.offender_manager_code}
    staff = {s.code: f"{s.first_name} {s.last_name}" for s in session.scalars(
        select(StaffRow).where(StaffRow.code.in_(staff_codes)))} if staff_codes else {}
    items = [CaseloadItem(crn=p.crn, case_id=c.id, name=f"{p.first_name} {p.last_name}",
                          date_of_birth=p.date_of_birth, sex=p.sex, sentence_type=c.sentence_type,
                          sentence_date=c.sentence_date, end_date=c.end_date, status=c.status,
                          offender_manager=staff.get(c.offender_manager_code or ""), team_code=c.team_code,
                          restricted=c.restricted) for c, p in rows]
    if items:
        audit.read(session, actor, (i.crn for i in items), f"caseload list ({len(items)} of {total})", at=now)
    return Page(items=items, total=total, page=page, size=size)


# Lifecycle commands -----------------------------------------------------------------------------

Command = Callable[[Session, Case, Actor, datetime, dict[str, Any]], tuple[Case, list[CaseEvent]]]


def _one(result: tuple[Case, CaseEvent]) -> tuple[Case, list[CaseEvent]]:
    return result[0], [result[1]]


def _notify(s: Session, c: Case, a: Actor, now: datetime, p: dict[str, Any]) -> tuple[Case, list[CaseEvent]]:
    agencies = [repo.get_organisation(s, code, field="agencies") for code in p["agencies"]]
    return _one(lifecycle.notify_agencies(c, agencies=agencies, at=now, actor=a.username))


def _female(s: Session, c: Case, a: Actor, now: datetime, p: dict[str, Any]) -> tuple[Case, list[CaseEvent]]:
    options = FemaleOptions(female_offender_manager_accepted=p["female_offender_manager_accepted"],
                            female_only_environment_accepted=p["female_only_environment_accepted"])
    return _one(lifecycle.record_female_options(c, options=options, at=now, actor=a.username))


def _allocate(s: Session, c: Case, a: Actor, now: datetime, p: dict[str, Any]) -> tuple[Case, list[CaseEvent]]:
    staff = repo.get_staff(s, p["staff_code"])
    team = repo.get_team(s, staff.team_code)
    return _one(lifecycle.allocate(c, staff=staff, team=team, at=now, actor=a.username, reason=p.get("reason")))


def _induction(s: Session, c: Case, a: Actor, now: datetime, p: dict[str, Any]) -> tuple[Case, list[CaseEvent]]:
    return _one(lifecycle.record_induction(c, understood=dict(p["understood"]), at=now, actor=a.username))


def _transfer(s: Session, c: Case, a: Actor, now: datetime, p: dict[str, Any]) -> tuple[Case, list[CaseEvent]]:
    team = repo.get_team(s, p["to_team_code"], field="to_team_code")
    court = repo.get_court(s, p["to_court_code"], field="to_court_code") if p.get("to_court_code") else None
    return _one(lifecycle.request_transfer(c, to_team=team, to_court=court, at=now, actor=a.username,
                                           reason=p["reason"]))


def _accept(s: Session, c: Case, a: Actor, now: datetime, p: dict[str, Any]) -> tuple[Case, list[CaseEvent]]:
    staff = repo.get_staff(s, p["staff_code"])
    return lifecycle.accept_transfer(c, staff=staff, at=now, actor=a.username)


def _reject(s: Session, c: Case, a: Actor, now: datetime, p: dict[str, Any]) -> tuple[Case, list[CaseEvent]]:
    return _one(lifecycle.reject_transfer(c, at=now, actor=a.username, reason=p["reason"]))


def _jurisdiction(s: Session, c: Case, a: Actor, now: datetime, p: dict[str, Any]) -> tuple[Case, list[CaseEvent]]:
    court = repo.get_court(s, p["court_code"])
    return _one(lifecycle.change_jurisdiction(c, court=court, at=now, actor=a.username, reason=p["reason"]))


def _restrict(s: Session, c: Case, a: Actor, now: datetime, p: dict[str, Any]) -> tuple[Case, list[CaseEvent]]:
    for code in p.get("staff_codes", []):
        repo.get_staff(s, code, field="staff_codes")
    staff_codes = frozenset(p.get("staff_codes", []))
    return _one(lifecycle.set_restriction(c, restricted=p["restricted"], staff_codes=staff_codes, at=now,
                                          actor=a.username, reason=p["reason"]))


def _terminate(s: Session, c: Case, a: Actor, now: datetime, p: dict[str, Any]) -> tuple[Case, list[CaseEvent]]:
    return _one(lifecycle.terminate(c, reason=TerminationReason(p["reason"]), on=p["on"], at=now,
                                    actor=a.username, note=p.get("note")))


def _close(s: Session, c: Case, a: Actor, now: datetime, p: dict[str, Any]) -> tuple[Case, list[CaseEvent]]:
    return _one(lifecycle.close(c, at=now, actor=a.username))


COMMANDS: dict[str, Command] = {
    "notify-agencies": _notify, "female-options": _female, "allocate": _allocate, "induction": _induction,
    "transfer": _transfer, "accept-transfer": _accept, "reject-transfer": _reject,
    "change-jurisdiction": _jurisdiction, "restriction": _restrict, "terminate": _terminate, "close": _close,
}


def apply(session: Session, actor: Actor, case_id: int, command: str, params: dict[str, Any], *,
          now: datetime, expected_version: int | None = None) -> Case:
    """Apply one lifecycle command: check access and version, run the domain rule, save the new state
    and append its events, all in the caller's transaction."""
    access.ensure_can_manage(actor)
    case, row = repo.load_case(session, case_id)
    try:
        access.ensure_can_see(actor, case, has_em=access.has_em(session, case_id))
    except NotFound:
        # The receiving team answers a transfer of a case it cannot see yet.
        receiving = case.pending_transfer is not None and case.pending_transfer.to_team_code == actor.team_code
        if not (command in ("accept-transfer", "reject-transfer") and receiving):
            raise
    if expected_version is not None and expected_version != case.version:
        raise Conflict(f"case {case_id} has changed since version {expected_version} (now {case.version})",
                       field="version", value=expected_version,
                       rule="reload the case and apply the change again; concurrent edits never overwrite")
    handler = COMMANDS.get(command)
    if handler is None:
        raise InvalidValue(f"unknown command {command!r}", field="command", value=command,
                           rule=f"one of {', '.join(sorted(COMMANDS))}")
    new_case, events = handler(session, case, actor, now, params)
    for key, value in repo.case_to_row_values(new_case).items():
        setattr(row, key, value)
    row.updated_at = now
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(f"case {case_id} was changed by someone else", field="version", value=case.version,
                       rule="concurrent edits never overwrite; reload and try again") from exc
    repo.append_events(session, case_id, events, now=now)
    audit.record(session, actor, "write", case.crn, f"case {case_id}: {command}", at=now)
    session.flush()
    return repo.load_case(session, case_id)[0]
