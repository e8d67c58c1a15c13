"""The practitioner's case pages (issue 7 item 1): appointments - book, rearrange, record the
outcome. Compliance, enforcement and letters are in practice/enforcement.py; risk, plan,
obligations and transfer in practice/case.py. Each page shows the case header and the case
sub-navigation (case_nav.html) and calls the feature services; it never decides."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from probation.api.deps import get_now, get_session
from probation.domain.delivery.appointments import AppointmentStatus, ContactType, Outcome
from probation.domain.delivery.times import local
from probation.domain.errors import Conflict, InvalidValue
from probation.services.context import Actor
from probation.services.delivery import appointments as appts
from probation.services.delivery.common import appointment_row, rar_requirement
from probation.web.forms import (
    attempt,
    checked_form,
    date_parts,
    flash,
    form_error,
    form_values,
    parse_form_date,
    parse_time,
    take_flash,
)
from probation.web.pages import render
from probation.web.practice import view as wp
from probation.web.session import web_actor

router = APIRouter(include_in_schema=False)
CRN = Path(..., pattern=r"^[A-Z][0-9]{6}$")
CASE = Query(None, alias="case", ge=1, le=2**53)


def an_id() -> Any:
    """A fresh Path() per parameter: FastAPI binds a shared one to the first parameter's name."""
    return Path(..., ge=1, le=2**53)

CONTACT_TYPES = [(t.value, t.value.replace("_", " ").capitalize()) for t in ContactType]
OUTCOMES = [(Outcome.ATTENDED_COMPLIED.value, "Attended and complied"),
            (Outcome.ATTENDED_FAILED_TO_COMPLY.value, "Attended but failed to comply"),
            (Outcome.ACCEPTABLE_ABSENCE.value, "Acceptable absence"),
            (Outcome.UNACCEPTABLE_ABSENCE.value, "Unacceptable absence")]
DURATIONS = [("30", "30 minutes"), ("45", "45 minutes"), ("60", "1 hour"), ("90", "1 hour 30 minutes"),
             ("120", "2 hours")]


# Shared by the practice page modules ----------------------------------------------------------

def practice_actor(request: Request, session: Session, roles: frozenset[Any] = wp.PRACTICE_ROLES,
                   page: str = "the practitioner's case pages") -> Actor:
    actor = web_actor(request, session)
    wp.ensure_role(actor, roles, page)
    return actor


def case_page(request: Request, template: str, oc: wp.OpenCase, actor: Actor, section: str, *,
              status: int = 200, errors: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    return render(request, template, status=status, actor=actor, oc=oc, section=section, errors=errors or {},
                  flash=take_flash(request) if status == 200 else None, **context)


def redirect(oc: wp.OpenCase, path: str = "") -> RedirectResponse:
    query = f"?case={oc.case_id}" if oc.others else ""
    return RedirectResponse(f"/cases/{oc.crn}{path}{query}", status_code=303)


# Appointments -----------------------------------------------------------------------------------

def _view(r: Any, names: dict[str, str], places: dict[str, str]) -> dict[str, Any]:
    start = local(r.starts_at)
    return {"id": r.id, "start": start, "minutes": int((r.ends_at - r.starts_at).total_seconds() // 60),
            "type": r.contact_type.replace("_", " ").capitalize(), "place": places.get(r.location_code or "", ""),
            "interviewer": names.get(r.interviewer_code, r.interviewer_code), "status": r.status,
            "outcome": r.outcome, "rar": r.rar_activity, "warnings": r.warnings or [],
            "reason": r.change_reason, "planned": r.planned}


def _booking_context(session: Session, actor: Actor, oc: wp.OpenCase) -> dict[str, Any]:
    staff = wp.interviewers(session, actor, oc.case)
    return {"interviewer_options": [(s.code, f"{s.first_name} {s.last_name}") for s in staff],
            "location_options": [(loc.code, loc.name) for loc in appts.list_locations(session)],
            "contact_types": CONTACT_TYPES, "durations": DURATIONS,
            "has_rar": rar_requirement(session, oc.case_id) is not None}


def _appointments_page(request: Request, session: Session, actor: Actor, oc: wp.OpenCase, now: datetime, *,
                       status: int = 200, errors: dict[str, str] | None = None,
                       values: dict[str, Any] | None = None) -> HTMLResponse:
    rows = appts.list_appointments(session, actor, oc.case_id, now=now)
    staff = {s.code: f"{s.first_name} {s.last_name}" for s in wp.interviewers(session, actor, oc.case)}
    places = {loc.code: loc.name for loc in appts.list_locations(session)}
    views = [_view(r, staff, places) for r in rows]
    upcoming = [v for v in views if v["status"] == AppointmentStatus.SCHEDULED.value]
    past = [v for v in reversed(views) if v["status"] != AppointmentStatus.SCHEDULED.value]
    rar = None
    if rar_requirement(session, oc.case_id) is not None:
        rar = appts.get_rar(session, actor, oc.case_id, now=now)[0]
    return case_page(request, "practice/appointments.html", oc, actor, "Appointments", status=status,
                     errors=errors, upcoming=upcoming, past=past, rar=rar, now=now,
                     values=values or {"minutes": "60", "contact_type": "office",
                                       "interviewer_code": actor.staff_code or ""},
                     **_booking_context(session, actor, oc))


@router.get("/cases/{crn}/appointments")
def appointments_page(request: Request, crn: str = CRN, case_id: int | None = CASE,
                      session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = practice_actor(request, session)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="appointments page")
    return _appointments_page(request, session, actor, oc, now)


BOOKING_FIELDS = {"starts_at": "date", "ends_at": "minutes", "contact_type": "contact_type",
                  "location_code": "location_code", "interviewer_code": "interviewer_code",
                  "rar_activity": "rar_activity", "override_reason": "override_reason", "reason": "reason",
                  "day": "date"}


def _read_booking(form: Any, errors: dict[str, str]) -> appts.BookingIn | None:
    day = parse_form_date(form, "date", "the date of the appointment", errors)
    at = attempt(errors, "start", lambda: parse_time(str(form.get("start", "")), field="start",
                                                     label="the start time"))
    minutes = str(form.get("minutes", ""))
    if minutes not in dict(DURATIONS):
        errors["minutes"] = "Select how long the appointment lasts"
    contact = str(form.get("contact_type", ""))
    if contact not in {t.value for t in ContactType}:
        errors["contact_type"] = "Select the type of appointment"
    location = str(form.get("location_code", "")).strip() or None
    if contact == ContactType.OFFICE.value and location is None:
        errors["location_code"] = "Select the office for an office appointment"
    interviewer = str(form.get("interviewer_code", "")).strip()
    if not interviewer:
        errors["interviewer_code"] = "Select who will see the person"
    if errors:
        return None
    starts = wp.local_datetime(day, at)
    return appts.BookingIn(starts_at=starts, ends_at=starts + timedelta(minutes=int(minutes)),
                           contact_type=ContactType(contact),
                           location_code=location if contact == ContactType.OFFICE.value else None,
                           interviewer_code=interviewer, interpreter_booked=form.get("interpreter_booked") == "yes",
                           override_reason=str(form.get("override_reason", "")).strip() or None,
                           rar_activity=form.get("rar_activity") == "yes")


def _form_values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = form_values(form)
    values["date"] = date_parts(form, "date")
    return values


@router.post("/cases/{crn}/appointments")
async def book(request: Request, crn: str = CRN, case_id: int | None = CASE,
               session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = practice_actor(request, session)
    form = await checked_form(request)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="book an appointment")
    errors: dict[str, str] = {}
    booking = _read_booking(form, errors)
    if booking is not None:
        try:
            result = appts.book(session, actor, oc.case_id, booking, now=now)
        except (InvalidValue, Conflict) as exc:
            errors = form_error(exc, BOOKING_FIELDS, "date")
        else:
            warned = "; ".join(w.message for w in result.warnings)
            flash(request, f"Appointment booked for {local(booking.starts_at):%-d %B %Y at %H:%M}"
                  + (f". Check: {warned}" if warned else ""))
            return redirect(oc, "/appointments")
    return _appointments_page(request, session, actor, oc, now, status=400, errors=errors,
                              values=_form_values(form))


def _appointment_page(request: Request, session: Session, actor: Actor, oc: wp.OpenCase, appointment_id: int,
                      template: str, section: str, now: datetime, *, status: int = 200,
                      errors: dict[str, str] | None = None, values: dict[str, Any] | None = None) -> HTMLResponse:
    row = appointment_row(session, oc.case_id, appointment_id)
    staff = {s.code: f"{s.first_name} {s.last_name}" for s in wp.interviewers(session, actor, oc.case)}
    places = {loc.code: loc.name for loc in appts.list_locations(session)}
    start = local(row.starts_at)
    default = {"date": {"day": str(start.day), "month": str(start.month), "year": str(start.year)},
               "start": f"{start:%H:%M}", "minutes": str(_view(row, staff, places)["minutes"]),
               "contact_type": row.contact_type, "location_code": row.location_code or "",
               "interviewer_code": row.interviewer_code}
    return case_page(request, template, oc, actor, section, status=status, errors=errors,
                     appointment=_view(row, staff, places), values=values or default, outcomes=OUTCOMES,
                     **_booking_context(session, actor, oc))


@router.get("/cases/{crn}/appointments/{appointment_id}/rearrange")
def rearrange_page(request: Request, crn: str = CRN, appointment_id: int = an_id(), case_id: int | None = CASE,
                   session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = practice_actor(request, session)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="rearrange an appointment")
    return _appointment_page(request, session, actor, oc, appointment_id, "practice/rearrange.html",
                             "Rearrange an appointment", now)


@router.post("/cases/{crn}/appointments/{appointment_id}/rearrange")
async def rearrange(request: Request, crn: str = CRN, appointment_id: int = an_id(), case_id: int | None = CASE,
                    session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = practice_actor(request, session)
    form = await checked_form(request)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="rearrange an appointment")
    errors: dict[str, str] = {}
    booking = _read_booking(form, errors)
    reason = str(form.get("reason", "")).strip()
    if not reason:
        errors["reason"] = "Enter why the appointment is being rearranged"
    if booking is not None and not errors:
        try:
            appts.rearrange(session, actor, oc.case_id, appointment_id, booking, reason=reason, now=now)
        except (InvalidValue, Conflict) as exc:
            errors = form_error(exc, BOOKING_FIELDS, "date")
        else:
            flash(request, f"Appointment moved to {local(booking.starts_at):%-d %B %Y at %H:%M}")
            return redirect(oc, "/appointments")
    return _appointment_page(request, session, actor, oc, appointment_id, "practice/rearrange.html",
                             "Rearrange an appointment", now, status=400, errors=errors,
                             values=_form_values(form))


@router.get("/cases/{crn}/appointments/{appointment_id}/outcome")
def outcome_page(request: Request, crn: str = CRN, appointment_id: int = an_id(), case_id: int | None = CASE,
                 session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = practice_actor(request, session)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="record an outcome")
    return _appointment_page(request, session, actor, oc, appointment_id, "practice/outcome.html",
                             "Record an outcome", now)


@router.post("/cases/{crn}/appointments/{appointment_id}/outcome")
async def record_outcome(request: Request, crn: str = CRN, appointment_id: int = an_id(),
                         case_id: int | None = CASE, session: Session = Depends(get_session),
                         now: datetime = Depends(get_now)) -> Response:
    actor = practice_actor(request, session)
    form = await checked_form(request)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="record an outcome")
    errors: dict[str, str] = {}
    value = str(form.get("outcome", ""))
    if value not in dict(OUTCOMES):
        errors["outcome"] = "Select what happened at the appointment"
    notes = str(form.get("notes", "")).strip() or None
    account = str(form.get("account", "")).strip() or None
    for name, text in (("notes", notes), ("account", account)):
        if len(text or "") > 4000:
            errors[name] = f"{name.capitalize()} must be 4000 characters or fewer"
    if not errors:
        try:
            appts.record_outcome(session, actor, oc.case_id, appointment_id, outcome_value=Outcome(value),
                                 notes=notes, account=account, indicators=None, now=now)
        except (InvalidValue, Conflict) as exc:
            errors = form_error(exc, {"outcome": "outcome", "notes": "notes", "account": "account",
                                      "appointment_id": "outcome"}, "outcome")
        else:
            label = dict(OUTCOMES)[value].lower()
            extra = (" A failure to comply is recorded: see Compliance and letters for the action due."
                     if Outcome(value).is_failure else "")
            flash(request, f"Outcome recorded: {label}.{extra}")
            return redirect(oc, "/appointments")
    return _appointment_page(request, session, actor, oc, appointment_id, "practice/outcome.html",
                             "Record an outcome", now, status=400, errors=errors,
                             values={"outcome": value, "notes": notes or "", "account": account or ""})
