"""Compliance and enforcement on the practitioner's case pages: the compliance summary, RAR days,
the enforcement decision the policy calls for, and the warning and breach letters it produces
(HTML, PDF, sent by email or marked for posting, with the delivery log)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from probation.adapters.email_outbox import mailer_for
from probation.api.deps import get_now, get_session
from probation.api.security_headers import document
from probation.domain.delivery.enforcement import Action
from probation.domain.errors import Conflict, InvalidValue
from probation.services import letters
from probation.services.context import Actor
from probation.services.delivery import appointments as appts
from probation.services.delivery import enforcement
from probation.services.delivery.common import day_of, rar_requirement
from probation.web.forms import checked_form, flash, form_error
from probation.web.practice import view as wp
from probation.web.practice.appointments import CASE, CRN, an_id, case_page, practice_actor, redirect

router = APIRouter(include_in_schema=False)
ACTIONS = [(Action.WARNING_LETTER.value, "Warning letter"), (Action.BREACH_TO_COURT.value, "Breach: return to court"),
           (Action.RECALL_RECOMMENDATION.value, "Recall recommendation (licence)")]


def _compliance_page(request: Request, session: Session, actor: Actor, oc: wp.OpenCase, now: datetime, *,
                     status: int = 200, errors: dict[str, str] | None = None,
                     values: dict[str, Any] | None = None) -> HTMLResponse:
    comp = enforcement.compliance(session, actor, oc.case_id, now=now)
    rar = appts.get_rar(session, actor, oc.case_id, now=now)[0] if rar_requirement(session, oc.case_id) else None
    failures = [{"day": day_of(r), "type": r.contact_type.replace("_", " "), "outcome": r.outcome or ""}
                for r in comp.failures]
    nxt = comp.summary.next
    due = nxt.action.value in dict(ACTIONS)
    return case_page(request, "practice/compliance.html", oc, actor, "Compliance and letters", status=status,
                     errors=errors, summary=comp.summary, actions=comp.actions, failures=failures, rar=rar,
                     action_due=due, action_options=ACTIONS,
                     values=values or {"action": nxt.action.value if due else ""},
                     letters=letters.enforcement_letters(session, actor, oc.case_id),
                     deliveries=letters.enforcement_deliveries(session, actor, oc.case_id))


@router.get("/cases/{crn}/compliance")
def compliance_page(request: Request, crn: str = CRN, case_id: int | None = CASE,
                    session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = practice_actor(request, session)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="compliance page")
    return _compliance_page(request, session, actor, oc, now)


@router.post("/cases/{crn}/enforcement")
async def decide(request: Request, crn: str = CRN, case_id: int | None = CASE,
                 session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = practice_actor(request, session)
    form = await checked_form(request)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="enforcement decision")
    value = str(form.get("action", ""))
    reason = str(form.get("reason", "")).strip() or None
    errors: dict[str, str] = {}
    if value not in dict(ACTIONS):
        errors["action"] = "Select the enforcement action"
    if len(reason or "") > 2000:
        errors["reason"] = "The reason must be 2000 characters or fewer"
    if not errors:
        try:
            record = enforcement.decide(session, actor, oc.case_id, Action(value), reason=reason, now=now)
        except (InvalidValue, Conflict) as exc:
            errors = form_error(exc, {"action": "action", "reason": "reason"}, "action")
        else:
            kind = letters.enforcement_kind(record.action)
            flash(request, f"{dict(ACTIONS)[value]} recorded for the failure on {record.failure_day:%-d %B %Y}. "
                  f"The {kind.value} letter is ready to check and send.")
            return redirect(oc, "/compliance")
    return _compliance_page(request, session, actor, oc, now, status=400, errors=errors,
                            values={"action": value, "reason": reason or ""})


@router.get("/cases/{crn}/letters/{action_id}.pdf")
def letter_pdf(request: Request, crn: str = CRN, action_id: int = an_id(),
               case_id: int | None = CASE, session: Session = Depends(get_session),
               now: datetime = Depends(get_now)) -> Response:
    actor = practice_actor(request, session)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="letter")
    pdf = letters.enforcement_letter_pdf(session, actor, oc.case_id, action_id, now=now)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{crn}-letter-{action_id}.pdf"'})


@router.get("/cases/{crn}/letters/{action_id}")
def letter_html(request: Request, crn: str = CRN, action_id: int = an_id(), case_id: int | None = CASE,
                session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = practice_actor(request, session)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="letter")
    return document(letters.enforcement_letter_html(session, actor, oc.case_id, action_id, now=now))


@router.post("/cases/{crn}/letters/{action_id}/send")
async def send_letter(request: Request, crn: str = CRN, action_id: int = an_id(), case_id: int | None = CASE,
                      session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = practice_actor(request, session)
    await checked_form(request)
    oc = wp.open_case(session, actor, crn, case_id, now=now, what="send a letter")
    settings = request.app.state.settings
    d = letters.send_enforcement_letter(session, actor, oc.case_id, action_id,
                                        mailer_for(settings.outbox_dir, env=settings.env), now=now)
    what = d.subject.split(" for ")[0]
    flash(request, {"sent": f"{what} emailed to {d.to}",
                    "to_print": f"No email address is recorded: {what.lower()} logged to print and post",
                    "failed": f"{what} could not be emailed ({d.error}); try again or post it"}[d.status])
    return redirect(oc, "/compliance")
