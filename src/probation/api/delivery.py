"""Delivery API: locations, diverse needs, appointments and contacts, offender manager updates,
RAR days, reminders, calendars, compliance and enforcement, early revocation, court reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy.orm import Session

from probation.adapters.db.tables_delivery import (
    AppointmentRow,
    DeliveryLocationRow,
    EnforcementActionRow,
    OffenderManagerUpdateRow,
)
from probation.adapters.notifications import OutboxNotifier
from probation.api.answers import file_answer
from probation.api.deps import get_api_actor, get_now, get_session
from probation.api.schemas import delivery as s
from probation.api.security_headers import document
from probation.domain.delivery.appointments import DiverseNeeds, UnavailableWindow
from probation.domain.delivery.contacts import Indicators
from probation.domain.delivery.early_revocation import Assessment
from probation.domain.delivery.rar import RarProgress
from probation.services import court_reports
from probation.services.context import Actor
from probation.services.delivery import appointments as appts
from probation.services.delivery import enforcement
from probation.services.delivery.common import day_of

router = APIRouter(prefix="/api")
MAX_ID = 2**53
CaseId = Path(..., ge=1, le=MAX_ID)


def location_view(r: DeliveryLocationRow) -> dict[str, Any]:
    return {"code": r.code, "name": r.name, "address": r.address, "organisation_code": r.organisation_code,
            "female_only": r.female_only, "step_free_access": r.step_free_access}


def appointment_view(r: AppointmentRow) -> dict[str, Any]:
    return {"id": r.id, "case_id": r.case_id, "crn": r.crn, "starts_at": r.starts_at.isoformat(),
            "ends_at": r.ends_at.isoformat(), "day": day_of(r).isoformat(),
            "contact_type": r.contact_type, "location_code": r.location_code,
            "interviewer_code": r.interviewer_code, "interpreter_booked": r.interpreter_booked,
            "override_reason": r.override_reason, "rar_activity": r.rar_activity,
            "requirement_id": r.requirement_id, "planned": r.planned, "status": r.status,
            "outcome": r.outcome, "notes": r.notes, "account": r.account, "indicators": r.indicators,
            "warnings": r.warnings or [], "rescheduled_from_id": r.rescheduled_from_id,
            "change_reason": r.change_reason, "created_by": r.created_by,
            "outcome_by": r.outcome_by, "reminder_sent": r.reminder_sent_at is not None}


def update_view(r: OffenderManagerUpdateRow) -> dict[str, Any]:
    return {"id": r.id, "case_id": r.case_id, "appointment_id": r.appointment_id, "staff_code": r.staff_code,
            "from": r.from_username, "created_at": r.created_at.isoformat(), "summary": r.summary,
            "acknowledged": r.acknowledged_at is not None}


def rar_view(p: RarProgress, start: Any) -> dict[str, Any]:
    return {"max_days": p.max_days, "days_used": p.days_used, "days_remaining": p.days_remaining,
            "used_dates": [d.isoformat() for d in p.used_dates],
            "booked_dates": [d.isoformat() for d in p.booked_dates],
            "requirement_start": start.isoformat(), "requirement_end": p.requirement_end.isoformat(),
            "weeks_left": p.weeks_left, "near_end_with_days_unused": p.near_end_with_days_unused,
            "warning": p.warning}


def _indicators(body: s.IndicatorsIn | None) -> Indicators | None:
    if body is None:
        return None
    return Indicators(attendance=body.attendance, behaviour=body.behaviour, response=body.response,
                      risk=body.risk)


def _booking(body: s.AppointmentIn | s.RearrangeIn) -> appts.BookingIn:
    return appts.BookingIn(starts_at=body.starts_at, ends_at=body.ends_at, contact_type=body.contact_type,
                           location_code=body.location_code, interviewer_code=body.interviewer_code,
                           interpreter_booked=body.interpreter_booked, override_reason=body.override_reason,
                           rar_activity=getattr(body, "rar_activity", False))


# Locations and diverse needs ---------------------------------------------------------------------

@router.post("/locations", response_model=s.LocationAnswer, status_code=201, tags=["delivery"])
def add_location(body: s.LocationIn, actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                 now: datetime = Depends(get_now)) -> dict[str, Any]:
    return location_view(appts.add_location(session, actor, **body.model_dump(), now=now))


@router.get("/locations", response_model=s.LocationsAnswer, tags=["delivery"])
def locations(actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session)) -> dict[str, Any]:
    return {"items": [location_view(r) for r in appts.list_locations(session)]}


@router.put("/cases/{case_id}/diverse-needs", response_model=s.DiverseNeedsAnswer, tags=["delivery"])
def put_needs(body: s.DiverseNeedsIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
              session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    needs = DiverseNeeds(unavailable=tuple(UnavailableWindow(weekday=w.weekday, start=w.start, end=w.end,
                                                             reason=w.reason) for w in body.unavailable),
                         step_free_access=body.step_free_access,
                         interpreter_language=body.interpreter_language, notes=body.notes)
    return appts.needs_as_dict(appts.record_diverse_needs(session, actor, case_id, needs, now=now)) or {}


@router.get("/cases/{case_id}/diverse-needs", response_model=s.CaseDiverseNeedsAnswer, tags=["delivery"])
def get_needs(case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
              session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return {"needs": appts.needs_as_dict(appts.get_diverse_needs(session, actor, case_id, now=now))}


# Appointments and contacts -----------------------------------------------------------------------

@router.post("/cases/{case_id}/appointments", response_model=s.AppointmentAnswer, status_code=201, tags=["delivery"])
def book(body: s.AppointmentIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
         session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    result = appts.book(session, actor, case_id, _booking(body), now=now)
    return appointment_view(result.appointment)


@router.get("/cases/{case_id}/appointments", response_model=s.AppointmentsAnswer, tags=["delivery"])
def appointments(case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
                 session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return {"items": [appointment_view(r) for r in appts.list_appointments(session, actor, case_id, now=now)]}


@router.post("/cases/{case_id}/appointments/{appointment_id}/rearrange", response_model=s.AppointmentAnswer,
             tags=["delivery"])
def rearrange(body: s.RearrangeIn, case_id: int = CaseId, appointment_id: int = Path(..., ge=1, le=MAX_ID),
              actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
              now: datetime = Depends(get_now)) -> dict[str, Any]:
    result = appts.rearrange(session, actor, case_id, appointment_id, _booking(body), reason=body.reason, now=now)
    return appointment_view(result.appointment)


@router.post("/cases/{case_id}/appointments/{appointment_id}/cancel", response_model=s.AppointmentAnswer,
             tags=["delivery"])
def cancel(body: s.CancelIn, case_id: int = CaseId, appointment_id: int = Path(..., ge=1, le=MAX_ID),
           actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
           now: datetime = Depends(get_now)) -> dict[str, Any]:
    return appointment_view(appts.cancel(session, actor, case_id, appointment_id, reason=body.reason, now=now))


@router.post("/cases/{case_id}/appointments/{appointment_id}/outcome", response_model=s.AppointmentAnswer,
             tags=["delivery"])
def outcome(body: s.OutcomeIn, case_id: int = CaseId, appointment_id: int = Path(..., ge=1, le=MAX_ID),
            actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
            now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = appts.record_outcome(session, actor, case_id, appointment_id, outcome_value=body.outcome,
                               notes=body.notes, account=body.account, indicators=_indicators(body.indicators),
                               now=now)
    return appointment_view(row)


@router.post("/cases/{case_id}/contacts", response_model=s.AppointmentAnswer, status_code=201, tags=["delivery"])
def contact(body: s.ContactIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
            session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = appts.record_contact(session, actor, case_id, occurred_at=body.occurred_at, minutes=body.minutes,
                               contact_type=body.contact_type, outcome_value=body.outcome, notes=body.notes,
                               account=body.account, indicators=_indicators(body.indicators),
                               location_code=body.location_code, now=now)
    return appointment_view(row)


@router.get("/offender-manager/updates", response_model=s.OffenderManagerUpdatesAnswer, tags=["delivery"])
def updates(include_acknowledged: bool = False, actor: Actor = Depends(get_api_actor),
            session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    rows = appts.om_updates(session, actor, include_acknowledged=include_acknowledged, now=now)
    return {"items": [update_view(r) for r in rows]}


@router.post("/offender-manager/updates/{update_id}/acknowledge", response_model=s.OffenderManagerUpdateAnswer,
             tags=["delivery"])
def acknowledge(update_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
                session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return update_view(appts.acknowledge_update(session, actor, update_id, now=now))


@router.get("/cases/{case_id}/rar", response_model=s.RarAnswer, tags=["delivery"])
def rar(case_id: int = CaseId, actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
        now: datetime = Depends(get_now)) -> dict[str, Any]:
    progress, start = appts.get_rar(session, actor, case_id, now=now)
    return rar_view(progress, start)


@router.post("/appointments/reminders", response_model=s.RemindersAnswer, response_model_exclude_unset=True,
             tags=["delivery"])
def reminders(request: Request, hours: int = Query(48, ge=-1000, le=1000), actor: Actor = Depends(get_api_actor),
              session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    notifier = OutboxNotifier(request.app.state.settings.outbox_dir)
    return {"items": appts.send_reminders(session, actor, notifier, hours=hours, now=now)}


ICS = "text/calendar; charset=utf-8"


@router.get("/people/{crn}/appointments.ics", tags=["delivery"], response_class=Response,
            responses=file_answer("The person's appointments as an iCalendar file", ICS))
def person_ics(crn: str = Path(..., pattern=r"^[A-Z][0-9]{6}$"), actor: Actor = Depends(get_api_actor),
               session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    return Response(appts.person_calendar(session, actor, crn, now=now), media_type=ICS,
                    headers={"Content-Disposition": f'attachment; filename="{crn}.ics"'})


@router.get("/staff/{staff_code}/appointments.ics", tags=["delivery"], response_class=Response,
            responses=file_answer("The staff member's diary as an iCalendar file", ICS))
def staff_ics(staff_code: str = Path(..., max_length=16), actor: Actor = Depends(get_api_actor),
              session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    return Response(appts.staff_calendar(session, actor, staff_code, now=now), media_type=ICS,
                    headers={"Content-Disposition": f'attachment; filename="{staff_code}.ics"'})


# Compliance, enforcement and early revocation ----------------------------------------------------

def action_view(r: EnforcementActionRow) -> dict[str, Any]:
    return {"id": r.id, "action": r.action, "failure_day": r.failure_day.isoformat(),
            "decided_on": r.decided_on.isoformat(), "due_by": r.due_by.isoformat() if r.due_by else None,
            "number": r.number, "policy": r.policy, "decided_by": r.decided_by, "reason": r.reason,
            "outcome": r.outcome, "concluded_on": r.concluded_on.isoformat() if r.concluded_on else None,
            "outcome_notes": r.outcome_notes}


def compliance_view(c: enforcement.Compliance) -> dict[str, Any]:
    sm = c.summary
    nxt = sm.next
    breach = sm.breach_in_progress
    return {"as_of": sm.as_of.isoformat(), "counted_from": sm.counted_from.isoformat(),
            "failures": [d.isoformat() for d in sm.failures],
            "failures_last_12_months": sm.failures_last_12_months, "warnings_issued": sm.warnings_issued,
            "breach_in_progress": None if breach is None else {
                "id": breach.id, "action": breach.action.value, "failure_day": breach.failure_day.isoformat(),
                "initiated_on": breach.initiated_on.isoformat()},
            "previous_breaches": sm.previous_breaches,
            "next_action": {"action": nxt.action.value,
                            "failure_day": nxt.failure_day.isoformat() if nxt.failure_day else None,
                            "due_by": nxt.due_by.isoformat() if nxt.due_by else None, "number": nxt.number,
                            "policy": nxt.policy, "reason": nxt.reason},
            "actions": [action_view(a) for a in c.actions]}


def assessment_view(a: Assessment) -> dict[str, Any]:
    return {"applicable": a.applicable, "criteria_met": a.met,
            "criteria": [{"name": c.name, "met": c.met, "detail": c.detail} for c in a.criteria],
            "to_confirm": list(a.to_confirm)}


@router.get("/cases/{case_id}/compliance", response_model=s.ComplianceAnswer, tags=["enforcement"])
def get_compliance(case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
                   session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return compliance_view(enforcement.compliance(session, actor, case_id, now=now))


@router.post("/cases/{case_id}/enforcement", response_model=s.EnforcementActionAnswer,
             status_code=201, tags=["enforcement"])
def decide(body: s.EnforcementIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
           session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return action_view(enforcement.decide(session, actor, case_id, body.action, reason=body.reason, now=now))


@router.post("/cases/{case_id}/enforcement/{action_id}/outcome", response_model=s.EnforcementActionAnswer,
             tags=["enforcement"])
def court_outcome(body: s.CourtOutcomeIn, case_id: int = CaseId, action_id: int = Path(..., ge=1, le=MAX_ID),
                  actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                  now: datetime = Depends(get_now)) -> dict[str, Any]:
    return action_view(enforcement.record_court_outcome(session, actor, case_id, action_id, body.outcome,
                                                        on=body.on, notes=body.notes, now=now))


@router.get("/cases/{case_id}/early-revocation", response_model=s.EarlyRevocationAnswer, tags=["enforcement"])
def get_early_revocation(case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
                         session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return assessment_view(enforcement.early_revocation(session, actor, case_id, now=now))


@router.post("/early-revocation/flags", response_model=s.EarlyRevocationFlagsAnswer, tags=["enforcement"])
def flag_early_revocation(actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                          now: datetime = Depends(get_now)) -> dict[str, Any]:
    return {"items": enforcement.flag_early_revocations(session, actor, now=now)}


# Reports to court ---------------------------------------------------------------------------------

@router.get("/cases/{case_id}/reports/{kind}", tags=["court reports"], response_class=Response,
            responses=file_answer("The report as an HTML page or a PDF", "text/html", "application/pdf"))
def report(kind: court_reports.ReportKind, case_id: int = CaseId,
           format: court_reports.ReportFormat = Query(court_reports.ReportFormat.HTML),
           actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
           now: datetime = Depends(get_now)) -> Response:
    if format is court_reports.ReportFormat.PDF:
        pdf = court_reports.render_pdf(session, actor, case_id, kind, now=now)
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{kind.value}-{case_id}.pdf"'})
    return document(court_reports.render_html(session, actor, case_id, kind, now=now))


@router.post("/cases/{case_id}/reports/{kind}/request", response_model=s.ReportRequestedAnswer,
             status_code=201, tags=["court reports"])
def request_report(body: s.ReportRequestIn, kind: court_reports.ReportKind, case_id: int = CaseId,
                   actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                   now: datetime = Depends(get_now)) -> dict[str, Any]:
    return court_reports.request_report(session, actor, case_id, kind, due_by=body.due_by,
                                        court_code=body.court_code, now=now)


@router.post("/cases/{case_id}/reports/{kind}/submit", response_model=s.ReportSubmittedAnswer,
             status_code=201, tags=["court reports"])
def submit_report(kind: court_reports.ReportKind, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
                  session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return court_reports.submit_report(session, actor, case_id, kind, now=now)
