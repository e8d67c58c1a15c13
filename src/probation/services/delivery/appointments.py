"""Appointments and contacts: locations, diverse needs, booking, rearranging, cancelling,
outcomes, offender manager updates, RAR progress, reminders and calendar exports.

Each function runs in the caller's transaction and raises before anything is flushed when the
request is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from probation.adapters import ical
from probation.adapters.db import repository as repo
from probation.adapters.db.tables import CaseRow, PersonRow, StaffRow
from probation.adapters.db.tables_delivery import (
    AppointmentRow,
    DeliveryLocationRow,
    DiverseNeedsRow,
    OffenderManagerUpdateRow,
)
from probation.adapters.notifications import Channel, Message, Notifier
from probation.domain.case import Case
from probation.domain.delivery import rar as rar_rules
from probation.domain.delivery.appointments import (
    AppointmentStatus,
    Booked,
    BookingRequest,
    BookingWarning,
    ContactType,
    DiverseNeeds,
    Location,
    Outcome,
    Slot,
    UnavailableReason,
    UnavailableWindow,
    check_booking,
    check_open,
    check_outcome,
)
from probation.domain.delivery.contacts import (
    ContactRecord,
    Indicators,
    offender_manager_must_be_informed,
)
from probation.domain.delivery.times import local, local_date
from probation.domain.errors import Conflict, Forbidden, InvalidValue, NotFound, require
from probation.domain.events import CaseEvent, EventKind
from probation.domain.requirements import requirement_period
from probation.domain.roles import Role
from probation.services import access, audit
from probation.services.context import Actor
from probation.services.delivery.common import (
    appointment_row,
    day_of,
    ensure_can_deliver,
    outcome,
    rar_requirement,
    require_rar,
    status,
    visible_case,
)


def _event(kind: EventKind, at: datetime, actor: Actor, reason: str | None = None,
           **data: Any) -> CaseEvent:
    return CaseEvent(kind=kind, occurred_at=at, actor=actor.username, reason=reason, data=data)


# Locations ----------------------------------------------------------------------------------------

def add_location(session: Session, actor: Actor, *, code: str, name: str, address: str | None,
                 organisation_code: str | None, female_only: bool, step_free_access: bool,
                 now: datetime) -> DeliveryLocationRow:
    if actor.role not in (Role.ADMINISTRATOR, Role.TEAM_MANAGER):
        raise Forbidden("only administrators and team managers add locations", field="role",
                        value=actor.role.value, rule="locations are reference data")
    if session.get(DeliveryLocationRow, code) is not None:
        raise Conflict(f"location {code} already exists", field="code", value=code,
                       rule="location codes are unique")
    if organisation_code:
        repo.get_organisation(session, organisation_code)
    row = DeliveryLocationRow(code=code, name=name, address=address, organisation_code=organisation_code,
                              female_only=female_only, step_free_access=step_free_access)
    session.add(row)
    audit.record(session, actor, "write", None, f"location {code} added", at=now)
    session.flush()
    return row


def list_locations(session: Session) -> list[DeliveryLocationRow]:
    return list(session.scalars(select(DeliveryLocationRow).order_by(DeliveryLocationRow.code)))


def _location(session: Session, code: str | None) -> Location | None:
    if code is None:
        return None
    r = session.get(DeliveryLocationRow, code)
    if r is None:
        raise NotFound(f"no location {code}", field="location_code", value=code,
                       rule="the location must exist")
    return Location(code=r.code, name=r.name, female_only=r.female_only,
                    step_free_access=r.step_free_access)


# Diverse needs ------------------------------------------------------------------------------------

def needs_from_row(r: DiverseNeedsRow | None) -> DiverseNeeds | None:
    if r is None:
        return None
    windows = tuple(UnavailableWindow(weekday=w["weekday"], start=time.fromisoformat(w["start"]),
                                      end=time.fromisoformat(w["end"]),
                                      reason=UnavailableReason(w["reason"]))
                    for w in r.unavailable or [])
    return DiverseNeeds(unavailable=windows, step_free_access=r.step_free_access,
                        interpreter_language=r.interpreter_language, notes=r.notes)


def needs_as_dict(n: DiverseNeeds | None) -> dict[str, Any] | None:
    if n is None:
        return None
    return {"unavailable": [{"weekday": w.weekday, "start": w.start.isoformat("minutes"),
                             "end": w.end.isoformat("minutes"), "reason": w.reason.value}
                            for w in n.unavailable],
            "step_free_access": n.step_free_access, "interpreter_language": n.interpreter_language,
            "notes": n.notes}


def record_diverse_needs(session: Session, actor: Actor, case_id: int, needs: DiverseNeeds, *,
                         now: datetime) -> DiverseNeeds:
    ensure_can_deliver(actor)
    case, _ = visible_case(session, actor, case_id)
    case.ensure_open("record diverse needs")
    values = needs_as_dict(needs)
    assert values is not None
    row = session.get(DiverseNeedsRow, case_id)
    if row is None:
        row = DiverseNeedsRow(case_id=case_id, updated_at=now, updated_by=actor.username)
        session.add(row)
    row.unavailable = values["unavailable"]
    row.step_free_access = needs.step_free_access
    row.interpreter_language = needs.interpreter_language
    row.notes = needs.notes
    row.updated_at, row.updated_by = now, actor.username
    repo.append_events(session, case_id, [_event(
        EventKind.DIVERSE_NEEDS_RECORDED, now, actor, None, windows=len(needs.unavailable),
        reasons=sorted({w.reason.value for w in needs.unavailable}),
        step_free_access=needs.step_free_access,
        interpreter_language=needs.interpreter_language)], now=now)
    audit.record(session, actor, "write", case.crn, f"case {case_id}: diverse needs", at=now)
    session.flush()
    return needs


def get_diverse_needs(session: Session, actor: Actor, case_id: int, *, now: datetime) -> DiverseNeeds | None:
    case, _ = visible_case(session, actor, case_id)
    audit.record(session, actor, "read", case.crn, f"case {case_id}: diverse needs", at=now)
    return needs_from_row(session.get(DiverseNeedsRow, case_id))


# Booking ------------------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class BookingIn:
    starts_at: datetime
    ends_at: datetime
    contact_type: ContactType
    location_code: str | None
    interviewer_code: str
    interpreter_booked: bool = False
    override_reason: str | None = None
    rar_activity: bool = False


@dataclass(frozen=True, kw_only=True)
class BookingResult:
    appointment: AppointmentRow
    warnings: list[BookingWarning]


def _existing(session: Session, crn: str, slot: Slot, *, excluding: int | None = None) -> list[Booked]:
    cond = [AppointmentRow.crn == crn, AppointmentRow.status == AppointmentStatus.SCHEDULED.value,
            AppointmentRow.starts_at < slot.ends_at, AppointmentRow.ends_at > slot.starts_at]
    if excluding is not None:
        cond.append(AppointmentRow.id != excluding)
    return [Booked(id=r.id, slot=Slot(starts_at=r.starts_at, ends_at=r.ends_at))
            for r in session.scalars(select(AppointmentRow).where(and_(*cond)))]


def rar_activities(session: Session, case_id: int, *, excluding: int | None = None) -> list[rar_rules.RarActivity]:
    rows = session.scalars(select(AppointmentRow).where(AppointmentRow.case_id == case_id,
                                                        AppointmentRow.rar_activity))
    return [rar_rules.RarActivity(day=day_of(r), status=status(r), outcome=outcome(r))
            for r in rows if r.id != excluding]


def rar_progress(session: Session, case: Case, case_id: int, as_of: date, *,
                 excluding: int | None = None) -> tuple[rar_rules.RarProgress, date] | None:
    req = rar_requirement(session, case_id)
    if req is None:
        return None
    domain_req = repo.requirement_from_row(req)
    period = requirement_period(domain_req, case.sentence.requirement_end_limit)
    assert req.max_days is not None
    p = rar_rules.progress(max_days=req.max_days, activities=rar_activities(session, case_id, excluding=excluding),
                           requirement_end=period.end, as_of=as_of)
    return p, period.start


def _booking_checks(session: Session, actor: Actor, case: Case, case_id: int, b: BookingIn, *,
                    now: datetime, excluding: int | None = None) -> tuple[list[BookingWarning], int | None]:
    staff = repo.get_staff(session, b.interviewer_code, field="interviewer_code")
    slot = Slot(starts_at=b.starts_at, ends_at=b.ends_at)
    request = BookingRequest(slot=slot, contact_type=b.contact_type,
                             location=_location(session, b.location_code),
                             interviewer_code=staff.code, interviewer_sex=staff.sex,
                             interpreter_booked=b.interpreter_booked, override_reason=b.override_reason)
    # Slot validity first, so a past time is reported before any clash with history.
    warnings = check_booking(request, person_sex=case.person_sex, female_options=case.female_options,
                             needs=needs_from_row(session.get(DiverseNeedsRow, case_id)), at=now,
                             existing=_existing(session, case.crn, slot, excluding=excluding))
    requirement_id = None
    if b.rar_activity:
        requirement_id = require_rar(session, case_id).id
        found = rar_progress(session, case, case_id, now.date(), excluding=excluding)
        assert found is not None
        progress, start = found
        rar_rules.check_instruction(progress, day=local_date(b.starts_at), requirement_start=start)
    return warnings, requirement_id


def _scheduled_events(row: AppointmentRow, warnings: list[BookingWarning], actor: Actor,
                      now: datetime, reason: str | None = None) -> list[CaseEvent]:
    data = dict(appointment_id=row.id, contact_type=row.contact_type,
                starts_at=row.starts_at.isoformat(), ends_at=row.ends_at.isoformat(),
                day=day_of(row).isoformat(), location=row.location_code, interviewer=row.interviewer_code,
                rar_activity=row.rar_activity, requirement_id=row.requirement_id,
                warnings=[w.code for w in warnings], override_reason=row.override_reason,
                rescheduled_from=row.rescheduled_from_id)
    events = [_event(EventKind.APPOINTMENT_SCHEDULED, now, actor, reason, **data)]
    if row.rar_activity:
        events.append(_event(EventKind.RAR_ACTIVITY_INSTRUCTED, now, actor, reason,
                             appointment_id=row.id, requirement_id=row.requirement_id,
                             day=day_of(row).isoformat()))
    return events


def book(session: Session, actor: Actor, case_id: int, b: BookingIn, *, now: datetime) -> BookingResult:
    ensure_can_deliver(actor)
    case, _ = visible_case(session, actor, case_id)
    case.ensure_open("book an appointment")
    warnings, requirement_id = _booking_checks(session, actor, case, case_id, b, now=now)
    row = _new_row(case, case_id, b, warnings, requirement_id, actor, now)
    session.add(row)
    session.flush()
    repo.append_events(session, case_id, _scheduled_events(row, warnings, actor, now), now=now)
    audit.record(session, actor, "write", case.crn, f"case {case_id}: appointment {row.id} booked", at=now)
    session.flush()
    return BookingResult(appointment=row, warnings=warnings)


def _new_row(case: Case, case_id: int, b: BookingIn, warnings: list[BookingWarning],
             requirement_id: int | None, actor: Actor, now: datetime) -> AppointmentRow:
    return AppointmentRow(
        case_id=case_id, crn=case.crn, starts_at=b.starts_at, ends_at=b.ends_at,
        contact_type=b.contact_type.value, location_code=b.location_code,
        interviewer_code=b.interviewer_code, interpreter_booked=b.interpreter_booked,
        override_reason=(b.override_reason or "").strip() or None, rar_activity=b.rar_activity,
        requirement_id=requirement_id, national_standard=True, planned=True,
        status=AppointmentStatus.SCHEDULED.value,
        warnings=[{"code": w.code, "message": w.message} for w in warnings], created_at=now,
        created_by=actor.username)


def rearrange(session: Session, actor: Actor, case_id: int, appointment_id: int, b: BookingIn, *,
              reason: str, now: datetime) -> BookingResult:
    """Move an appointment: the old row stays as history (rescheduled, with the reason) and a new
    row points back to it."""
    ensure_can_deliver(actor)
    case, _ = visible_case(session, actor, case_id)
    case.ensure_open("rearrange an appointment")
    old = appointment_row(session, case_id, appointment_id)
    check_open(appointment_id=old.id, status=status(old), action="rearranged")
    require(bool(reason.strip()), "rearranging needs a reason", field="reason", value=reason,
            rule="every change records why")
    b = BookingIn(**{**b.__dict__, "rar_activity": old.rar_activity})
    warnings, requirement_id = _booking_checks(session, actor, case, case_id, b, now=now, excluding=old.id)
    old.status = AppointmentStatus.RESCHEDULED.value
    old.outcome = Outcome.RESCHEDULED.value
    old.change_reason = reason
    old.outcome_at, old.outcome_by = now, actor.username
    row = _new_row(case, case_id, b, warnings, requirement_id, actor, now)
    row.rescheduled_from_id = old.id
    session.add(row)
    session.flush()
    events = [_event(EventKind.APPOINTMENT_OUTCOME_RECORDED, now, actor, reason, appointment_id=old.id,
                     contact_type=old.contact_type, outcome=Outcome.RESCHEDULED.value,
                     rar_activity=old.rar_activity, requirement_id=old.requirement_id,
                     day=day_of(old).isoformat(), failure=False, replaced_by=row.id),
              *_scheduled_events(row, warnings, actor, now, reason)]
    repo.append_events(session, case_id, events, now=now)
    audit.record(session, actor, "write", case.crn,
                 f"case {case_id}: appointment {old.id} rearranged to {row.id}", at=now)
    session.flush()
    return BookingResult(appointment=row, warnings=warnings)


def cancel(session: Session, actor: Actor, case_id: int, appointment_id: int, *, reason: str,
           now: datetime) -> AppointmentRow:
    ensure_can_deliver(actor)
    case, _ = visible_case(session, actor, case_id)
    row = appointment_row(session, case_id, appointment_id)
    check_open(appointment_id=row.id, status=status(row), action="cancelled")
    require(bool(reason.strip()), "cancelling needs a reason", field="reason", value=reason,
            rule="every change records why")
    row.status = AppointmentStatus.CANCELLED.value
    row.change_reason = reason
    row.outcome_at, row.outcome_by = now, actor.username
    repo.append_events(session, case_id, [_event(
        EventKind.APPOINTMENT_OUTCOME_RECORDED, now, actor, reason, appointment_id=row.id,
        contact_type=row.contact_type, outcome=None, cancelled=True, rar_activity=row.rar_activity,
        requirement_id=row.requirement_id, day=day_of(row).isoformat(), failure=False)], now=now)
    audit.record(session, actor, "write", case.crn, f"case {case_id}: appointment {row.id} cancelled", at=now)
    session.flush()
    return row


# Outcomes and contacts ---------------------------------------------------------------------------

def _contact_events(session: Session, actor: Actor, case: Case, case_id: int, row: AppointmentRow,
                    record: ContactRecord, now: datetime) -> list[CaseEvent]:
    out = record.outcome
    evidence = dict(appointment_id=row.id, contact_type=row.contact_type, outcome=out.value,
                    rar_activity=row.rar_activity, requirement_id=row.requirement_id,
                    day=day_of(row).isoformat(), national_standard=row.national_standard,
                    planned=row.planned, failure=out.is_failure)
    # The contact happened at the appointment's time and is recorded now: Manage 21, Supervision 13
    # and Post-Release 8 measure the gap against the contact-recording timescale.
    events = [_event(EventKind.CONTACT_OCCURRED, min(row.starts_at, now), actor, None, **evidence)]
    if row.planned:
        events.append(_event(EventKind.APPOINTMENT_OUTCOME_RECORDED, now, actor, None, **evidence))
    if out.attended:
        events.append(_event(EventKind.APPOINTMENT_ATTENDED, now, actor, None, **evidence))
    events.append(_event(EventKind.CONTACT_RECORDED, now, actor, None, **evidence,
                         has_notes=bool(record.notes), has_account=bool(record.account),
                         indicators=record.indicators.as_dict() if record.indicators else None))
    if out.is_failure and row.national_standard:
        events.append(_event(EventKind.FAILURE_TO_COMPLY_RECORDED, now, actor, None, **evidence))
    if offender_manager_must_be_informed(deliverer_code=actor.staff_code,
                                         offender_manager_code=case.offender_manager_code):
        assert case.offender_manager_code is not None
        summary = {"appointment_id": row.id, "day": day_of(row).isoformat(),
                   "contact_type": row.contact_type, "outcome": out.value,
                   "rar_activity": row.rar_activity,
                   "indicators": record.indicators.as_dict() if record.indicators else None,
                   "account": record.account, "notes": record.notes,
                   "delivered_by": actor.staff_code or actor.username}
        update = OffenderManagerUpdateRow(case_id=case_id, appointment_id=row.id,
                                          staff_code=case.offender_manager_code,
                                          from_username=actor.username, created_at=now, summary=summary)
        session.add(update)
        session.flush()
        events.append(_event(EventKind.OFFENDER_MANAGER_INFORMED, now, actor, None,
                             **evidence, update_id=update.id, staff=case.offender_manager_code,
                             delivered_by=actor.staff_code or actor.username,
                             indicators=summary["indicators"]))
    elif case.offender_manager_code is not None and row.planned:
        # The offender manager recorded the outcome: they hold it first-hand, so the rows asking
        # that they be told (RAR 3, Supervision 15, Post-Release 10) are met by the record itself.
        events.append(_event(EventKind.OFFENDER_MANAGER_INFORMED, now, actor, None, **evidence,
                             staff=case.offender_manager_code, recorded_by_offender_manager=True))
    return events


def _apply_record(row: AppointmentRow, record: ContactRecord, actor: Actor, now: datetime) -> None:
    row.status = AppointmentStatus.COMPLETED.value
    row.outcome = record.outcome.value
    row.notes, row.account = record.notes, record.account
    row.indicators = record.indicators.as_dict() if record.indicators else None
    row.outcome_at, row.outcome_by = now, actor.username
    row.deliverer_code = actor.staff_code


def record_outcome(session: Session, actor: Actor, case_id: int, appointment_id: int, *,
                   outcome_value: Outcome, notes: str | None, account: str | None,
                   indicators: Indicators | None, now: datetime) -> AppointmentRow:
    ensure_can_deliver(actor)
    case, _ = visible_case(session, actor, case_id)
    row = appointment_row(session, case_id, appointment_id)
    check_outcome(appointment_id=row.id, status=status(row), starts_at=row.starts_at,
                  outcome=outcome_value, at=now)
    record = ContactRecord(contact_type=ContactType(row.contact_type), outcome=outcome_value, notes=notes,
                           account=account, indicators=indicators)
    _apply_record(row, record, actor, now)
    session.flush()
    repo.append_events(session, case_id, _contact_events(session, actor, case, case_id, row, record, now),
                       now=now)
    audit.record(session, actor, "write", case.crn,
                 f"case {case_id}: appointment {row.id} outcome {outcome_value.value}", at=now)
    session.flush()
    return row


def record_contact(session: Session, actor: Actor, case_id: int, *, occurred_at: datetime,
                   minutes: int, contact_type: ContactType, outcome_value: Outcome, notes: str | None,
                   account: str | None, indicators: Indicators | None, location_code: str | None,
                   now: datetime) -> AppointmentRow:
    """A contact that was not booked beforehand (a phone call, an unannounced home visit)."""
    ensure_can_deliver(actor)
    case, _ = visible_case(session, actor, case_id)
    case.ensure_open("record a contact")
    require(occurred_at.tzinfo is not None, "contact time needs a time zone", field="occurred_at",
            value=occurred_at.isoformat(), rule="times are sent with a UTC offset")
    require(occurred_at <= now, f"contact at {occurred_at.isoformat()} is in the future",
            field="occurred_at", value=occurred_at.isoformat(),
            rule="a contact is recorded after it happened; book future ones as appointments")
    require(local_date(occurred_at) >= case.sentence.sentence_date,
            f"contact on {local_date(occurred_at).isoformat()} precedes the sentence",
            field="occurred_at", value=occurred_at.isoformat(), rule="contacts follow the sentence date")
    require(outcome_value in (Outcome.ATTENDED_COMPLIED, Outcome.ATTENDED_FAILED_TO_COMPLY),
            f"an unplanned contact cannot be {outcome_value.value}", field="outcome",
            value=outcome_value.value, rule="an unplanned contact happened: attended and complied "
            "or attended but failed to comply")
    require(1 <= minutes <= 480, f"contact of {minutes} minutes", field="minutes", value=minutes,
            rule="a contact lasts 1 to 480 minutes")
    if not actor.staff_code:
        raise InvalidValue(f"{actor.username} is not a member of staff", field="actor",
                           value=actor.username, rule="a contact is recorded by the staff member who had it")
    _location(session, location_code)
    record = ContactRecord(contact_type=contact_type, outcome=outcome_value, notes=notes, account=account,
                           indicators=indicators)
    row = AppointmentRow(case_id=case_id, crn=case.crn, starts_at=occurred_at,
                         ends_at=occurred_at + timedelta(minutes=minutes), contact_type=contact_type.value,
                         location_code=location_code, interviewer_code=actor.staff_code or "",
                         rar_activity=False, national_standard=True, planned=False,
                         status=AppointmentStatus.COMPLETED.value, warnings=[], created_at=now,
                         created_by=actor.username)
    _apply_record(row, record, actor, now)
    session.add(row)
    session.flush()
    repo.append_events(session, case_id, _contact_events(session, actor, case, case_id, row, record, now),
                       now=now)
    audit.record(session, actor, "write", case.crn, f"case {case_id}: contact {row.id} recorded", at=now)
    session.flush()
    return row


def list_appointments(session: Session, actor: Actor, case_id: int, *, now: datetime) -> list[AppointmentRow]:
    case, _ = visible_case(session, actor, case_id)
    audit.record(session, actor, "read", case.crn, f"case {case_id}: appointments", at=now)
    return list(session.scalars(select(AppointmentRow).where(AppointmentRow.case_id == case_id)
                                .order_by(AppointmentRow.starts_at, AppointmentRow.id)))


# Offender manager updates ------------------------------------------------------------------------

def om_updates(session: Session, actor: Actor, *, include_acknowledged: bool = False,
               now: datetime) -> list[OffenderManagerUpdateRow]:
    access.ensure_sees_people(actor)
    if not actor.staff_code:
        return []
    # Only updates on cases the actor can still see (a case transferred away or restricted to others
    # takes its updates with it), as on the updates page (web_lifecycle.updates).
    stmt = select(OffenderManagerUpdateRow).where(OffenderManagerUpdateRow.staff_code == actor.staff_code,
                                                  access.case_visible(actor, OffenderManagerUpdateRow.case_id))
    if not include_acknowledged:
        stmt = stmt.where(OffenderManagerUpdateRow.acknowledged_at.is_(None))
    rows = list(session.scalars(stmt.order_by(OffenderManagerUpdateRow.id)))
    if rows:  # the updates carry what happened at contacts: a read of those records
        crns = _crns(session, {r.case_id for r in rows})
        audit.read(session, actor, crns.values(), f"offender manager updates ({len(rows)})", at=now)
    return rows


def _crns(session: Session, case_ids: set[int]) -> dict[int, str]:
    return {int(i): str(c) for i, c in session.execute(select(CaseRow.id, CaseRow.crn).where(CaseRow.id.in_(case_ids)))}


def acknowledge_update(session: Session, actor: Actor, update_id: int, *, now: datetime) -> OffenderManagerUpdateRow:
    row = session.scalar(select(OffenderManagerUpdateRow).where(
        OffenderManagerUpdateRow.id == update_id, access.case_visible(actor, OffenderManagerUpdateRow.case_id)))
    if row is None or row.staff_code != actor.staff_code:
        raise NotFound(f"no update {update_id} for {actor.username}", field="update_id", value=update_id,
                       rule="offender managers acknowledge their own updates")
    if row.acknowledged_at is not None:
        raise Conflict(f"update {update_id} was already acknowledged", field="update_id", value=update_id,
                       rule="an update is acknowledged once")
    row.acknowledged_at = now
    audit.record(session, actor, "write", _crns(session, {row.case_id}).get(row.case_id),
                 f"case {row.case_id}: update {update_id} acknowledged", at=now)
    session.flush()
    return row


# RAR ----------------------------------------------------------------------------------------------

def get_rar(session: Session, actor: Actor, case_id: int, *, now: datetime) -> tuple[rar_rules.RarProgress, date]:
    case, _ = visible_case(session, actor, case_id)
    require_rar(session, case_id)
    found = rar_progress(session, case, case_id, local_date(now))
    assert found is not None
    audit.record(session, actor, "read", case.crn, f"case {case_id}: RAR progress", at=now)
    return found


# Reminders ----------------------------------------------------------------------------------------

def send_reminders(session: Session, actor: Actor, notifier: Notifier, *, hours: int,
                   now: datetime) -> list[dict[str, Any]]:
    """Remind people of appointments starting in the next `hours` hours, once each, by email if
    recorded, else SMS; those with neither are reported as not reachable."""
    access.ensure_can_manage(actor)
    require(1 <= hours <= 168, f"reminder horizon of {hours} hours", field="hours", value=hours,
            rule="reminders look 1 to 168 hours ahead")
    stmt = (select(AppointmentRow, PersonRow)
            .join(CaseRow, CaseRow.id == AppointmentRow.case_id)
            .join(PersonRow, PersonRow.id == CaseRow.person_id)
            .where(AppointmentRow.status == AppointmentStatus.SCHEDULED.value,
                   AppointmentRow.reminder_sent_at.is_(None),
                   AppointmentRow.starts_at > now, AppointmentRow.starts_at <= now + timedelta(hours=hours),
                   access.case_filter(actor))
            .order_by(AppointmentRow.starts_at))
    results = []
    for appt, person in session.execute(stmt).all():
        when = local(appt.starts_at)
        place = appt.location_code and session.get(DeliveryLocationRow, appt.location_code)
        where = place.name if place else appt.contact_type.replace("_", " ")
        text = (f"Reminder: your probation appointment is on {when:%A %d %B %Y at %H:%M} "
                f"({where}). If you cannot attend, contact your probation officer before then.")
        channel, to = ((Channel.EMAIL, person.email) if person.email else
                       (Channel.SMS, person.phone) if person.phone else (None, None))
        if channel is None or to is None:
            results.append({"appointment_id": appt.id, "sent": False, "reason": "no email or phone"})
            continue
        ref = notifier.send(Message(channel=channel, to=to, subject="Probation appointment reminder",
                                    body=text, reference=f"appointment-{appt.id}-reminder", created_at=now,
                                    metadata={"appointment_id": appt.id, "crn": person.crn}))
        appt.reminder_sent_at = now
        results.append({"appointment_id": appt.id, "sent": True, "channel": channel.value, "ref": ref})
    if results:
        audit.record(session, actor, "write", None, f"{len(results)} reminder(s)", at=now)
    session.flush()
    return results


# Calendars ----------------------------------------------------------------------------------------

def _calendar_events(session: Session, rows: list[AppointmentRow]) -> list[ical.CalendarEvent]:
    events = []
    for r in rows:
        place = session.get(DeliveryLocationRow, r.location_code) if r.location_code else None
        what = "RAR activity" if r.rar_activity else "Probation appointment"
        events.append(ical.CalendarEvent(
            uid=f"appointment-{r.id}@probation.example", starts_at=r.starts_at, ends_at=r.ends_at,
            summary=f"{what} ({r.contact_type.replace('_', ' ')})",
            location=place.name if place else None,
            description=f"Case {r.crn}; interviewer {r.interviewer_code}",
            cancelled=r.status in (AppointmentStatus.CANCELLED.value, AppointmentStatus.RESCHEDULED.value),
            sequence=1 if r.rescheduled_from_id else 0))
    return events


def person_calendar(session: Session, actor: Actor, crn: str, *, now: datetime) -> str:
    access.ensure_sees_people(actor)
    case_ids = list(session.scalars(select(CaseRow.id).where(CaseRow.crn == crn)))
    visible = []
    for cid in case_ids:
        try:
            visible_case(session, actor, cid)
            visible.append(cid)
        except NotFound:
            continue
    if not visible:
        raise NotFound(f"no person with case reference {crn}", field="crn", value=crn,
                       rule="the case reference must exist")
    rows = list(session.scalars(select(AppointmentRow).where(AppointmentRow.case_id.in_(visible),
                                                             AppointmentRow.planned)
                                .order_by(AppointmentRow.starts_at)))
    audit.record(session, actor, "read", crn, "appointments calendar", at=now)
    return ical.calendar(_calendar_events(session, rows), name=f"Appointments {crn}", stamp=now)


def staff_calendar(session: Session, actor: Actor, staff_code: str, *, now: datetime) -> str:
    staff = session.get(StaffRow, staff_code)
    if staff is None:
        raise NotFound(f"no staff member {staff_code}", field="staff_code", value=staff_code,
                       rule="the staff member must exist")
    allowed = (actor.staff_code == staff_code or actor.role is Role.ADMINISTRATOR
               or (actor.role is Role.TEAM_MANAGER and actor.team_code == staff.team_code))
    if not allowed:
        raise Forbidden(f"{actor.username} may not read {staff_code}'s diary", field="staff_code",
                        value=staff_code, rule="a practitioner's own diary, or their team manager's view")
    # Only the appointments of cases the reader may open: a colleague's diary shows no restricted case
    # the reader is not named on.
    rows = list(session.scalars(select(AppointmentRow).where(AppointmentRow.interviewer_code == staff_code,
                                                             AppointmentRow.planned,
                                                             access.case_visible(actor, AppointmentRow.case_id))
                                .order_by(AppointmentRow.starts_at)))
    audit.read(session, actor, (r.crn for r in rows), f"diary of {staff_code}: {len(rows)} appointment(s)", at=now)
    return ical.calendar(_calendar_events(session, rows), name=f"Appointments {staff.first_name} "
                         f"{staff.last_name}", stamp=now)

