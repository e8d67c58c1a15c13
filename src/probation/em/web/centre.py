"""The EM monitoring centre's pages (issue 7 item 2): the live alert queue (refreshed by
static/em-queue.js from /em/queue.json, and by a refresh link without JavaScript), an alert with
its zone and trail drawn as a map and the acknowledge / assign / escalate / close form, the
installation and de-installation schedule, court notification queries and the enquiries log.

Only EM operators (and administrators) open these pages; the services decide everything."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from probation.api.deps import get_now, get_session
from probation.domain.calendar import LONDON
from probation.domain.errors import Conflict, InvalidValue, NotFound
from probation.domain.roles import Role
from probation.em.domain.alerts import AlertAction, Outcome
from probation.em.domain.visits import VisitPurpose
from probation.em.services import alerts as em_alerts
from probation.em.services import centre as em_centre
from probation.em.web import read_model as we
from probation.services.context import Actor
from probation.web.forms import (
    attempt,
    checked_form,
    flash,
    form_error,
    parse_form_date,
    parse_time,
    take_flash,
)
from probation.web.nav import NavItem, item
from probation.web.pages import render
from probation.web.practice import view as wp
from probation.web.session import web_actor

router = APIRouter(include_in_schema=False)
EM_CENTRE = frozenset({Role.EM_OPERATOR, Role.ADMINISTRATOR})
# The monitoring centre's menu entries; the application factory adds them to the service navigation.
MENU: tuple[NavItem, ...] = (
    item("Alerts", "/em/alerts", EM_CENTRE, order=30, prefix="/em/alerts"),
    item("EM schedule", "/em/schedule", EM_CENTRE, order=31, prefix="/em/schedule"),
    item("Court notifications", "/em/notifications", EM_CENTRE, order=32, prefix="/em/notif"),
    item("Enquiries", "/em/enquiries", EM_CENTRE, order=33, prefix="/em/enquiries"),
)

ALERT_ID = Path(..., min_length=1, max_length=24, pattern=r"^[A-Za-z0-9_-]+$")
ACTIONS = [(AlertAction.ACKNOWLEDGE.value, "Acknowledge"),
           (AlertAction.ASSIGN.value, "Assign to field staff"),
           (AlertAction.ESCALATE.value, "Escalate"),
           (AlertAction.CLOSE.value, "Close with an outcome")]
OUTCOMES = [(Outcome.VIOLATION_CONFIRMED.value, "Violation confirmed (goes on to enforcement)"),
            (Outcome.EXPLAINED.value, "Explained: a reasonable excuse was accepted"),
            (Outcome.FALSE_ALERT.value, "False alert (GPS drift or equipment error)"),
            (Outcome.EQUIPMENT_FIXED.value, "Equipment repaired or replaced"),
            (Outcome.NO_ACTION.value, "No action: information only")]
PURPOSES = [(VisitPurpose.INSTALLATION.value, "Installation"),
            (VisitPurpose.DE_INSTALLATION.value, "De-installation")]
SEXES = [("female", "Female"), ("male", "Male")]
CALLER_KINDS = [("offender", "The monitored person"), ("agency", "An agency (police, court, probation)"),
                ("field_staff", "Field staff")]
CHANNELS = [("phone", "Phone"), ("email", "Email"), ("web", "Web"), ("in_person", "In person")]
ALERT_FIELDS = {"action": "action", "to": "to", "outcome": "outcome", "note": "note"}
VISIT_FIELDS = {"start": "start_time", "end": "end_time", "staff": "staff_name", "staff.sex": "staff_sex",
                "reason": "reason", "case_id": "case_id", "crn": "case_id"}


def em_actor(request: Request, session: Session) -> Actor:
    actor = web_actor(request, session)
    wp.ensure_role(actor, EM_CENTRE, "the monitoring centre's pages")
    return actor


def _values(form: Any) -> dict[str, Any]:
    return {k: str(v) for k, v in form.items() if k != "csrf_token"}


# --------------------------------------------------------------------------- alert queue

def _queue(session: Session, actor: Actor, show: str, now: datetime) -> list[dict[str, Any]]:
    rows = em_alerts.list_alerts(session, actor, case_id=None, status="open" if show == "open" else None,
                                 limit=200, offset=0, now=now)
    names = we.case_names(session, {r.case_id for r in rows})
    return [we.alert_row(r, names) for r in rows]


@router.get("/em/alerts")
def queue_page(request: Request, show: str = Query("open", max_length=8),
               session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = em_actor(request, session)
    show = show if show in ("open", "all") else "open"
    return render(request, "em_centre/queue.html", actor=actor, items=_queue(session, actor, show, now),
                  show=show, flash=take_flash(request), as_of=now)


@router.get("/em/queue.json")
def queue_json(request: Request, show: str = Query("open", max_length=8),
               session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> JSONResponse:
    """The queue for em-queue.js (session cookie, same origin): each alert with its time in UTC
    (ISO 8601) and as shown in London time."""
    actor = em_actor(request, session)
    show = show if show in ("open", "all") else "open"
    items = _queue(session, actor, show, now)
    return JSONResponse({"items": items, "as_of": now.isoformat()},
                        headers={"Cache-Control": "no-store"})


# --------------------------------------------------------------------------- one alert

def _alert_page(request: Request, session: Session, actor: Actor, alert_id: str, now: datetime, *,
                status: int = 200, errors: dict[str, str] | None = None,
                values: dict[str, Any] | None = None) -> HTMLResponse:
    row, history = em_alerts.get_alert(session, actor, alert_id, now=now)
    names = we.case_names(session, {row.case_id})
    svg, positions = we.alert_map_svg(session, row)
    return render(request, "em_centre/alert.html", status=status, actor=actor, a=row,
                  who=names.get(row.case_id), history=history, map_svg=svg, positions=positions,
                  view=em_alerts.alert_view(row), errors=errors or {}, values=values or {},
                  actions=ACTIONS, outcomes=OUTCOMES, flash=take_flash(request) if status == 200 else None,
                  at=row.alert_at, superseded_at=row.superseded_at, window=we.WINDOW)


@router.get("/em/alerts/{alert_id}")
def alert_page(request: Request, alert_id: str = ALERT_ID, session: Session = Depends(get_session),
               now: datetime = Depends(get_now)) -> HTMLResponse:
    return _alert_page(request, session, em_actor(request, session), alert_id, now)


@router.post("/em/alerts/{alert_id}")
async def alert_action(request: Request, alert_id: str = ALERT_ID, session: Session = Depends(get_session),
                       now: datetime = Depends(get_now)) -> Response:
    actor = em_actor(request, session)
    form = await checked_form(request)
    action, outcome = str(form.get("action", "")), str(form.get("outcome", ""))
    to, note = str(form.get("to", "")).strip(), str(form.get("note", "")).strip()
    errors: dict[str, str] = {}
    if action not in dict(ACTIONS):
        errors["action"] = "Select what to do with the alert"
    if action in ("assign", "escalate") and not to:
        errors["to"] = f"Enter who the alert is {'assigned' if action == 'assign' else 'escalated'} to"
    if len(to) > 100:
        errors["to"] = "Who the alert goes to must be 100 characters or fewer"
    if action == "close" and outcome not in dict(OUTCOMES):
        errors["outcome"] = "Select the outcome of the alert"
    if len(note) > 1000:
        errors["note"] = "The note must be 1,000 characters or fewer"
    if not errors:
        try:
            em_alerts.act(session, actor, alert_id, action=action, to=to or None,
                          outcome=Outcome(outcome) if action == "close" else None, note=note or None,
                          now=now)
        except (InvalidValue, Conflict) as exc:
            errors = form_error(exc, ALERT_FIELDS, "action")
        else:
            done = {"acknowledge": "acknowledged", "assign": f"assigned to {to}",
                    "escalate": f"escalated to {to}", "close": f"closed: {dict(OUTCOMES).get(outcome, '')}"}
            flash(request, f"Alert {alert_id} {done[action]}")
            target = "/em/alerts" if action == "close" else f"/em/alerts/{alert_id}"
            return RedirectResponse(target, status_code=303)
    return _alert_page(request, session, actor, alert_id, now, status=400, errors=errors,
                       values=_values(form))


# --------------------------------------------------------------------------- schedule

@router.get("/em/schedule")
def schedule_page(request: Request, show: str = Query("scheduled", max_length=10),
                  session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = em_actor(request, session)
    show = show if show in ("scheduled", "all") else "scheduled"
    visits = we.schedule(session, actor, include_made=show == "all", now=now)
    names = we.case_names(session, {v.case_id for v in visits})
    return render(request, "em_centre/schedule.html", actor=actor, visits=visits, names=names, show=show,
                  purposes=dict(PURPOSES), flash=take_flash(request))


def _visit_form(request: Request, session: Session, actor: Actor, now: datetime, *, status: int = 200,
                errors: dict[str, str] | None = None, values: dict[str, Any] | None = None) -> HTMLResponse:
    cases = [(str(c.case_id), f"{c.name} ({c.crn})") for c in we.em_case_choices(session, actor, now=now)]
    return render(request, "em_centre/visit_new.html", status=status, actor=actor, cases=cases,
                  purposes=PURPOSES, sexes=SEXES, errors=errors or {}, values=values or {})


@router.get("/em/schedule/new")
def visit_new_page(request: Request, session: Session = Depends(get_session),
                   now: datetime = Depends(get_now)) -> HTMLResponse:
    return _visit_form(request, session, em_actor(request, session), now)


@router.post("/em/schedule/new")
async def visit_new(request: Request, session: Session = Depends(get_session),
                    now: datetime = Depends(get_now)) -> Response:
    actor = em_actor(request, session)
    form = await checked_form(request)
    v = _values(form)
    errors: dict[str, str] = {}
    case_ids = {str(c.case_id) for c in we.em_case_options(session, actor)}
    if v.get("case_id", "") not in case_ids:
        errors["case_id"] = "Select the person the visit is for"
    if v.get("purpose", "") not in dict(PURPOSES):
        errors["purpose"] = "Select installation or de-installation"
    day = parse_form_date(form, "visit_date", "the date of the visit", errors)
    start = attempt(errors, "start_time", lambda: parse_time(v.get("start_time", ""), field="start_time",
                                                             label="the start time"))
    end = attempt(errors, "end_time", lambda: parse_time(v.get("end_time", ""), field="end_time",
                                                         label="the end time"))
    staff = []
    for name_key, sex_key, first in (("staff_name", "staff_sex", True), ("second_name", "second_sex", False)):
        name, sex = v.get(name_key, "").strip(), v.get(sex_key, "")
        if not name and not first and not sex:
            continue
        if not name:
            errors[name_key] = "Enter the name of the member of staff who will attend"
        elif len(name) > 200:
            errors[name_key] = "The name must be 200 characters or fewer"
        if sex not in dict(SEXES):
            errors[sex_key] = "Select the sex of the member of staff"
        staff.append({"name": name, "sex": sex})
    reason = v.get("reason", "").strip() or None
    if reason and len(reason) > 500:
        errors["reason"] = "The reason must be 500 characters or fewer"
    if not errors:
        begin = datetime.combine(day, start, tzinfo=LONDON)
        finish = datetime.combine(day, end, tzinfo=LONDON)
        try:
            row = em_centre.schedule_visit(session, actor, int(v["case_id"]), purpose=VisitPurpose(v["purpose"]),
                                           start=begin, end=finish, staff=staff, reason=reason, alert_id=None,
                                           now=now)
        except (InvalidValue, Conflict, NotFound) as exc:
            errors = form_error(exc, VISIT_FIELDS, "purpose")
        else:
            flash(request, f"{dict(PURPOSES)[row.purpose]} visit booked for "
                  f"{begin:%-d %B %Y} at {begin:%H:%M}")
            return RedirectResponse("/em/schedule", status_code=303)
    v["visit_date"] = {p: str(form.get(f"visit_date-{p}", "")) for p in ("day", "month", "year")}
    return _visit_form(request, session, actor, now, status=400, errors=errors, values=v)


# --------------------------------------------------------------------------- notification queries

def _notifications_page(request: Request, session: Session, actor: Actor, now: datetime, show: str, *,
                        status: int = 200, errors: dict[str, str] | None = None,
                        values: dict[str, Any] | None = None) -> HTMLResponse:
    items = em_centre.list_notifications(session, actor, open_only=show == "open", now=now)
    return render(request, "em_centre/notifications.html", status=status, actor=actor, items=items, show=show,
                  errors=errors or {}, values=values or {}, flash=take_flash(request) if status == 200 else None,
                  today=now.astimezone(LONDON).date().isoformat())


@router.get("/em/notifications")
def notifications_page(request: Request, show: str = Query("open", max_length=8),
                       session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = em_actor(request, session)
    return _notifications_page(request, session, actor, now, show if show in ("open", "all") else "open")


@router.post("/em/notification-queries/{query_id}")
async def resolve_query(request: Request, query_id: int = Path(..., ge=1, le=2**53),
                        session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = em_actor(request, session)
    form = await checked_form(request)
    field = f"resolution-{query_id}"
    resolution = str(form.get(field, "")).strip()
    errors: dict[str, str] = {}
    if not resolution:
        errors[field] = "Enter how the query was resolved"
    elif len(resolution) > 2000:
        errors[field] = "The resolution must be 2,000 characters or fewer"
    if not errors:
        try:
            em_centre.resolve_query(session, actor, query_id, resolution=resolution, case_id=None, now=now)
        except (InvalidValue, Conflict) as exc:
            errors = {field: exc.message[:1].upper() + exc.message[1:]}
        else:
            flash(request, f"Query {query_id} resolved")
            return RedirectResponse("/em/notifications", status_code=303)
    return _notifications_page(request, session, actor, now, "open", status=400, errors=errors,
                               values={field: resolution})


# --------------------------------------------------------------------------- enquiries log

def _enquiries_page(request: Request, session: Session, actor: Actor, now: datetime, *, status: int = 200,
                    errors: dict[str, str] | None = None, values: dict[str, Any] | None = None) -> HTMLResponse:
    rows = em_centre.list_enquiries(session, actor, open_only=False, now=now)
    names = we.case_names(session, {e.case_id for e in rows if e.case_id})
    return render(request, "em_centre/enquiries.html", status=status, actor=actor, rows=rows, names=names,
                  caller_kinds=CALLER_KINDS, channels=CHANNELS, errors=errors or {}, values=values or {},
                  flash=take_flash(request) if status == 200 else None)


@router.get("/em/enquiries")
def enquiries_page(request: Request, session: Session = Depends(get_session),
                   now: datetime = Depends(get_now)) -> HTMLResponse:
    return _enquiries_page(request, session, em_actor(request, session), now)


@router.post("/em/enquiries")
async def log_enquiry(request: Request, session: Session = Depends(get_session),
                      now: datetime = Depends(get_now)) -> Response:
    actor = em_actor(request, session)
    form = await checked_form(request)
    v = _values(form)
    errors: dict[str, str] = {}
    if v.get("caller_kind", "") not in dict(CALLER_KINDS):
        errors["caller_kind"] = "Select who made the enquiry"
    caller, subject = v.get("caller", "").strip(), v.get("subject", "").strip()
    details, crn = v.get("details", "").strip(), v.get("crn", "").strip()
    if not caller:
        errors["caller"] = "Enter the caller's name"
    elif len(caller) > 200:
        errors["caller"] = "The caller's name must be 200 characters or fewer"
    if v.get("channel", "") not in dict(CHANNELS):
        errors["channel"] = "Select how the enquiry came in"
    if not subject:
        errors["subject"] = "Enter what the enquiry is about"
    elif len(subject) > 200:
        errors["subject"] = "The subject must be 200 characters or fewer"
    if len(details) > 4000:
        errors["details"] = "The details must be 4,000 characters or fewer"
    case_id = None
    if crn:
        case_id = we.case_by_crn(session, actor, crn)
        if case_id is None:
            errors["crn"] = f"There is no monitored person with the case reference {crn[:20]}"
    if not errors:
        row = em_centre.log_enquiry(session, actor, caller_kind=v["caller_kind"], caller=caller,
                                    channel=v["channel"], case_id=case_id, subject=subject,
                                    details=details or None, received_at=None, now=now)
        flash(request, f"Enquiry {row.id} logged")
        return RedirectResponse("/em/enquiries", status_code=303)
    return _enquiries_page(request, session, actor, now, status=400, errors=errors, values=v)


@router.post("/em/enquiries/{enquiry_id}/response")
async def answer_enquiry(request: Request, enquiry_id: int = Path(..., ge=1, le=2**53),
                         session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = em_actor(request, session)
    form = await checked_form(request)
    field = f"response-{enquiry_id}"
    response = str(form.get(field, "")).strip()
    errors: dict[str, str] = {}
    if not response:
        errors[field] = "Enter the answer given"
    elif len(response) > 4000:
        errors[field] = "The answer must be 4,000 characters or fewer"
    if not errors:
        try:
            em_centre.respond_enquiry(session, actor, enquiry_id, response=response, now=now)
        except Conflict as exc:
            errors = {field: exc.message[:1].upper() + exc.message[1:]}
        else:
            flash(request, f"Enquiry {enquiry_id} answered")
            return RedirectResponse("/em/enquiries", status_code=303)
    return _enquiries_page(request, session, actor, now, status=400, errors=errors, values={field: response})
