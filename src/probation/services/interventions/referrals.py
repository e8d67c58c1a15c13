"""The directory of services and programmes, referrals from the plan (Manage rows 18 and 20),
their sessions, and the feedback to the offender manager.

Sessions are booked and their attendance recorded through the delivery appointments
(services/delivery/appointments.py): a session of a service whose sessions are RAR activities is
booked as a RAR activity when the order has a RAR, so delivery's RAR day count (a distinct date
with an attended and complied RAR activity) includes it without a second counter, the court's
maximum days is enforced at booking, and attendance reaches the offender manager the same way
every other contact does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import CaseRow
from probation.adapters.db.tables_delivery import AppointmentRow
from probation.adapters.db.tables_interventions import (
    InterventionServiceRow,
    ReferralFeedbackRow,
    ReferralRow,
    ReferralSessionRow,
)
from probation.adapters.db.tables_protection import SentencePlanRow
from probation.domain.delivery.appointments import ContactType, Outcome
from probation.domain.errors import Conflict, InvalidValue, NotFound, require
from probation.domain.events import EventKind
from probation.domain.interventions import directory as d
from probation.domain.interventions import referrals as r
from probation.domain.people import Sex, age_on
from probation.domain.protection.plans import NeedArea
from probation.domain.protection.plans import Outcome as ObjectiveOutcome
from probation.domain.roles import Role
from probation.domain.sentences import SentenceType
from probation.services import access, audit
from probation.services.case_commands import (
    RECORDERS,
    Loaded,
    ensure_role,
    event,
    load,
    load_for_change,
    occurred,
    record,
)
from probation.services.context import Actor
from probation.services.delivery import appointments as delivery_appointments
from probation.services.delivery.common import rar_requirement

# The provider running a service reports its progress; offender managers refer.
UPDATERS = RECORDERS | {Role.PROVIDER_STAFF}
DIRECTORY_EDITORS = frozenset({Role.ADMINISTRATOR})


# Directory ---------------------------------------------------------------------------------------

def _need(raw: str, field: str) -> NeedArea:
    try:
        return NeedArea(raw)
    except ValueError:
        raise InvalidValue(f"need area {raw!r} is not known", field=field, value=raw,
                           rule="one of " + ", ".join(a.value for a in NeedArea)) from None


def _enum(kind: type[Any], raw: str, field: str) -> Any:
    try:
        return kind(raw)
    except ValueError:
        raise InvalidValue(f"{field} {raw!r} is not known", field=field, value=raw,
                           rule="one of " + ", ".join(x.value for x in kind)) from None


def to_service(row: InterventionServiceRow) -> d.InterventionService:
    e = row.eligibility or {}
    return d.InterventionService(
        code=row.code, name=row.name, provider=row.provider, kind=d.ServiceKind(row.kind),
        need_areas=frozenset(NeedArea(a) for a in row.need_areas), location=row.location,
        capacity=row.capacity, rar_activity=row.rar_activity, active=row.active,
        eligibility=d.Eligibility(sexes=frozenset(Sex(s) for s in e.get("sexes", [])),
                                  min_age=e.get("min_age"), max_age=e.get("max_age"),
                                  sentence_types=frozenset(SentenceType(t) for t in
                                                           e.get("sentence_types", []))))


def save_service(session: Session, actor: Actor, *, code: str, name: str, provider: str, kind: str,
                 need_areas: list[str], location: str, capacity: int,
                 eligibility: dict[str, Any] | None, rar_activity: bool, active: bool,
                 now: datetime) -> InterventionServiceRow:
    """Add a service to the directory or change it (the code names it)."""
    ensure_role(actor, DIRECTORY_EDITORS, "maintain the directory of services")
    e = eligibility or {}
    svc = d.InterventionService(
        code=code, name=name, provider=provider, kind=_enum(d.ServiceKind, kind, "kind"),
        need_areas=frozenset(_need(a, f"need_areas.{i}") for i, a in enumerate(need_areas)),
        location=location, capacity=capacity, rar_activity=rar_activity, active=active,
        eligibility=d.Eligibility(
            sexes=frozenset(_enum(Sex, s, "eligibility.sexes") for s in e.get("sexes") or []),
            min_age=e.get("min_age"), max_age=e.get("max_age"),
            sentence_types=frozenset(_enum(SentenceType, t, "eligibility.sentence_types")
                                     for t in e.get("sentence_types") or [])))
    row = session.get(InterventionServiceRow, code)
    values = dict(name=svc.name.strip(), provider=svc.provider.strip(), kind=svc.kind.value,
                  need_areas=sorted(a.value for a in svc.need_areas), location=svc.location.strip(),
                  capacity=svc.capacity, rar_activity=svc.rar_activity, active=svc.active,
                  eligibility={"sexes": sorted(s.value for s in svc.eligibility.sexes),
                               "min_age": svc.eligibility.min_age, "max_age": svc.eligibility.max_age,
                               "sentence_types": sorted(t.value for t in svc.eligibility.sentence_types)},
                  updated_at=now, updated_by=actor.username)
    if row is None:
        row = InterventionServiceRow(code=code, **values)
        session.add(row)
    else:
        for k, v in values.items():
            setattr(row, k, v)
    audit.record(session, actor, "write", None, f"intervention service {code} saved", at=now)
    session.flush()
    return row


def places_taken(session: Session, code: str) -> int:
    return session.scalar(select(func.count()).select_from(ReferralRow).where(
        ReferralRow.service_code == code,
        ReferralRow.status.in_([s.value for s in r.TAKING_PLACES]))) or 0


def list_services(session: Session, *, need_area: str | None = None,
                  include_closed: bool = False) -> list[tuple[InterventionServiceRow, int]]:
    area = _need(need_area, "need_area") if need_area else None
    rows = session.scalars(select(InterventionServiceRow).order_by(InterventionServiceRow.code))
    return [(row, places_taken(session, row.code)) for row in rows
            if (include_closed or row.active) and (area is None or area.value in row.need_areas)]


def get_service(session: Session, code: str) -> InterventionServiceRow:
    row = session.get(InterventionServiceRow, code)
    if row is None:
        raise NotFound(f"no service {code!r} in the directory", field="service_code", value=code,
                       rule="referrals go to services in the directory")
    return row


# Referrals ---------------------------------------------------------------------------------------

def referral_row(session: Session, case_id: int, referral_id: int) -> ReferralRow:
    row = session.get(ReferralRow, referral_id)
    if row is None or row.case_id != case_id:
        raise NotFound(f"no referral {referral_id} on case {case_id}", field="referral_id",
                       value=referral_id, rule="the referral must exist on this case")
    return row


def _objective(session: Session, case_id: int, objective: int | None,
               need: NeedArea) -> None:
    plan = session.scalar(select(SentencePlanRow).where(SentencePlanRow.case_id == case_id))
    if plan is None:
        raise Conflict(f"case {case_id} has no plan", field="case_id", value=case_id,
                       rule="a referral implements the plan (Manage row 20): complete the plan first")
    if objective is None:
        if not any(o.get("need_area") == need.value for o in plan.objectives):
            raise InvalidValue(f"the plan has no objective for {need.value}", field="need_area",
                               value=need.value, rule="a referral addresses a need the plan names; "
                               "add it at a plan review or name the objective")
        return
    require(1 <= objective <= len(plan.objectives), f"the plan has no objective {objective}",
            field="objective", value=objective,
            rule=f"objectives are numbered 1 to {len(plan.objectives)}")
    linked = plan.objectives[objective - 1].get("need_area")
    if linked is not None and linked != need.value:
        raise InvalidValue(f"objective {objective} addresses {linked}, not {need.value}",
                           field="need_area", value=need.value,
                           rule="the referral's need is the one its objective addresses")


def refer(session: Session, actor: Actor, case_id: int, *, service_code: str, need_area: str,
          objective: int | None, sent_on: date, notes: str | None, now: datetime) -> ReferralRow:
    """Manage row 20: the offender manager refers the person to a service from the plan."""
    loaded = load_for_change(session, actor, case_id, RECORDERS, "make a referral")
    need = _need(need_area, "need_area")
    service = get_service(session, service_code)
    _objective(session, case_id, objective, need)
    iso = sent_on.isoformat()
    require(sent_on <= now.date(), f"referral date {iso} is after today", field="sent_on",
            value=iso, rule="a referral is recorded once sent")
    require(sent_on >= loaded.case.sentence.sentence_date, f"referral date {iso} is before the "
            "sentence date", field="sent_on", value=iso, rule="referrals are made during the sentence")
    d.check_referral(to_service(service), need_area=need, sex=Sex(loaded.person.sex),
                     age=age_on(loaded.person.date_of_birth, sent_on),
                     sentence_type=loaded.case.sentence.type,
                     places_taken=places_taken(session, service.code))
    row = ReferralRow(case_id=case_id, service_code=service.code, need_area=need.value,
                      objective=objective, status=r.ReferralStatus.SENT.value, sent_on=sent_on,
                      status_on=sent_on, notes=notes,
                      history=[{"status": "sent", "on": iso, "by": actor.username}],
                      recorded_at=now, recorded_by=actor.username, updated_at=now)
    session.add(row)
    session.flush()
    ev = event(EventKind.REFERRAL_MADE, occurred(sent_on, now), actor, notes, referral_id=row.id,
               service_code=service.code, service_kind=service.kind, need_area=need.value,
               objective=objective, rows={"manage": [18, 20]})
    record(session, actor, loaded, [ev], what=f"referral {row.id} to {service.code}", now=now)
    return row


def _feedback(session: Session, actor: Actor, loaded: Loaded, row: ReferralRow,
              summary: dict[str, Any], now: datetime) -> list[Any]:
    """Progress reported by someone other than the offender manager is fed back to them."""
    om = loaded.case.offender_manager_code
    if om is None or actor.staff_code == om:
        return []
    fb = ReferralFeedbackRow(case_id=row.case_id, referral_id=row.id, staff_code=om,
                             from_username=actor.username, summary=summary, created_at=now)
    session.add(fb)
    session.flush()
    return [event(EventKind.OFFENDER_MANAGER_INFORMED, now, actor, None, referral_id=row.id,
                  feedback_id=fb.id, staff=om, **summary)]


def update_referral(session: Session, actor: Actor, case_id: int, referral_id: int, *, status: str,
                    on: date, reason: str | None, notes: str | None, outcome: str | None,
                    now: datetime) -> ReferralRow:
    loaded = load_for_change(session, actor, case_id, UPDATERS, "update a referral")
    row = referral_row(session, case_id, referral_id)
    new = r.parse_status(status)
    why = _enum(r.WithdrawalReason, reason, "reason") if reason else None
    result = _enum(ObjectiveOutcome, outcome, "outcome") if outcome else None
    r.check_transition(row.id, r.ReferralStatus(row.status), new, on=on, last_change=row.status_on,
                       as_of=now.date(), reason=why, notes=notes, outcome=result)
    previous = row.status
    row.status, row.status_on, row.updated_at = new.value, on, now
    row.reason = why.value if why else row.reason
    row.outcome = result.value if result else row.outcome
    if notes:
        row.notes = notes
    row.history = [*row.history, {"status": new.value, "on": on.isoformat(), "by": actor.username,
                                  "reason": why.value if why else None, "notes": notes,
                                  "outcome": result.value if result else None}]
    session.flush()
    summary = {"service_code": row.service_code, "status": new.value, "previous": previous,
               "on": on.isoformat(), "withdrawal_reason": why.value if why else None,
               "outcome": result.value if result else None, "notes": notes}
    events = [event(EventKind.REFERRAL_UPDATED, occurred(on, now), actor, notes, referral_id=row.id,
                    **{k: v for k, v in summary.items() if k != "notes"}),
              *_feedback(session, actor, loaded, row, summary, now)]
    record(session, actor, loaded, events, what=f"referral {row.id} {new.value}", now=now)
    return row


@dataclass(frozen=True, kw_only=True)
class ReferralView:
    referral: ReferralRow
    service: InterventionServiceRow
    sessions: list[AppointmentRow]


def list_referrals(session: Session, actor: Actor, case_id: int, *, now: datetime) -> list[ReferralView]:
    loaded = load(session, actor, case_id)
    rows = list(session.scalars(select(ReferralRow).where(ReferralRow.case_id == case_id)
                                .order_by(ReferralRow.sent_on, ReferralRow.id)))
    audit.record(session, actor, "read", loaded.row.crn, f"case {case_id}: referrals", at=now)
    return [ReferralView(referral=x, service=get_service(session, x.service_code),
                         sessions=_sessions(session, x.id)) for x in rows]


def _sessions(session: Session, referral_id: int) -> list[AppointmentRow]:
    return list(session.scalars(select(AppointmentRow).join(
        ReferralSessionRow, ReferralSessionRow.appointment_id == AppointmentRow.id).where(
        ReferralSessionRow.referral_id == referral_id).order_by(AppointmentRow.starts_at)))


# Sessions ----------------------------------------------------------------------------------------

def book_session(session: Session, actor: Actor, case_id: int, referral_id: int, *,
                 starts_at: datetime, ends_at: datetime, contact_type: str,
                 location_code: str | None, interviewer_code: str,
                 now: datetime) -> delivery_appointments.BookingResult:
    """A session of an accepted or started referral, booked as a delivery appointment; a RAR
    activity when the service's sessions are and the order has a RAR."""
    ensure_role(actor, UPDATERS, "book a referral session")
    row = referral_row(session, case_id, referral_id)
    r.check_session_booking(row.id, r.ReferralStatus(row.status))
    service = get_service(session, row.service_code)
    rar = service.rar_activity and rar_requirement(session, case_id) is not None
    booking = delivery_appointments.BookingIn(
        starts_at=starts_at, ends_at=ends_at,
        contact_type=_enum(ContactType, contact_type, "contact_type"),
        location_code=location_code, interviewer_code=interviewer_code, rar_activity=rar)
    result = delivery_appointments.book(session, actor, case_id, booking, now=now)
    session.add(ReferralSessionRow(referral_id=row.id, appointment_id=result.appointment.id,
                                   created_at=now))
    session.flush()
    return result


def session_appointment(session: Session, referral_id: int, appointment_id: int) -> AppointmentRow:
    link = session.scalar(select(ReferralSessionRow).where(
        ReferralSessionRow.referral_id == referral_id, ReferralSessionRow.appointment_id == appointment_id))
    appointment = session.get(AppointmentRow, appointment_id) if link else None
    if appointment is None:
        raise NotFound(f"no session {appointment_id} on referral {referral_id}",
                       field="appointment_id", value=appointment_id,
                       rule="the session must belong to this referral")
    return appointment


def record_attendance(session: Session, actor: Actor, case_id: int, referral_id: int,
                      appointment_id: int, *, outcome: str, notes: str | None,
                      now: datetime) -> AppointmentRow:
    """Attendance at a session, recorded on its appointment: delivery informs the offender manager
    and, for a RAR activity attended and complied, counts the day."""
    ensure_role(actor, UPDATERS, "record attendance")
    load(session, actor, case_id)  # the case first: a referral's state must not answer for a case not seen
    row = referral_row(session, case_id, referral_id)
    r.check_attendance(row.id, r.ReferralStatus(row.status))
    session_appointment(session, row.id, appointment_id)
    return delivery_appointments.record_outcome(
        session, actor, case_id, appointment_id, outcome_value=_enum(Outcome, outcome, "outcome"),
        notes=notes, account=None, indicators=None, now=now)


# Feedback to the offender manager -----------------------------------------------------------------

def my_feedback(session: Session, actor: Actor, *, include_acknowledged: bool = False,
                now: datetime) -> list[ReferralFeedbackRow]:
    """The feedback to the actor as offender manager, on cases they can still see (a case
    transferred away or restricted to others takes its feedback with it)."""
    access.ensure_sees_people(actor)
    if not actor.staff_code:
        return []
    stmt = select(ReferralFeedbackRow).where(ReferralFeedbackRow.staff_code == actor.staff_code,
                                             access.case_visible(actor, ReferralFeedbackRow.case_id))
    if not include_acknowledged:
        stmt = stmt.where(ReferralFeedbackRow.acknowledged_at.is_(None))
    rows = list(session.scalars(stmt.order_by(ReferralFeedbackRow.id)))
    if rows:
        crns = session.scalars(select(CaseRow.crn).where(CaseRow.id.in_({r.case_id for r in rows})))
        audit.read(session, actor, crns, f"referral feedback ({len(rows)})", at=now)
    return rows


def acknowledge(session: Session, actor: Actor, feedback_id: int, *, now: datetime) -> ReferralFeedbackRow:
    row = session.scalar(select(ReferralFeedbackRow).where(
        ReferralFeedbackRow.id == feedback_id, access.case_visible(actor, ReferralFeedbackRow.case_id)))
    if row is None or row.staff_code != actor.staff_code:
        raise NotFound(f"no referral feedback {feedback_id} for {actor.username}", field="feedback_id",
                       value=feedback_id, rule="offender managers acknowledge their own feedback")
    if row.acknowledged_at is None:
        row.acknowledged_at = now
        session.flush()
    return row
