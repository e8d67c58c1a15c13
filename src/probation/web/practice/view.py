"""What the practitioner's case pages need beyond the feature services: the case a CRN opens (a
person may have several), the people who can interview, the teams a case can move to, the
case's obligations due now. Reading the form inputs is web/forms.py's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db import repository as repo
from probation.adapters.db.tables import CaseRow, CourtRow, OrganisationRow, PersonRow, StaffRow, TeamRow
from probation.adapters.db.tables_protection import RiskEscalationRow
from probation.domain.calendar import LONDON
from probation.domain.case import Case, CaseStatus
from probation.domain.errors import Forbidden, NotFound
from probation.domain.organisations import OrganisationKind
from probation.domain.roles import Role
from probation.services import access, audit
from probation.services.context import Actor
from probation.services.obligations import per_case as obligations

# The practitioner's pages: offender managers, their team managers and administrators.
PRACTICE_ROLES = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER, Role.ADMINISTRATOR})
# Reading the risk page: also the NPS risk team, who decide escalations.
RISK_READERS = PRACTICE_ROLES | {Role.NPS_RISK}


def ensure_role(actor: Actor, roles: frozenset[Role], page: str) -> None:
    if actor.role not in roles:
        raise Forbidden(f"the {actor.role.label} role cannot see {page}", field="role",
                        value=actor.role.value,
                        rule=f"{page}: " + ", ".join(sorted(r.label.lower() for r in roles)))


@dataclass(frozen=True, kw_only=True)
class OpenCase:
    case: Case
    case_id: int
    crn: str
    name: str
    person: PersonRow
    names: dict[str, str]
    others: list[tuple[int, str]]  # the person's other visible cases: (case id, label)


def open_case(session: Session, actor: Actor, crn: str, case_id: int | None = None, *,
              now: datetime, what: str = "case page") -> OpenCase:
    """The case a CRN opens: the one asked for, else the active one, else the latest. Cases the
    actor may not see answer 404, like an unknown CRN."""
    access.ensure_sees_people(actor)
    person = session.scalar(select(PersonRow).where(PersonRow.crn == crn))
    visible: list[tuple[Case, CaseRow]] = []
    if person is not None:
        for cid in session.scalars(select(CaseRow.id).where(CaseRow.person_id == person.id)
                                   .order_by(CaseRow.sentence_date.desc(), CaseRow.id.desc())):
            case, row = repo.load_case(session, cid)
            try:
                access.ensure_can_see(actor, case, has_em=access.has_em(session, cid))
            except NotFound:
                continue
            visible.append((case, row))
    if person is None or not visible:
        raise NotFound(f"no person with case reference {crn}", field="crn", value=crn,
                       rule="the case reference must exist")
    if case_id is not None:
        chosen = next((v for v in visible if v[1].id == case_id), None)
        if chosen is None:
            raise NotFound(f"no case {case_id} for {crn}", field="case", value=case_id,
                           rule="the case must belong to this person")
    else:
        chosen = next((v for v in visible if v[0].status is CaseStatus.ACTIVE), visible[0])
    case, row = chosen
    audit.record(session, actor, "read", crn, f"case {row.id}: {what}", at=now)
    return OpenCase(case=case, case_id=row.id, crn=crn, name=f"{person.first_name} {person.last_name}",
                    person=person, names=_names(session, case),
                    others=[(r.id, f"{c.sentence.type.label} from {c.sentence.sentence_date:%-d %b %Y}")
                            for c, r in visible if r.id != row.id])


def _names(session: Session, case: Case) -> dict[str, str]:
    team = session.get(TeamRow, case.team_code)
    org = session.get(OrganisationRow, case.organisation_code)
    court = session.get(CourtRow, case.court_code)
    om = session.get(StaffRow, case.offender_manager_code) if case.offender_manager_code else None
    return {"team": team.name if team else case.team_code,
            "organisation": org.name if org else case.organisation_code,
            "court": court.name if court else case.court_code,
            "offender_manager": f"{om.first_name} {om.last_name}" if om else ""}


def interviewers(session: Session, actor: Actor, case: Case) -> list[StaffRow]:
    """Staff who can be booked to see the person: the case's team, and the actor."""
    rows = list(session.scalars(select(StaffRow).where(StaffRow.team_code == case.team_code)
                                .order_by(StaffRow.last_name, StaffRow.first_name)))
    if actor.staff_code and all(r.code != actor.staff_code for r in rows):
        own = session.get(StaffRow, actor.staff_code)
        if own is not None:
            rows.append(own)
    return rows


def escalations(session: Session, case_id: int) -> list[RiskEscalationRow]:
    """The case's risk escalations to the NPS, newest first (callers have opened the case)."""
    return list(session.scalars(select(RiskEscalationRow).where(RiskEscalationRow.case_id == case_id)
                                .order_by(RiskEscalationRow.id.desc())))


def contracted(session: Session, case: Case) -> bool:
    """Whether a contracted provider manages the case (only they refer escalations to the NPS)."""
    org = session.get(OrganisationRow, case.organisation_code)
    return org is not None and org.kind == OrganisationKind.CONTRACTED_PROVIDER.value


def teams(session: Session, *, excluding: str | None = None) -> list[TeamRow]:
    return [t for t in session.scalars(select(TeamRow).order_by(TeamRow.name)) if t.code != excluding]


def courts(session: Session) -> list[CourtRow]:
    return list(session.scalars(select(CourtRow).order_by(CourtRow.name)))


def due_obligations(session: Session, actor: Actor, case_id: int, *, now: datetime) -> obligations.CaseObligations:
    """The case's obligations as of today (the same engine as the worklist and API)."""
    return obligations.for_case(session, actor, case_id, as_of=obligations.today(now), now=now)


def local_datetime(day: date, at: time) -> datetime:
    """A wall-clock time in London as an aware datetime (appointments are booked in local time)."""
    return datetime.combine(day, at, tzinfo=LONDON)


def person_names(session: Session, person_ids: set[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    return {p.id: f"{p.first_name} {p.last_name}"
            for p in session.scalars(select(PersonRow).where(PersonRow.id.in_(person_ids)))}


def nps_teams(session: Session) -> list[TeamRow]:
    """Teams of the NPS, to which a case the NPS takes responsibility for transfers."""
    return list(session.scalars(select(TeamRow).join(OrganisationRow, OrganisationRow.code == TeamRow.organisation_code)
                                .where(OrganisationRow.kind == OrganisationKind.NPS_REGION.value)
                                .order_by(TeamRow.name)))
