"""Mapping between table rows and domain objects, and the queries the services need."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
from probation.domain.case import Case, CaseStatus, FemaleOptions, PendingTransfer, TerminationReason
from probation.domain.errors import NotFound
from probation.domain.events import CaseEvent, EventKind
from probation.domain.offences import Offence
from probation.domain.organisations import Court, Organisation, OrganisationKind, Staff, Team
from probation.domain.people import Address, Disability, Ethnicity, Person, Sex
from probation.domain.requirements import Requirement, RequirementType
from probation.domain.sentences import Sentence, SentenceType

# People -----------------------------------------------------------------------------------------

def person_to_row(p: Person, *, now: datetime) -> dict[str, Any]:
    return {
        "crn": p.crn, "first_name": p.first_name, "last_name": p.last_name,
        "date_of_birth": p.date_of_birth, "sex": p.sex.value, "gender_identity": p.gender_identity,
        "ethnicity": p.ethnicity.value if p.ethnicity else None, "religion": p.religion,
        "disability": p.disability.value if p.disability else None, "first_language": p.first_language,
        "interpreter_required": p.interpreter_required, "learning_difficulty": p.learning_difficulty,
        "phone": p.phone, "email": p.email,
        "addresses": [address_to_json(a) for a in p.addresses],
        "search_key": search_key(p.first_name, p.last_name, p.crn), "created_at": now,
    }


def search_key(first_name: str, last_name: str, crn: str) -> str:
    return f"{last_name} {first_name} {crn}".lower()


def address_to_json(a: Address) -> dict[str, Any]:
    return {"line1": a.line1, "line2": a.line2, "town": a.town, "postcode": a.postcode, "main": a.main,
            "from_date": a.from_date.isoformat() if a.from_date else None}


def person_from_row(r: PersonRow) -> Person:
    return Person(
        crn=r.crn, first_name=r.first_name, last_name=r.last_name, date_of_birth=r.date_of_birth,
        sex=Sex(r.sex), gender_identity=r.gender_identity,
        ethnicity=Ethnicity(r.ethnicity) if r.ethnicity else None, religion=r.religion,
        disability=Disability(r.disability) if r.disability else None, first_language=r.first_language,
        interpreter_required=r.interpreter_required, learning_difficulty=r.learning_difficulty,
        phone=r.phone, email=r.email,
        addresses=tuple(Address(line1=a["line1"], line2=a.get("line2"), town=a["town"], postcode=a["postcode"],
                                main=a.get("main", True),
                                from_date=date.fromisoformat(a["from_date"]) if a.get("from_date") else None)
                        for a in (r.addresses or [])),
    )


def get_person_row(session: Session, crn: str) -> PersonRow:
    row = session.scalar(select(PersonRow).where(PersonRow.crn == crn))
    if row is None:
        raise NotFound(f"no person with case reference {crn}", field="crn", value=crn,
                       rule="the case reference must exist")
    return row


# Cases ------------------------------------------------------------------------------------------

def requirement_to_row(r: Requirement) -> dict[str, Any]:
    return {"type": r.type.value, "start_date": r.start_date, "length_months": r.length_months,
            "length_days": r.length_days, "max_days": r.max_days, "hours": r.hours,
            "hours_per_day": r.hours_per_day, "places": list(r.places),
            "electronically_monitored": r.electronically_monitored, "programme": r.programme,
            "activity": r.activity}


def requirement_from_row(r: RequirementRow) -> Requirement:
    return Requirement(type=RequirementType(r.type), start_date=r.start_date, length_months=r.length_months,
                       length_days=r.length_days, max_days=r.max_days, hours=r.hours,
                       hours_per_day=r.hours_per_day, places=tuple(r.places or ()),
                       electronically_monitored=r.electronically_monitored, programme=r.programme,
                       activity=r.activity)


def case_to_row_values(c: Case) -> dict[str, Any]:
    """Columns that change over the case's life (sentence columns are written once)."""
    return {
        "court_code": c.court_code, "organisation_code": c.organisation_code, "team_code": c.team_code,
        "offender_manager_code": c.offender_manager_code, "status": c.status.value,
        "restricted": c.restricted, "restricted_to": sorted(c.restricted_to),
        "female_options": None if c.female_options is None else {
            "female_offender_manager_accepted": c.female_options.female_offender_manager_accepted,
            "female_only_environment_accepted": c.female_options.female_only_environment_accepted},
        "inducted_at": c.inducted_at,
        "pending_transfer": None if c.pending_transfer is None else {
            "to_organisation_code": c.pending_transfer.to_organisation_code,
            "to_team_code": c.pending_transfer.to_team_code,
            "to_court_code": c.pending_transfer.to_court_code,
            "requested_at": c.pending_transfer.requested_at.isoformat()},
        "termination_reason": c.termination_reason.value if c.termination_reason else None,
        "terminated_on": c.terminated_on,
    }


def sentence_to_row_values(s: Sentence) -> dict[str, Any]:
    return {"sentence_type": s.type.value, "sentence_date": s.sentence_date, "end_date": s.end_date,
            "offence_code": s.offence.code, "offence_date": s.offence.offence_date,
            "length_months": s.length_months, "custodial_term_days": s.custodial_term_days,
            "operational_period_months": s.operational_period_months,
            "supervision_period_months": s.supervision_period_months}


def case_from_row(r: CaseRow, requirements: list[RequirementRow], person_sex: str) -> Case:
    sentence = Sentence(
        type=SentenceType(r.sentence_type), sentence_date=r.sentence_date,
        offence=Offence(code=r.offence_code, offence_date=r.offence_date),
        requirements=tuple(requirement_from_row(q) for q in requirements), length_months=r.length_months,
        custodial_term_days=r.custodial_term_days, operational_period_months=r.operational_period_months,
        supervision_period_months=r.supervision_period_months)
    fo = r.female_options
    pt = r.pending_transfer
    return Case(
        id=r.id, crn=r.crn, person_sex=Sex(person_sex), sentence=sentence, court_code=r.court_code,
        organisation_code=r.organisation_code, team_code=r.team_code,
        offender_manager_code=r.offender_manager_code, status=CaseStatus(r.status), restricted=r.restricted,
        restricted_to=frozenset(r.restricted_to or ()),
        female_options=FemaleOptions(**fo) if fo else None, inducted_at=r.inducted_at,
        pending_transfer=PendingTransfer(to_organisation_code=pt["to_organisation_code"],
                                         to_team_code=pt["to_team_code"], to_court_code=pt.get("to_court_code"),
                                         requested_at=datetime.fromisoformat(pt["requested_at"])) if pt else None,
        termination_reason=TerminationReason(r.termination_reason) if r.termination_reason else None,
        terminated_on=r.terminated_on, version=r.version)


def load_case(session: Session, case_id: int) -> tuple[Case, CaseRow]:
    row = session.get(CaseRow, case_id)
    if row is None:
        raise NotFound(f"no case {case_id}", field="case_id", value=case_id, rule="the case must exist")
    reqs = list(session.scalars(select(RequirementRow).where(RequirementRow.case_id == case_id)
                                .order_by(RequirementRow.id)))
    sex = session.scalar(select(PersonRow.sex).where(PersonRow.id == row.person_id))
    return case_from_row(row, reqs, sex or "male"), row


def append_events(session: Session, case_id: int, events: list[CaseEvent], *, now: datetime) -> list[CaseEventRow]:
    last = session.scalar(select(func.max(CaseEventRow.seq)).where(CaseEventRow.case_id == case_id)) or 0
    rows = []
    for i, e in enumerate(events, start=1):
        rows.append(CaseEventRow(case_id=case_id, seq=last + i, kind=e.kind.value, occurred_at=e.occurred_at,
                                 recorded_at=now, actor=e.actor, reason=e.reason, data=dict(e.data)))
    session.add_all(rows)
    return rows


def event_from_row(r: CaseEventRow) -> CaseEvent:
    return CaseEvent(kind=EventKind(r.kind), occurred_at=r.occurred_at, actor=r.actor, reason=r.reason,
                     data=r.data or {})


# Reference data ---------------------------------------------------------------------------------

def get_organisation(session: Session, code: str, field: str = "organisation_code") -> Organisation:
    r = session.get(OrganisationRow, code)
    if r is None:
        raise NotFound(f"no organisation {code}", field=field, value=code, rule="the organisation must exist")
    return Organisation(code=r.code, name=r.name, kind=OrganisationKind(r.kind))


def get_team(session: Session, code: str, field: str = "team_code") -> Team:
    r = session.get(TeamRow, code)
    if r is None:
        raise NotFound(f"no team {code}", field=field, value=code, rule="the team must exist")
    return Team(code=r.code, name=r.name, organisation_code=r.organisation_code)


def get_staff(session: Session, code: str, field: str = "staff_code") -> Staff:
    r = session.get(StaffRow, code)
    if r is None:
        raise NotFound(f"no staff member {code}", field=field, value=code, rule="the staff member must exist")
    return Staff(code=r.code, first_name=r.first_name, last_name=r.last_name, sex=Sex(r.sex),
                 team_code=r.team_code, email=r.email)


def get_court(session: Session, code: str, field: str = "court_code") -> Court:
    r = session.get(CourtRow, code)
    if r is None:
        raise NotFound(f"no court {code}", field=field, value=code, rule="the court must exist")
    return Court(code=r.code, name=r.name)
