"""Who may see which case. A practitioner sees the cases of their team; provider staff their
provider's; the NPS risk team all; EM operators the electronically monitored; a restricted case
only the staff named on it; commissioners and police see no person records at all.

The same rule answers every way a case is reached: `case_filter` for lists in SQL, `case_visible`
for records that hang off a case (notices, updates, appointments, notifications), `sees_case` for
one such record found by its id, `sees_person` for a CRN, and `ensure_can_see` for one loaded case.
A case outside the actor's scope answers exactly as a case that does not exist, so neither its
existence nor its CRN is disclosed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, exists, false, not_, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from probation.adapters.db.tables import CaseRow, PersonRow, RequirementRow
from probation.domain.case import Case
from probation.domain.errors import Forbidden, NotFound
from probation.domain.roles import Role
from probation.services.context import Actor


def has_em(session: Session, case_id: int) -> bool:
    """Whether the case has an electronically monitored requirement (EM operators see those cases)."""
    return bool(session.scalar(select(exists().where(RequirementRow.case_id == case_id,
                                                     RequirementRow.electronically_monitored))))


def case_filter(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on case_record for the cases the actor may see."""
    base = _scope(actor)
    if actor.staff_code:
        restricted_ok = or_(not_(CaseRow.restricted), _named(actor.staff_code))
    else:
        restricted_ok = not_(CaseRow.restricted)
    return and_(base, restricted_ok)


def case_visible(actor: Actor, case_id: InstrumentedAttribute[Any], *, or_none: bool = False) -> ColumnElement[bool]:
    """SQL condition on a row that belongs to a case (by `case_id`): the case is one the actor may
    see. `or_none` also keeps rows that name no case yet (a court notification not yet matched)."""
    visible = case_id.in_(select(CaseRow.id).where(case_filter(actor)))
    return or_(case_id.is_(None), visible) if or_none else visible


def record_visible(actor: Actor, case_id: InstrumentedAttribute[Any],
                   crn: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
    """SQL condition on a row that may name a case, or only a person's CRN, or neither (a letter to
    an agency): the case, else the person, is one the actor may see; a row naming neither is kept."""
    by_person = or_(crn.is_(None), crn.in_(select(CaseRow.crn).where(case_filter(actor))))
    return or_(and_(case_id.is_(None), by_person), case_visible(actor, case_id))


def sees_case(session: Session, actor: Actor, case_id: int) -> bool:
    """Whether the actor may see this case (for a record found by its own id that belongs to it)."""
    return bool(session.scalar(select(exists().where(CaseRow.id == case_id, case_filter(actor)))))


def sees_person(session: Session, actor: Actor, crn: str) -> bool:
    """Whether the actor may see the person with this CRN: at least one of their cases is visible."""
    if not actor.role.sees_people:
        return False
    return bool(session.scalar(select(exists().where(
        CaseRow.person_id == PersonRow.id, PersonRow.crn == crn, case_filter(actor)))))


def _named(staff_code: str) -> ColumnElement[bool]:
    # restricted_to is a small JSON list; a LIKE on its text form works on SQLite and PostgreSQL.
    return cast(CaseRow.restricted_to, String).like(f'%"{staff_code}"%')


def _scope(actor: Actor) -> ColumnElement[bool]:
    match actor.role:
        case Role.ADMINISTRATOR | Role.NPS_RISK:
            return true()
        case Role.PRACTITIONER | Role.TEAM_MANAGER:
            return CaseRow.team_code == actor.team_code if actor.team_code else false()
        case Role.PROVIDER_STAFF:
            return CaseRow.organisation_code == actor.organisation_code if actor.organisation_code else false()
        case Role.EM_OPERATOR:
            return exists(select(RequirementRow.id).where(RequirementRow.case_id == CaseRow.id,
                                                          RequirementRow.electronically_monitored))
        case _:
            return false()


def ensure_sees_people(actor: Actor) -> None:
    if not actor.role.sees_people:
        raise Forbidden(f"the {actor.role.label} role sees aggregates, not people's records", field="role",
                        value=actor.role.value, rule="commissioners and police liaison see no person records")


def ensure_can_see(actor: Actor, case: Case, *, has_em: bool) -> None:
    """Raise NotFound (not Forbidden) for a case outside the actor's scope, so its existence is not leaked."""
    ensure_sees_people(actor)
    visible = {
        Role.ADMINISTRATOR: True,
        Role.NPS_RISK: True,
        Role.PRACTITIONER: case.team_code == actor.team_code,
        Role.TEAM_MANAGER: case.team_code == actor.team_code,
        Role.PROVIDER_STAFF: case.organisation_code == actor.organisation_code,
        Role.EM_OPERATOR: has_em,
    }.get(actor.role, False)
    if case.restricted and (actor.staff_code is None or actor.staff_code not in case.restricted_to):
        visible = False
    if not visible:
        # Word for word the answer for a case id that does not exist (repository.load_case): the
        # caller learns neither that the case exists nor its CRN.
        raise NotFound(f"no case {case.id}", field="case_id", value=case.id, rule="the case must exist")


WRITERS = {Role.ADMINISTRATOR, Role.PRACTITIONER, Role.TEAM_MANAGER}


def ensure_can_manage(actor: Actor) -> None:
    if actor.role not in WRITERS:
        raise Forbidden(f"the {actor.role.label} role cannot change a case's management", field="role",
                        value=actor.role.value, rule="offender managers, team managers and administrators "
                        "manage cases")
