"""Who may see which case. A practitioner sees the cases of their team; provider staff their
provider's; the NPS risk team all; EM operators the electronically monitored; a restricted case
only the staff named on it; commissioners and police see no person records at all."""

from __future__ import annotations

from sqlalchemy import ColumnElement, String, and_, cast, exists, false, not_, or_, select, true

from probation.adapters.db.tables import CaseRow, RequirementRow
from probation.domain.case import Case
from probation.domain.errors import Forbidden, NotFound
from probation.domain.roles import Role
from probation.services.context import Actor


def case_filter(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on case_record for the cases the actor may see."""
    base = _scope(actor)
    if actor.staff_code:
        restricted_ok = or_(not_(CaseRow.restricted), _named(actor.staff_code))
    else:
        restricted_ok = not_(CaseRow.restricted)
    return and_(base, restricted_ok)


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
        raise NotFound(f"no case visible to {actor.username} with reference {case.crn}", field="crn",
                       value=case.crn, rule="cases are visible to their team, provider or named staff")


WRITERS = {Role.ADMINISTRATOR, Role.PRACTITIONER, Role.TEAM_MANAGER}


def ensure_can_manage(actor: Actor) -> None:
    if actor.role not in WRITERS:
        raise Forbidden(f"the {actor.role.label} role cannot change a case's management", field="role",
                        value=actor.role.value, rule="offender managers, team managers and administrators "
                        "manage cases")
