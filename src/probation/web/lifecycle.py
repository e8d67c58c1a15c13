"""Case lifecycle pages (issue 7 item 1): a team manager allocates or reallocates the offender
manager (for a woman, after recording the female offender options), a practitioner records the
induction, terminates the order and closes the case. Every change is services/cases.apply with
the API's command names and payloads; the case overview lists the actions the actor may take
(lifecycle/_actions.html, included by case.html) and shows the success banner."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from probation.api.deps import get_now, get_session
from probation.domain.case import INDUCTION_POINTS, Case, CaseStatus, TerminationReason
from probation.domain.errors import Conflict, DomainError, InvalidValue, NotFound
from probation.domain.people import Sex
from probation.domain.roles import Role
from probation.services import cases
from probation.services.context import Actor
from probation.web import lifecycle_view as wl
from probation.web.forms import checked_form, date_parts, flash, form_error, parse_form_date, take_flash
from probation.web.pages import TEMPLATES, render
from probation.web.practice import view as wp
from probation.web.practice.appointments import CASE, CRN
from probation.web.session import web_actor

router = APIRouter(include_in_schema=False)

# Allocation is the team manager's decision (and the administrator's); the practitioner's steps
# (induction, termination, closure) are open to the practice roles, as on the other case tabs.
ALLOCATORS = frozenset({Role.TEAM_MANAGER, Role.ADMINISTRATOR})
PRACTICE = wp.PRACTICE_ROLES
FLASH = "lifecycle_flash"  # its own session key: the overview shows it, the practice tabs do not

INDUCTION_LABELS = {
    "sentence": "The sentence: what the court ordered and how long it lasts",
    "obligations": "Their obligations: the requirements and keeping appointments",
    "rights": "Their rights: how they will be treated and how to complain",
    "consequences": "The consequences of not complying: warnings, breach and return to court",
}
TERMINATION_REASONS = [
    (TerminationReason.COMPLETED.value, "Completed: the order ran its full term"),
    (TerminationReason.REVOKED_EARLY.value, "Revoked early for good progress"),
    (TerminationReason.REVOKED_ON_BREACH.value, "Revoked on breach"),
]
YES_NO = [("yes", "Yes, accepted"), ("no", "No, declined")]


def lifecycle_actions(actor: Any, case: Case) -> list[tuple[str, str]]:
    """The lifecycle links the case overview offers this actor for this case: (label, href)."""
    if actor is None or case.id is None:
        return []
    query = f"?case={case.id}"
    base = f"/cases/{case.crn}"
    links: list[tuple[str, str]] = []
    if actor.role is Role.PROVIDER_STAFF:
        return [("Record appointment outcomes for this case", f"/deliveries?crn={case.crn}")]
    if case.status is CaseStatus.ACTIVE and actor.role in ALLOCATORS:
        if case.person_sex is Sex.FEMALE:
            links.append(("Record the female offender options" if case.female_options is None
                          else "Change the female offender options", f"{base}/female-options{query}"))
        links.append(("Allocate an offender manager" if case.offender_manager_code is None
                      else "Reallocate the offender manager", f"{base}/allocate{query}"))
    if actor.role in PRACTICE:
        if case.status is CaseStatus.ACTIVE:
            if case.offender_manager_code is not None and case.inducted_at is None:
                links.append(("Record the induction", f"{base}/induction{query}"))
            links.append(("Terminate the order", f"{base}/terminate{query}"))
        elif case.status is CaseStatus.TERMINATED:
            links.append(("Close the case", f"{base}/close{query}"))
    return links


# The overview (case.html) includes lifecycle/_actions.html, which calls these.
TEMPLATES.env.globals["lifecycle_actions"] = lifecycle_actions
TEMPLATES.env.globals["lifecycle_flash"] = lambda request: take_flash(request, key=FLASH)


def _open(request: Request, session: Session, crn: str, case_id: int | None, roles: frozenset[Role],
          page: str, now: datetime) -> tuple[Actor, wp.OpenCase]:
    """Signed in, in a role the page admits (403 otherwise), and the case visible (404 otherwise)."""
    actor = web_actor(request, session)
    wp.ensure_role(actor, roles, page)
    return actor, wp.open_case(session, actor, crn, case_id, now=now, what=page)


async def _submitted(request: Request, session: Session, crn: str, case_id: int | None,
                     roles: frozenset[Role], page: str, now: datetime) -> tuple[Actor, wp.OpenCase, Any]:
    """A form post: the actor and role first, then the CSRF token, then the case."""
    actor = web_actor(request, session)
    wp.ensure_role(actor, roles, page)
    form = await checked_form(request)
    return actor, wp.open_case(session, actor, crn, case_id, now=now, what=page), form


def _page(request: Request, template: str, actor: Actor, oc: wp.OpenCase, section: str, *, status: int = 200,
          errors: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    return render(request, template, status=status, actor=actor, oc=oc, section=section, errors=errors or {},
                  flash=take_flash(request, key=FLASH) if status == 200 else None, **context)


def _to(oc: wp.OpenCase, path: str = "") -> RedirectResponse:
    return RedirectResponse(f"/cases/{oc.crn}{path}" + (f"?case={oc.case_id}" if path else ""), status_code=303)


def _version(form: Any) -> int | None:
    raw = str(form.get("version", ""))
    return int(raw) if raw.isdigit() else None  # the case version the form was read at


def _message(exc: DomainError) -> str:
    return exc.message[:1].upper() + exc.message[1:]


# Female offender options -----------------------------------------------------------------------

def _female_page(request: Request, actor: Actor, oc: wp.OpenCase, *, status: int = 200,
                 errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> HTMLResponse:
    fo = oc.case.female_options
    default = {} if fo is None else {
        "female_offender_manager_accepted": "yes" if fo.female_offender_manager_accepted else "no",
        "female_only_environment_accepted": "yes" if fo.female_only_environment_accepted else "no"}
    return _page(request, "lifecycle/female_options.html", actor, oc, "Female offender options", status=status,
                 errors=errors, values=values if values is not None else default, yes_no=YES_NO)


def _ensure_woman(oc: wp.OpenCase) -> None:
    if oc.case.person_sex is not Sex.FEMALE:
        raise Conflict(f"{oc.name} is not a woman", field="crn", value=oc.crn,
                       rule="the female offender manager and environment offer is made to women")


@router.get("/cases/{crn}/female-options")
def female_options_page(request: Request, crn: str = CRN, case_id: int | None = CASE,
                        session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor, oc = _open(request, session, crn, case_id, ALLOCATORS, "the female offender options", now)
    _ensure_woman(oc)
    return _female_page(request, actor, oc)


@router.post("/cases/{crn}/female-options")
async def record_female_options(request: Request, crn: str = CRN, case_id: int | None = CASE,
                                session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor, oc, form = await _submitted(request, session, crn, case_id, ALLOCATORS, "the female offender options", now)
    _ensure_woman(oc)
    values = {k: str(form.get(k, "")) for k in ("female_offender_manager_accepted",
                                                 "female_only_environment_accepted")}
    errors: dict[str, str] = {}
    if values["female_offender_manager_accepted"] not in ("yes", "no"):
        errors["female_offender_manager_accepted"] = "Select whether she accepted a female offender manager"
    if values["female_only_environment_accepted"] not in ("yes", "no"):
        errors["female_only_environment_accepted"] = ("Select whether she accepted a female-only environment "
                                                      "for interviews")
    if not errors:
        try:
            cases.apply(session, actor, oc.case_id, "female-options",
                        {k: v == "yes" for k, v in values.items()}, now=now, expected_version=_version(form))
        except (InvalidValue, Conflict) as exc:
            errors = form_error(exc, {}, "female_offender_manager_accepted")
        else:
            flash(request, "Female offender options recorded", key=FLASH)
            return _to(oc, "/allocate") if oc.case.status is CaseStatus.ACTIVE else _to(oc)
    return _female_page(request, actor, oc, status=400, errors=errors, values=values)


# Allocation ------------------------------------------------------------------------------------

def _allocate_page(request: Request, session: Session, actor: Actor, oc: wp.OpenCase, *, status: int = 200,
                   errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> HTMLResponse:
    staff = wl.allocatable_staff(session, oc.case)
    return _page(request, "lifecycle/allocate.html", actor, oc, "Allocate an offender manager"
                 if oc.case.offender_manager_code is None else "Reallocate the offender manager",
                 status=status, errors=errors, values=values or {},
                 staff_options=[(s.code, f"{s.first_name} {s.last_name}") for s in staff],
                 women_only=wl.female_offender_manager_required(oc.case))


@router.get("/cases/{crn}/allocate")
def allocate_page(request: Request, crn: str = CRN, case_id: int | None = CASE,
                  session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor, oc = _open(request, session, crn, case_id, ALLOCATORS, "allocation", now)
    oc.case.ensure_open("allocate")
    if oc.case.person_sex is Sex.FEMALE and oc.case.female_options is None:
        # A woman is offered a female offender manager before she is allocated (Manage row 4).
        return _to(oc, "/female-options")
    return _allocate_page(request, session, actor, oc)


@router.post("/cases/{crn}/allocate")
async def allocate(request: Request, crn: str = CRN, case_id: int | None = CASE,
                   session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor, oc, form = await _submitted(request, session, crn, case_id, ALLOCATORS, "allocation", now)
    staff_code = str(form.get("staff_code", "")).strip()
    reason = str(form.get("reason", "")).strip()
    errors: dict[str, str] = {}
    proposed = {s.code: f"{s.first_name} {s.last_name}" for s in wl.allocatable_staff(session, oc.case)}
    if not staff_code:
        errors["staff_code"] = "Select an offender manager"
    elif staff_code not in proposed:
        # Allocation stays in the case's team (a move to another team is a transfer), and a woman
        # who accepted a female offender manager is proposed only women.
        errors["staff_code"] = "Select an offender manager from the list"
    if oc.case.offender_manager_code is not None and not reason:
        errors["reason"] = "Enter why the case is being reallocated"
    if len(reason) > 500:
        errors["reason"] = "The reason must be 500 characters or fewer"
    if not errors:
        try:
            cases.apply(session, actor, oc.case_id, "allocate", {"staff_code": staff_code, "reason": reason or None},
                        now=now, expected_version=_version(form))
        except (InvalidValue, Conflict, NotFound) as exc:
            errors = form_error(exc, {"staff_code": "staff_code", "female_options": "staff_code",
                                      "team_code": "staff_code", "version": "staff_code"}, "staff_code")
        else:
            flash(request, f"{oc.name}'s case is allocated to {proposed[staff_code]}", key=FLASH)
            return _to(oc)
    return _allocate_page(request, session, actor, oc, status=400, errors=errors,
                          values={"staff_code": staff_code, "reason": reason})


# Induction -------------------------------------------------------------------------------------

def _induction_page(request: Request, actor: Actor, oc: wp.OpenCase, *, status: int = 200,
                    errors: dict[str, str] | None = None, ticked: list[str] | None = None) -> HTMLResponse:
    return _page(request, "lifecycle/induction.html", actor, oc, "Record the induction", status=status,
                 errors=errors, ticked=ticked or [], points=list(INDUCTION_LABELS.items()))


@router.get("/cases/{crn}/induction")
def induction_page(request: Request, crn: str = CRN, case_id: int | None = CASE,
                   session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor, oc = _open(request, session, crn, case_id, PRACTICE, "the induction", now)
    return _induction_page(request, actor, oc)


@router.post("/cases/{crn}/induction")
async def record_induction(request: Request, crn: str = CRN, case_id: int | None = CASE,
                           session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor, oc, form = await _submitted(request, session, crn, case_id, PRACTICE, "the induction", now)
    ticked = [p for p in INDUCTION_POINTS if p in form.getlist("understood")]
    errors: dict[str, str] = {}
    missing = [p for p in INDUCTION_POINTS if p not in ticked]
    if missing:
        errors["understood"] = ("Confirm the person understands " + _listed(missing)
                                + " before recording the induction")
    else:
        try:
            cases.apply(session, actor, oc.case_id, "induction", {"understood": dict.fromkeys(ticked, True)},
                        now=now, expected_version=_version(form))
        except (InvalidValue, Conflict) as exc:
            errors = {"understood": _message(exc)}
        else:
            flash(request, f"Induction recorded: {oc.name} understands the sentence, obligations, rights "
                  "and consequences", key=FLASH)
            return _to(oc)
    return _induction_page(request, actor, oc, status=400, errors=errors, ticked=ticked)


def _listed(points: list[str]) -> str:
    words = {"sentence": "the sentence", "obligations": "their obligations", "rights": "their rights",
             "consequences": "the consequences of not complying"}
    names = [words[p] for p in points]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# Termination and closure -----------------------------------------------------------------------

def _terminate_page(request: Request, actor: Actor, oc: wp.OpenCase, *, status: int = 200,
                    errors: dict[str, str] | None = None, values: dict[str, Any] | None = None) -> HTMLResponse:
    return _page(request, "lifecycle/terminate.html", actor, oc, "Terminate the order", status=status,
                 errors=errors, values=values or {"on": {}}, reasons=TERMINATION_REASONS)


@router.get("/cases/{crn}/terminate")
def terminate_page(request: Request, crn: str = CRN, case_id: int | None = CASE,
                   session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor, oc = _open(request, session, crn, case_id, PRACTICE, "termination", now)
    oc.case.ensure_open("terminate")
    return _terminate_page(request, actor, oc)


@router.post("/cases/{crn}/terminate")
async def terminate(request: Request, crn: str = CRN, case_id: int | None = CASE,
                    session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor, oc, form = await _submitted(request, session, crn, case_id, PRACTICE, "termination", now)
    errors: dict[str, str] = {}
    reason = str(form.get("reason", ""))
    if reason not in dict(TERMINATION_REASONS):
        errors["reason"] = "Select why the order ended"
    on = parse_form_date(form, "on", "the date the order ended", errors)
    note = str(form.get("note", "")).strip()
    if len(note) > 500:
        errors["note"] = "The note must be 500 characters or fewer"
    if not errors:
        try:
            cases.apply(session, actor, oc.case_id, "terminate", {"reason": reason, "on": on, "note": note or None},
                        now=now, expected_version=_version(form))
        except (InvalidValue, Conflict) as exc:
            errors = form_error(exc, {"terminated_on": "on", "reason": "reason", "status": "reason",
                                      "version": "reason"}, "reason")
        else:
            label = dict(TERMINATION_REASONS)[reason].split(":")[0].lower()
            flash(request, f"Order terminated ({label}) on {on:%-d %B %Y}. Close the case when the records "
                  "are complete", key=FLASH)
            return _to(oc)
    return _terminate_page(request, actor, oc, status=400, errors=errors,
                           values={"reason": reason, "on": date_parts(form, "on"), "note": note})


@router.get("/cases/{crn}/close")
def close_page(request: Request, crn: str = CRN, case_id: int | None = CASE,
               session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor, oc = _open(request, session, crn, case_id, PRACTICE, "closure", now)
    return _page(request, "lifecycle/close.html", actor, oc, "Close the case",
                 reasons=dict(TERMINATION_REASONS))


@router.post("/cases/{crn}/close")
async def close(request: Request, crn: str = CRN, case_id: int | None = CASE,
                session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor, oc, form = await _submitted(request, session, crn, case_id, PRACTICE, "closure", now)
    try:
        cases.apply(session, actor, oc.case_id, "close", {}, now=now, expected_version=_version(form))
    except Conflict as exc:
        # The summary links to what the page shows for the case's state (the button, or why not).
        anchor = {CaseStatus.TERMINATED: "close", CaseStatus.ACTIVE: "not-terminated"}.get(oc.case.status, "closed")
        return _page(request, "lifecycle/close.html", actor, oc, "Close the case", status=400,
                     errors={anchor: _message(exc)}, reasons=dict(TERMINATION_REASONS))
    flash(request, f"{oc.name}'s case is closed", key=FLASH)
    return _to(oc)
