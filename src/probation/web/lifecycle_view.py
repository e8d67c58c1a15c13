"""What the case lifecycle, updates and deliveries pages need beyond the feature services: the staff
an allocation may propose, the offender manager's updates with the person they are about, and the
appointments a provider's organisation delivers. Reads only; every change goes through
services/cases.py and services/delivery_appointments.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import CaseRow, PersonRow, StaffRow
from probation.adapters.db.tables_delivery import (
    AppointmentRow,
    DeliveryLocationRow,
    OffenderManagerUpdateRow,
)
from probation.domain.case import Case
from probation.domain.delivery.appointments import AppointmentStatus
from probation.domain.errors import NotFound
from probation.domain.people import Sex
from probation.services import access, audit
from probation.services.context import Actor
from probation.services.delivery.common import ensure_can_deliver, visible_case

MAX_ROWS = 200  # a page lists at most this many appointments or updates


def female_offender_manager_required(case: Case) -> bool:
    """A woman who accepted a female offender manager is allocated one (Manage row 4)."""
    return (case.person_sex is Sex.FEMALE and case.female_options is not None
            and case.female_options.female_offender_manager_accepted)


def allocatable_staff(session: Session, case: Case) -> list[StaffRow]:
    """The offender managers an allocation proposes: the case's team, only women when a female
    offender manager was accepted, without the current offender manager (a reallocation moves it)."""
    stmt = select(StaffRow).where(StaffRow.team_code == case.team_code)
    if female_offender_manager_required(case):
        stmt = stmt.where(StaffRow.sex == Sex.FEMALE.value)
    if case.offender_manager_code:
        stmt = stmt.where(StaffRow.code != case.offender_manager_code)
    return list(session.scalars(stmt.order_by(StaffRow.last_name, StaffRow.first_name, StaffRow.code)))


def staff_names(session: Session, codes: set[str]) -> dict[str, str]:
    codes = {c for c in codes if c}
    if not codes:
        return {}
    return {s.code: f"{s.first_name} {s.last_name}"
            for s in session.scalars(select(StaffRow).where(StaffRow.code.in_(codes)))}


# Offender manager updates -----------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class UpdateView:
    id: int
    crn: str
    name: str
    created_at: datetime
    acknowledged_at: datetime | None
    delivered_by: str
    day: date | None  # the day of the contact
    summary: dict[str, Any]


def updates(session: Session, actor: Actor, *, now: datetime) -> list[UpdateView]:
    """What other people's contacts told the actor as offender manager: unacknowledged first, newest
    first within each. Only updates on cases the actor can still see are listed (a case transferred
    away takes its updates with it)."""
    access.ensure_sees_people(actor)
    if not actor.staff_code:
        return []
    unacknowledged_first = case((OffenderManagerUpdateRow.acknowledged_at.is_(None), 0), else_=1)
    rows = session.execute(
        select(OffenderManagerUpdateRow, CaseRow.crn, PersonRow.first_name, PersonRow.last_name)
        .join(CaseRow, CaseRow.id == OffenderManagerUpdateRow.case_id)
        .join(PersonRow, PersonRow.id == CaseRow.person_id)
        .where(OffenderManagerUpdateRow.staff_code == actor.staff_code, access.case_filter(actor))
        .order_by(unacknowledged_first, OffenderManagerUpdateRow.created_at.desc(),
                  OffenderManagerUpdateRow.id.desc())
        .limit(MAX_ROWS)).all()
    names = staff_names(session, {str((u.summary or {}).get("delivered_by") or "") for u, *_ in rows})
    views = [UpdateView(id=u.id, crn=crn, name=f"{first} {last}", created_at=u.created_at,
                        acknowledged_at=u.acknowledged_at if u.acknowledged_at else None,
                        delivered_by=names.get(str((u.summary or {}).get("delivered_by") or ""),
                                               u.from_username),
                        day=date.fromisoformat(u.summary["day"]) if (u.summary or {}).get("day") else None,
                        summary=dict(u.summary or {})) for u, crn, first, last in rows]
    if views:
        audit.read(session, actor, (v.crn for v in views), f"offender manager updates ({len(views)})", at=now)
    return views


# Deliveries -------------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class DeliveryView:
    id: int
    case_id: int
    crn: str
    name: str
    starts_at: datetime
    ends_at: datetime
    contact_type: str
    place: str
    interviewer: str
    rar_activity: bool
    status: str = AppointmentStatus.SCHEDULED.value
    offender_manager_code: str | None = None


def deliveries(session: Session, actor: Actor, *, now: datetime,
               crn: str | None = None) -> tuple[list[DeliveryView], list[DeliveryView]]:
    """Scheduled appointments on the cases the actor's organisation holds (access.case_filter):
    those that have begun and await an outcome (oldest first), and those to come (soonest first)."""
    ensure_can_deliver(actor)
    cond = [AppointmentRow.status == AppointmentStatus.SCHEDULED.value, access.case_filter(actor)]
    if crn:
        cond.append(CaseRow.crn == crn)
    base = (select(AppointmentRow, PersonRow.first_name, PersonRow.last_name)
            .join(CaseRow, CaseRow.id == AppointmentRow.case_id)
            .join(PersonRow, PersonRow.id == CaseRow.person_id))
    awaiting = session.execute(base.where(and_(*cond), AppointmentRow.starts_at <= now)
                               .order_by(AppointmentRow.starts_at, AppointmentRow.id).limit(MAX_ROWS)).all()
    upcoming = session.execute(base.where(and_(*cond), AppointmentRow.starts_at > now)
                               .order_by(AppointmentRow.starts_at, AppointmentRow.id).limit(MAX_ROWS)).all()
    everything = [*awaiting, *upcoming]
    names = staff_names(session, {a.interviewer_code for a, *_ in everything})
    places = {p.code: p.name for p in session.scalars(select(DeliveryLocationRow))}

    def view(a: AppointmentRow, first: str, last: str) -> DeliveryView:
        return DeliveryView(id=a.id, case_id=a.case_id, crn=a.crn, name=f"{first} {last}",
                            starts_at=a.starts_at, ends_at=a.ends_at,
                            contact_type=a.contact_type, place=places.get(a.location_code or "", ""),
                            interviewer=names.get(a.interviewer_code, a.interviewer_code),
                            rar_activity=a.rar_activity)

    if everything:
        audit.read(session, actor, (a.crn for a, *_ in everything), f"deliveries ({len(everything)})", at=now)
    return [view(*r) for r in awaiting], [view(*r) for r in upcoming]


def delivery(session: Session, actor: Actor, appointment_id: int, *, now: datetime) -> DeliveryView:
    """One appointment the actor may record: 404 when it is unknown or on a case they cannot see."""
    ensure_can_deliver(actor)
    row = session.get(AppointmentRow, appointment_id)
    if row is None:
        raise NotFound(f"no appointment {appointment_id}", field="appointment_id", value=appointment_id,
                       rule="the appointment must exist")
    case_, case_row = visible_case(session, actor, row.case_id)
    person = session.get(PersonRow, case_row.person_id)
    assert person is not None
    place = session.get(DeliveryLocationRow, row.location_code) if row.location_code else None
    audit.record(session, actor, "read", case_.crn, f"case {row.case_id}: appointment {row.id}", at=now)
    return DeliveryView(id=row.id, case_id=row.case_id, crn=row.crn, name=f"{person.first_name} {person.last_name}",
                        starts_at=row.starts_at, ends_at=row.ends_at, contact_type=row.contact_type,
                        place=place.name if place else "",
                        interviewer=staff_names(session, {row.interviewer_code}).get(row.interviewer_code,
                                                                                    row.interviewer_code),
                        rar_activity=row.rar_activity, status=row.status,
                        offender_manager_code=case_.offender_manager_code)
