"""Shared steps of the delivery use cases: who may deliver, loading a visible case, mapping
appointment rows, and the facts enforcement needs (release phases for licences)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db import repository as repo
from probation.adapters.db.tables import CaseRow, PersonRow, RequirementRow
from probation.adapters.db.tables_delivery import AppointmentRow
from probation.domain.case import Case
from probation.domain.delivery.appointments import AppointmentStatus, Outcome
from probation.domain.delivery.times import local_date
from probation.domain.errors import Forbidden, InvalidValue, NotFound
from probation.domain.release import (
    ReleaseDates,
    ReleaseFacts,
    SentenceLength,
    SupervisionPhase,
    calculate_release_dates,
)
from probation.domain.requirements import RequirementType
from probation.domain.roles import Role
from probation.domain.sentences import SentenceType
from probation.services import access
from probation.services.context import Actor

# Provider staff deliver RAR activities and supervision contacts, so they book and record
# outcomes; enforcement decisions stay with offender managers (access.WRITERS).
DELIVERERS = access.WRITERS | {Role.PROVIDER_STAFF}


def ensure_can_deliver(actor: Actor) -> None:
    if actor.role not in DELIVERERS:
        raise Forbidden(f"the {actor.role.label} role does not deliver appointments", field="role",
                        value=actor.role.value, rule="offender managers, team managers, provider "
                        "staff and administrators book and record appointments")


def visible_case(session: Session, actor: Actor, case_id: int) -> tuple[Case, CaseRow]:
    case, row = repo.load_case(session, case_id)
    access.ensure_can_see(actor, case, has_em=access.has_em(session, case_id))
    return case, row


def appointment_row(session: Session, case_id: int, appointment_id: int) -> AppointmentRow:
    row = session.get(AppointmentRow, appointment_id)
    if row is None or row.case_id != case_id:
        raise NotFound(f"no appointment {appointment_id} on case {case_id}", field="appointment_id",
                       value=appointment_id, rule="the appointment must exist on this case")
    return row


def status(row: AppointmentRow) -> AppointmentStatus:
    return AppointmentStatus(row.status)


def outcome(row: AppointmentRow) -> Outcome | None:
    return Outcome(row.outcome) if row.outcome else None


def day_of(row: AppointmentRow) -> date:
    return local_date(row.starts_at)


def rar_requirement(session: Session, case_id: int) -> RequirementRow | None:
    return session.scalar(select(RequirementRow).where(
        RequirementRow.case_id == case_id,
        RequirementRow.type == RequirementType.REHABILITATION_ACTIVITY.value))


def require_rar(session: Session, case_id: int) -> RequirementRow:
    row = rar_requirement(session, case_id)
    if row is None:
        raise InvalidValue(f"case {case_id} has no rehabilitation activity requirement",
                           field="rar_activity", value=True,
                           rule="RAR activities are instructed under a RAR the court imposed")
    return row


def release_dates(session: Session, case: Case, row: CaseRow) -> ReleaseDates | None:
    """Release, licence and PSS dates of a custodial case (None for community orders)."""
    s = case.sentence
    if s.type is not SentenceType.CUSTODIAL or s.custodial_term_days is None:
        return None
    dob = session.scalar(select(PersonRow.date_of_birth).where(PersonRow.id == row.person_id))
    assert dob is not None
    facts = ReleaseFacts(sentence_date=s.sentence_date, length=SentenceLength(days=s.custodial_term_days),
                         offence_date=s.offence.offence_date or s.sentence_date, date_of_birth=dob)
    return calculate_release_dates(facts)


def phase_on(dates: ReleaseDates | None, day: date) -> SupervisionPhase | None:
    if dates is None or day < dates.facts.sentence_date:
        return None
    return dates.phase_on(day)
