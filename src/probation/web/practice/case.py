"""The practitioner's case pages beyond appointments and enforcement: risk and flags (with the
provider's escalation to the NPS and acting on its decision), the plan and its reviews, the case's
obligations, and transfer to another team."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from probation.api.deps import get_now, get_session
from probation.domain.errors import Conflict, InvalidValue, NotFound
from probation.domain.protection.plans import NeedArea, ReviewReason
from probation.services import cases
from probation.services.context import Actor
from probation.services.protection import escalation as protection_escalation
from probation.services.protection import plans as protection_plans
from probation.services.protection import risk as protection
from probation.web.forms import checked_form, date_parts, flash, form_error, form_values, parse_form_date
from probation.web.practice import view as wp
from probation.web.practice.appointments import CASE, CRN, an_id, case_page, practice_actor, redirect

router = APIRouter(include_in_schema=False)
OBJECTIVE_ROWS = 4
REASONS = [(r.value, r.value.replace("_", " ").capitalize().replace("Rosh", "RoSH")) for r in ReviewReason]


# Risk -------------------------------------------------------------------------------------------

def _risk_page(request: Request, session: Session, actor: Actor, oc: wp.OpenCase, now: datetime, *,
               status: int = 200, errors: dict[str, str] | None = None,
               values: dict[str, Any] | None = None) -> HTMLResponse:
    summary = protection.risk_summary(session, actor, oc.case_id, now=now)
    return case_page(request, "practice/risk.html", oc, actor, "Risk and flags", status=status, errors=errors,
                     risk=summary, escalations=wp.escalations(session, oc.case_id),
                     can_escalate=wp.contracted(session, oc.case) and actor.role in wp.PRACTICE_ROLES,
                     can_act=actor.role in wp.PRACTICE_ROLES, values=values or {})


@router.get("/cases/{crn}/risk")
def risk_page(request: Request, crn: str = CRN, case_id: int | None = CASE,
              session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = practice_actor(request, session, wp.RISK_READERS, "the risk page")
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="risk page")
    return _risk_page(request, session, actor, oc, now)


@router.post("/cases/{crn}/risk/escalations")
async def raise_escalation(request: Request, crn: str = CRN, case_id: int | None = CASE,
                           session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = practice_actor(request, session)
    form = await checked_form(request)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="risk escalation")
    concern, evidence = str(form.get("concern", "")).strip(), str(form.get("evidence", "")).strip()
    refer = str(form.get("refer", ""))
    errors: dict[str, str] = {}
    if not concern:
        errors["concern"] = "Enter the concern that risk of serious harm may be escalating"
    if not evidence:
        errors["evidence"] = "Enter the evidence for the concern"
    if refer not in ("yes", "no"):
        errors["refer"] = "Select whether to refer the case to the NPS now"
    if not errors:
        try:
            protection_escalation.indicate(session, actor, oc.case_id, concern=concern, evidence=evidence,
                                           refer=refer == "yes", now=now)
        except (InvalidValue, Conflict) as exc:
            errors = form_error(exc, {"concern": "concern", "evidence": "evidence"}, "concern")
        else:
            flash(request, "Risk escalation referred to the NPS risk team" if refer == "yes"
                  else "Risk escalation recorded; refer it to the NPS when ready")
            return redirect(oc, "/risk")
    return _risk_page(request, session, actor, oc, now, status=400, errors=errors,
                      values={"concern": concern, "evidence": evidence, "refer": refer})


@router.post("/cases/{crn}/risk/escalations/{escalation_id}/{step}")
async def escalation_step(request: Request, step: str, crn: str = CRN, escalation_id: int = an_id(),
                          case_id: int | None = CASE, session: Session = Depends(get_session),
                          now: datetime = Depends(get_now)) -> Response:
    """`refer` an indicated escalation, or `action` the NPS decision (with a note)."""
    actor = practice_actor(request, session)
    form = await checked_form(request)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="risk escalation")
    if escalation_id not in {e.id for e in wp.escalations(session, oc.case_id)} or step not in ("refer", "action"):
        raise NotFound(f"no risk escalation {escalation_id} on {crn}", field="escalation_id", value=escalation_id,
                       rule="the escalation must exist on this case")
    note = str(form.get("note", "")).strip()
    errors: dict[str, str] = {}
    try:
        if step == "refer":
            protection_escalation.refer_escalation(session, actor, escalation_id, now=now)
        elif not note:
            errors["note"] = "Enter what you have done in response to the NPS decision"
        else:
            protection_escalation.act_on_decision(session, actor, escalation_id, note=note, now=now)
    except (InvalidValue, Conflict) as exc:
        errors = form_error(exc, {"note": "note"}, "note")
    if errors:
        return _risk_page(request, session, actor, oc, now, status=400, errors=errors, values={"note": note})
    flash(request, "Escalation referred to the NPS risk team" if step == "refer" else "NPS decision actioned")
    return redirect(oc, "/risk")


# Plan -------------------------------------------------------------------------------------------

def _links(oc: wp.OpenCase) -> list[tuple[str, str]]:
    reqs = [(f"requirement:{r.type.value}", f"Requirement: {r.type.label}") for r in oc.case.sentence.requirements]
    needs = [(f"need:{n.value}", "Need: " + n.value.replace("_", " ")) for n in NeedArea]
    return reqs + needs


def _plan_page(request: Request, session: Session, actor: Actor, oc: wp.OpenCase, now: datetime, *,
               status: int = 200, errors: dict[str, str] | None = None,
               values: dict[str, Any] | None = None) -> HTMLResponse:
    try:
        plan = protection_plans.get_plan(session, actor, oc.case_id, now=now)
    except NotFound:
        plan = None
    return case_page(request, "practice/plan.html", oc, actor, "Plan and reviews", status=status, errors=errors,
                     plan=plan, links=_links(oc), rows=range(1, OBJECTIVE_ROWS + 1), reasons=REASONS,
                     values=values or {})


@router.get("/cases/{crn}/plan")
def plan_page(request: Request, crn: str = CRN, case_id: int | None = CASE,
              session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = practice_actor(request, session)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="plan page")
    return _plan_page(request, session, actor, oc, now)


def _objectives(form: Any, errors: dict[str, str], *, required: bool) -> list[dict[str, Any]] | None:
    items = []
    for i in range(1, OBJECTIVE_ROWS + 1):
        text, link = str(form.get(f"objective-{i}", "")).strip(), str(form.get(f"link-{i}", ""))
        if not text and not link:
            continue
        if not text:
            errors[f"objective-{i}"] = f"Enter objective {i}"
        if not link:
            errors[f"link-{i}"] = f"Select the requirement or need objective {i} addresses"
            continue
        kind, _, value = link.partition(":")
        items.append({"description": text, "requirement": value if kind == "requirement" else None,
                      "need_area": value if kind == "need" else None})
    if not items and required:
        errors["objective-1"] = "Enter at least one objective"
    return items or None


def _agreement(form: Any, errors: dict[str, str]) -> tuple[bool, str | None]:
    agreed = str(form.get("agreed", ""))
    comments = str(form.get("person_comments", "")).strip() or None
    if agreed not in ("yes", "no"):
        errors["agreed"] = "Select whether the person agrees with the plan"
    elif agreed == "no" and not comments:
        errors["person_comments"] = "Enter why the person does not agree"
    return agreed == "yes", comments


PLAN_FIELDS = {"objectives": "objective-1", "objectives.description": "objective-1",
               "objectives.requirement": "link-1", "person_comments": "person_comments",
               "completed_on": "plan_date", "reviewed_on": "review_date", "reasons": "reasons",
               "case_id": "plan_date"}


def _values(form: Any, *dates: str) -> dict[str, Any]:
    values: dict[str, Any] = form_values(form)
    values["reasons"] = [str(v) for v in form.getlist("reasons")]
    for d in dates:
        values[d] = date_parts(form, d)
    return values


@router.post("/cases/{crn}/plan")
async def create_plan(request: Request, crn: str = CRN, case_id: int | None = CASE,
                      session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = practice_actor(request, session)
    form = await checked_form(request)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="plan")
    errors: dict[str, str] = {}
    on = parse_form_date(form, "plan_date", "the date the plan was completed", errors)
    objectives = _objectives(form, errors, required=True)
    agreed, comments = _agreement(form, errors)
    if not errors:
        try:
            protection_plans.create_plan(session, actor, oc.case_id, completed_on=on, objectives=objectives or [],
                                         agreed=agreed, person_comments=comments, now=now)
        except (InvalidValue, Conflict) as exc:
            errors = form_error(exc, PLAN_FIELDS, "plan_date")
        else:
            flash(request, f"Plan recorded with {len(objectives or [])} objective(s)")
            return redirect(oc, "/plan")
    return _plan_page(request, session, actor, oc, now, status=400, errors=errors, values=_values(form, "plan_date"))


@router.post("/cases/{crn}/plan/reviews")
async def review_plan(request: Request, crn: str = CRN, case_id: int | None = CASE,
                      session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = practice_actor(request, session)
    form = await checked_form(request)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="plan review")
    errors: dict[str, str] = {}
    on = parse_form_date(form, "review_date", "the date of the review", errors)
    reasons = [str(v) for v in form.getlist("reasons")]
    if not reasons:
        errors["reasons"] = "Select why the plan is being reviewed"
    objectives = _objectives(form, errors, required=False)
    agreed, comments = _agreement(form, errors)
    notes = str(form.get("notes", "")).strip() or None
    if not errors:
        try:
            protection_plans.review_plan(session, actor, oc.case_id, reviewed_on=on, reasons=reasons,
                                         objectives=objectives, agreed=agreed, person_comments=comments,
                                         notes=notes, now=now)
        except (InvalidValue, Conflict) as exc:
            errors = form_error(exc, PLAN_FIELDS, "review_date")
        else:
            flash(request, "Plan review recorded")
            return redirect(oc, "/plan")
    return _plan_page(request, session, actor, oc, now, status=400, errors=errors,
                      values=_values(form, "review_date"))


# Obligations ------------------------------------------------------------------------------------

@router.get("/cases/{crn}/obligations")
def obligations_page(request: Request, crn: str = CRN, case_id: int | None = CASE,
                     session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = practice_actor(request, session)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="obligations page")
    result = wp.due_obligations(session, actor, oc.case_id, now=now)
    order = {"overdue": 0, "due": 1, "not_yet_due": 2, "met_late": 3, "met": 4}
    items = sorted(((o, result.rows[(o.spec_id, o.row)]) for o in result.obligations
                    if o.status.value != "not_applicable"),
                   key=lambda p: (order.get(p[0].status.value, 9), p[0].due or result.as_of, p[0].spec_id, p[0].row))
    return case_page(request, "practice/obligations.html", oc, actor, "Obligations", items=items,
                     as_of=result.as_of, overdue=sum(1 for o, _ in items if o.status.value == "overdue"))


# Transfer ---------------------------------------------------------------------------------------

def _transfer_page(request: Request, session: Session, actor: Actor, oc: wp.OpenCase, *, status: int = 200,
                   errors: dict[str, str] | None = None, values: dict[str, Any] | None = None) -> HTMLResponse:
    team_names = {t.code: t.name for t in wp.teams(session)}
    return case_page(request, "practice/transfer.html", oc, actor, "Transfer", status=status, errors=errors,
                     team_options=[(t.code, t.name) for t in wp.teams(session, excluding=oc.case.team_code)],
                     court_options=[(c.code, c.name) for c in wp.courts(session)], team_names=team_names,
                     values=values or {})


@router.get("/cases/{crn}/transfer")
def transfer_page(request: Request, crn: str = CRN, case_id: int | None = CASE,
                  session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = practice_actor(request, session)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="transfer page")
    return _transfer_page(request, session, actor, oc)


@router.post("/cases/{crn}/transfer")
async def request_transfer(request: Request, crn: str = CRN, case_id: int | None = CASE,
                           session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = practice_actor(request, session)
    form = await checked_form(request)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="transfer")
    team, court = str(form.get("to_team_code", "")), str(form.get("to_court_code", "")) or None
    reason = str(form.get("reason", "")).strip()
    errors: dict[str, str] = {}
    if not team:
        errors["to_team_code"] = "Select the team the case transfers to"
    if not reason:
        errors["reason"] = "Enter why the case is transferring"
    raw_version = str(form.get("version", ""))
    version = int(raw_version) if raw_version.isdigit() else None  # the version the form was read at
    if not errors:
        try:
            cases.apply(session, actor, oc.case_id, "transfer",
                        {"to_team_code": team, "to_court_code": court, "reason": reason}, now=now,
                        expected_version=version)
        except (InvalidValue, Conflict, NotFound) as exc:
            errors = form_error(exc, {"to_team_code": "to_team_code", "to_court_code": "to_court_code",
                                      "reason": "reason", "pending_transfer": "to_team_code",
                                      "version": "to_team_code"}, "to_team_code")
        else:
            flash(request, "Transfer requested: the receiving team accepts or rejects it")
            return redirect(oc, "/transfer")
    return _transfer_page(request, session, actor, oc, status=400, errors=errors,
                          values={"to_team_code": team, "to_court_code": court or "", "reason": reason})
