"""The NPS risk team's pages (issue 7 item 4): the queue of escalations referred by contracted
providers, oldest first, and the decision on each (take responsibility, with the NPS team the case
transfers to, or keep it with the provider, with a planned review of risk)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from probation.adapters.db.tables import CaseRow, OrganisationRow
from probation.api.deps import get_now, get_session
from probation.domain.errors import Conflict, InvalidValue
from probation.domain.protection.escalation import EscalationStatus, NpsDecision
from probation.domain.risk.rosh import RoshLevel
from probation.domain.roles import Role
from probation.services.context import Actor
from probation.services.protection import escalation
from probation.web.forms import checked_form, flash, form_error, form_values, parse_form_date, take_flash
from probation.web.pages import render
from probation.web.practice import view as wp
from probation.web.session import web_actor

router = APIRouter(include_in_schema=False)
RISK_TEAM = frozenset({Role.NPS_RISK, Role.ADMINISTRATOR})

STATUSES = [(s.value, s.value.capitalize()) for s in EscalationStatus]
DECISIONS = [(NpsDecision.TAKE_RESPONSIBILITY.value, "The NPS takes responsibility (RoSH high or very high)"),
             (NpsDecision.KEEP_WITH_PROVIDER.value, "Keep with the provider, with a planned review of risk")]
LEVELS = [(r.value, r.value.replace("_", " ").capitalize()) for r in RoshLevel]
FIELDS = {"decision": "decision", "assessed_rosh": "assessed_rosh", "rationale": "rationale",
          "to_team_code": "to_team_code", "planned_review_date": "planned_review_date", "status": "decision"}


def _actor(request: Request, session: Session) -> Actor:
    actor = web_actor(request, session)
    wp.ensure_role(actor, RISK_TEAM, "the NPS risk team's pages")
    return actor


@router.get("/risk-team/escalations")
def queue_page(request: Request, status: str = Query("referred", max_length=16),
               session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = _actor(request, session)
    if status not in dict(STATUSES):
        status = "referred"
    rows = escalation.queue(session, actor, status=status, now=now)
    names = wp.person_names(session, {c.person_id for _, c in rows})
    orgs = {o.code: o.name for o in session.query(OrganisationRow)}
    items = [{"e": e, "crn": c.crn, "name": names.get(c.person_id, ""), "provider": orgs.get(e.organisation_code,
              e.organisation_code)} for e, c in rows]
    return render(request, "risk_team/queue.html", actor=actor, items=items, shown=status, statuses=STATUSES,
                  flash=take_flash(request))


def _decision_page(request: Request, session: Session, actor: Actor, escalation_id: int, now: datetime, *,
                   status: int = 200, errors: dict[str, str] | None = None,
                   values: dict[str, Any] | None = None) -> HTMLResponse:
    e = escalation.get(session, actor, escalation_id, now=now)
    case = session.get(CaseRow, e.case_id)
    assert case is not None
    name = wp.person_names(session, {case.person_id}).get(case.person_id, "")
    provider = session.get(OrganisationRow, e.organisation_code)
    return render(request, "risk_team/decision.html", status=status, actor=actor, e=e, crn=case.crn, person_name=name,
                  provider=provider.name if provider else e.organisation_code, errors=errors or {},
                  decisions=DECISIONS, levels=LEVELS, values=values or {},
                  team_options=[(t.code, t.name) for t in wp.nps_teams(session)])


@router.get("/risk-team/escalations/{escalation_id}")
def decision_page(request: Request, escalation_id: int = Path(..., ge=1, le=2**53),
                  session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = _actor(request, session)
    return _decision_page(request, session, actor, escalation_id, now)


@router.post("/risk-team/escalations/{escalation_id}")
async def decide(request: Request, escalation_id: int = Path(..., ge=1, le=2**53),
                 session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = _actor(request, session)
    form = await checked_form(request)
    decision, rosh = str(form.get("decision", "")), str(form.get("assessed_rosh", ""))
    rationale = str(form.get("rationale", "")).strip()
    team = str(form.get("to_team_code", "")).strip() or None
    errors: dict[str, str] = {}
    if decision not in dict(DECISIONS):
        errors["decision"] = "Select the NPS decision"
    if rosh not in dict(LEVELS):
        errors["assessed_rosh"] = "Select the risk of serious harm the NPS assessed"
    if not rationale:
        errors["rationale"] = "Enter the reasons for the decision"
    review = None
    if decision == NpsDecision.TAKE_RESPONSIBILITY.value and not team:
        errors["to_team_code"] = "Select the NPS team the case transfers to"
    if decision == NpsDecision.KEEP_WITH_PROVIDER.value:
        review = parse_form_date(form, "planned_review_date", "the date of the planned review of risk", errors)
        team = None
    if not errors:
        try:
            escalation.decide(session, actor, escalation_id, decision=decision, assessed_rosh=rosh,
                              rationale=rationale, to_team_code=team, planned_review_date=review, now=now)
        except (InvalidValue, Conflict) as exc:
            errors = form_error(exc, FIELDS, "decision")
        else:
            flash(request, f"Decision recorded on escalation {escalation_id}: "
                  + ("the NPS takes responsibility and the transfer is requested"
                     if decision == NpsDecision.TAKE_RESPONSIBILITY.value else "the case stays with the provider"))
            return RedirectResponse("/risk-team/escalations", status_code=303)
    values: dict[str, Any] = form_values(form)
    values["planned_review_date"] = {p: str(form.get(f"planned_review_date-{p}", "")) for p in ("day", "month", "year")}
    return _decision_page(request, session, actor, escalation_id, now, status=400, errors=errors, values=values)
