"""Police and partner liaison pages (issue 7 item 3): the inbox of notices sent to the user's own
organisation, a notice read in the page, reporting a violation of a non-EM exclusion requirement
for a person the force was told of, and each report's outcome once the offender manager decides.

Only police liaison users open these pages, and only their own organisation's records
(em/web/read_model.py and em/services/police.py filter by the user's organisation)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from probation.api.deps import get_now, get_session
from probation.domain.calendar import LONDON
from probation.domain.errors import Conflict, InvalidValue, NotFound
from probation.domain.roles import Role
from probation.em.services import police as em_police
from probation.em.web import read_model as we
from probation.services.context import Actor
from probation.web.forms import (
    attempt,
    checked_form,
    flash,
    form_error,
    form_id,
    form_values,
    parse_form_date,
    parse_time,
    take_flash,
)
from probation.web.nav import NavItem, item
from probation.web.pages import render
from probation.web.practice import view as wp
from probation.web.session import web_actor

router = APIRouter(include_in_schema=False)
POLICE = frozenset({Role.POLICE_LIAISON})

DECISIONS = {"no_action": "No further action", "warning": "Formal warning given",
             "breach": "Breach proceedings started"}
KINDS = {"commencement": "Exclusion started", "termination": "Exclusion ended",
         "violation_outcome": "Outcome of your report"}
REPORT_FIELDS = {"case_id": "case_id", "police_reference": "police_reference", "observed_at": "observed_date",
                 "location": "location", "details": "details", "police_org_code": "case_id"}


def police_actor(request: Request, session: Session) -> Actor:
    actor = web_actor(request, session)
    wp.ensure_role(actor, POLICE, "the police liaison pages")
    we.ensure_police(actor)
    return actor


@router.get("/police/notices")
def inbox(request: Request, session: Session = Depends(get_session),
          now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = police_actor(request, session)
    notices = em_police.list_notices(session, actor, now=now)
    return render(request, "police/inbox.html", actor=actor, notices=notices, kinds=KINDS)


@router.get("/police/notices/{notice_id}")
def notice_page(request: Request, notice_id: int = Path(..., ge=1, le=2**53),
                session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = police_actor(request, session)
    n = we.own_notice(session, actor, notice_id, now=now)
    reportable = n.kind == "commencement"
    return render(request, "police/notice.html", actor=actor, n=n, kinds=KINDS, body=we.notice_body(n.html),
                  reportable=reportable)


@router.get("/police/reports")
def reports_page(request: Request, session: Session = Depends(get_session),
                 now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = police_actor(request, session)
    reports = em_police.list_reports(session, actor, now=now)
    return render(request, "police/reports.html", actor=actor, reports=reports, decisions=DECISIONS,
                  flash=take_flash(request))


def _report_form(request: Request, session: Session, actor: Actor, now: datetime, *, status: int = 200,
                 errors: dict[str, str] | None = None, values: dict[str, Any] | None = None) -> HTMLResponse:
    cases = [(str(cid), subject) for cid, subject in
             we.reportable_cases(em_police.list_notices(session, actor, now=now))]
    return render(request, "police/report_new.html", status=status, actor=actor, cases=cases,
                  errors=errors or {}, values=values or {})


@router.get("/police/reports/new")
def report_new_page(request: Request, case: str = "", session: Session = Depends(get_session),
                    now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = police_actor(request, session)
    return _report_form(request, session, actor, now, values={"case_id": case[:20]})


@router.post("/police/reports/new")
async def report_new(request: Request, session: Session = Depends(get_session),
                     now: datetime = Depends(get_now)) -> Response:
    actor = police_actor(request, session)
    form = await checked_form(request)
    v = form_values(form)
    errors: dict[str, str] = {}
    case_id = form_id(v.get("case_id", ""))
    if case_id is None:
        errors["case_id"] = "Select the person you are reporting"
    reference, location = v.get("police_reference", "").strip(), v.get("location", "").strip()
    details = v.get("details", "").strip()
    if not reference:
        errors["police_reference"] = "Enter your police reference"
    elif len(reference) > 60:
        errors["police_reference"] = "Your reference must be 60 characters or fewer"
    day = parse_form_date(form, "observed_date", "the date the person was seen", errors)
    at = attempt(errors, "observed_time", lambda: parse_time(v.get("observed_time", ""), field="observed_time",
                                                             label="the time the person was seen"))
    if not location:
        errors["location"] = "Enter where the person was seen"
    elif len(location) > 200:
        errors["location"] = "The place must be 200 characters or fewer"
    if not details:
        errors["details"] = "Enter what was seen"
    elif len(details) > 4000:
        errors["details"] = "The details must be 4,000 characters or fewer"
    if not errors and case_id is not None:
        observed = datetime.combine(day, at, tzinfo=LONDON)
        try:
            report = em_police.report_violation(session, actor, case_id=case_id, police_reference=reference,
                                                observed_at=observed, location=location, details=details,
                                                police_org_code=None, now=now)
        except (InvalidValue, Conflict, NotFound) as exc:
            errors = form_error(exc, REPORT_FIELDS, "case_id")
            if exc.field == "observed_at":
                errors = {"observed_date": "The date and time the person was seen must be in the past"}
        else:
            flash(request, f"Violation report {reference} sent to the offender manager (report {report.id})")
            return RedirectResponse("/police/reports", status_code=303)
    v["observed_date"] = {p: str(form.get(f"observed_date-{p}", "")) for p in ("day", "month", "year")}
    return _report_form(request, session, actor, now, status=400, errors=errors, values=v)


# --------------------------------------------------------------------------- offender managers

MANAGERS = frozenset(em_police.LIAISON)  # offender managers, team managers, administrators

# The police's and the offender managers' menu entries; the application factory adds them to the
# service navigation.
MENU: tuple[NavItem, ...] = (
    item("Notices", "/police/notices", POLICE, order=20, prefix="/police/notices"),
    item("Violation reports", "/police/reports", POLICE, order=21, prefix="/police/reports"),
    item("Police reports", "/police-reports", MANAGERS, order=40, prefix="/police-reports"),
)
DECISION_OPTIONS = [("warning", "Give a formal warning"), ("breach", "Start breach proceedings"),
                    ("no_action", "No further action")]


def _decisions_page(request: Request, session: Session, actor: Actor, now: datetime, *, status: int = 200,
                    errors: dict[str, str] | None = None, values: dict[str, Any] | None = None) -> HTMLResponse:
    reports = em_police.list_reports(session, actor, now=now)
    names = we.case_names(session, {r.case_id for r in reports})
    return render(request, "police/decisions.html", status=status, actor=actor, reports=reports, names=names,
                  decisions=DECISIONS, options=DECISION_OPTIONS, errors=errors or {}, values=values or {},
                  flash=take_flash(request) if status == 200 else None)


@router.get("/police-reports")
def decisions_page(request: Request, session: Session = Depends(get_session),
                   now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = web_actor(request, session)
    wp.ensure_role(actor, MANAGERS, "police violation reports for decision")
    return _decisions_page(request, session, actor, now)


@router.post("/police-reports/{report_id}")
async def decide(request: Request, report_id: int = Path(..., ge=1, le=2**53),
                 session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = web_actor(request, session)
    wp.ensure_role(actor, MANAGERS, "police violation reports for decision")
    form = await checked_form(request)
    field, notes_field = f"decision-{report_id}", f"notes-{report_id}"
    decision, notes = str(form.get(field, "")), str(form.get(notes_field, "")).strip()
    errors: dict[str, str] = {}
    if decision not in dict(DECISION_OPTIONS):
        errors[field] = "Select the enforcement decision"
    if len(notes) > 4000:
        errors[notes_field] = "The notes must be 4,000 characters or fewer"
    if not errors:
        try:
            report = em_police.decide(session, actor, report_id, decision=decision, notes=notes or None,
                                      outbox_dir=request.app.state.settings.outbox_dir, now=now)
        except (InvalidValue, Conflict) as exc:
            errors = {field: exc.message[:1].upper() + exc.message[1:]}
        else:
            flash(request, f"Decision recorded on report {report.police_reference}; the outcome was sent to "
                  f"{report.police_org_code}")
            return RedirectResponse("/police-reports", status_code=303)
    return _decisions_page(request, session, actor, now, status=400, errors=errors,
                           values={field: decision, notes_field: notes})
