"""Provider staff's deliveries (issue 7 item 1, provider staff): the appointments on the cases their
organisation holds that await an outcome or are to come, and the form to record what happened with
the indicators the offender manager is told (attendance, behaviour, response, risk).

The practitioner's appointments tab stays with the practice roles; provider staff record here,
through the same delivery service (delivery_appointments.record_outcome), which tells the offender
manager when someone else delivered the contact. Access is services/access.py's: provider staff
see only their organisation's cases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from probation.api.deps import get_now, get_session
from probation.domain.delivery.appointments import Outcome
from probation.domain.delivery.contacts import (
    Attendance,
    Behaviour,
    Indicators,
    RiskIndicator,
    offender_manager_must_be_informed,
)
from probation.domain.delivery.contacts import Response as Engagement
from probation.domain.errors import Conflict, InvalidValue
from probation.domain.roles import Role
from probation.services.context import Actor
from probation.services.delivery import appointments as appts
from probation.web import lifecycle_view as wl
from probation.web.forms import checked_form, form_error
from probation.web.pages import render
from probation.web.practice import view as wp
from probation.web.practice.appointments import OUTCOMES
from probation.web.session import web_actor

router = APIRouter(include_in_schema=False)
DELIVERY_ROLES = frozenset({Role.PROVIDER_STAFF, Role.ADMINISTRATOR})
FLASH = "deliveries_flash"

ATTENDANCE = [(Attendance.ON_TIME.value, "On time"), (Attendance.LATE.value, "Late"),
              (Attendance.DID_NOT_ATTEND.value, "Did not attend")]
BEHAVIOUR = [(Behaviour.APPROPRIATE.value, "Appropriate"), (Behaviour.CONCERNING.value, "Concerning"),
             (Behaviour.UNACCEPTABLE.value, "Unacceptable")]
RESPONSE = [(Engagement.ENGAGED.value, "Engaged"), (Engagement.PARTLY_ENGAGED.value, "Partly engaged"),
            (Engagement.NOT_ENGAGED.value, "Not engaged")]
RISK = [(RiskIndicator.NO_CHANGE.value, "No change"),
        (RiskIndicator.CONCERN.value, "A concern for the offender manager to review"),
        (RiskIndicator.ESCALATE.value, "Risk of harm may have increased: escalate")]
ATTENDED = {Outcome.ATTENDED_COMPLIED.value, Outcome.ATTENDED_FAILED_TO_COMPLY.value}
FIELDS = {"outcome": "outcome", "appointment_id": "outcome", "indicators.attendance": "attendance",
          "notes": "notes", "account": "account"}


def _actor(request: Request, session: Session) -> Actor:
    actor = web_actor(request, session)
    wp.ensure_role(actor, DELIVERY_ROLES, "deliveries")
    return actor


@router.get("/deliveries")
def deliveries_page(request: Request, crn: str | None = Query(None, pattern=r"^[A-Z][0-9]{6}$"),
                    session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = _actor(request, session)
    awaiting, upcoming = wl.deliveries(session, actor, now=now, crn=crn)
    flash = request.session.pop(FLASH, None)
    return render(request, "deliveries/deliveries.html", actor=actor, awaiting=awaiting, upcoming=upcoming,
                  crn=crn, flash=flash)


def _outcome_page(request: Request, session: Session, actor: Actor, appointment_id: int, now: datetime, *,
                  status: int = 200, errors: dict[str, str] | None = None,
                  values: dict[str, str] | None = None) -> HTMLResponse:
    d = wl.delivery(session, actor, appointment_id, now=now)
    return render(request, "deliveries/outcome.html", status=status, actor=actor, d=d, errors=errors or {},
                  values=values or {"risk": RiskIndicator.NO_CHANGE.value}, outcomes=OUTCOMES,
                  attendance=ATTENDANCE, behaviour=BEHAVIOUR, response=RESPONSE, risk=RISK, now=now)


@router.get("/deliveries/{appointment_id}")
def outcome_page(request: Request, appointment_id: int = Path(..., ge=1, le=2**53),
                 session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = _actor(request, session)
    return _outcome_page(request, session, actor, appointment_id, now)


def _read(form: Any, errors: dict[str, str]) -> dict[str, str]:
    values = {k: str(form.get(k, "")).strip() for k in ("outcome", "attendance", "behaviour", "response",
                                                         "risk", "account", "notes")}
    if values["outcome"] not in dict(OUTCOMES):
        errors["outcome"] = "Select what happened at the appointment"
    if values["attendance"] not in dict(ATTENDANCE):
        errors["attendance"] = "Select whether they attended on time, late or not at all"
    attended = values["outcome"] in ATTENDED
    # The offender manager is told how someone who attended behaved and responded (RAR row 3).
    if values["behaviour"] not in dict(BEHAVIOUR) and (attended or values["behaviour"]):
        errors["behaviour"] = "Select how they behaved"
    if values["response"] not in dict(RESPONSE) and (attended or values["response"]):
        errors["response"] = "Select how they responded to the session"
    if values["risk"] not in dict(RISK):
        errors["risk"] = "Select whether anything changes the risk they pose"
    for name in ("account", "notes"):
        if len(values[name]) > 4000:
            errors[name] = f"{'The account' if name == 'account' else 'Notes'} must be 4000 characters or fewer"
    return values


@router.post("/deliveries/{appointment_id}")
async def record_outcome(request: Request, appointment_id: int = Path(..., ge=1, le=2**53),
                         session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = _actor(request, session)
    form = await checked_form(request)
    d = wl.delivery(session, actor, appointment_id, now=now)  # 404 outside the actor's organisation
    errors: dict[str, str] = {}
    values = _read(form, errors)
    if not errors:
        indicators = Indicators(attendance=Attendance(values["attendance"]),
                                behaviour=Behaviour(values["behaviour"]) if values["behaviour"] else None,
                                response=Engagement(values["response"]) if values["response"] else None,
                                risk=RiskIndicator(values["risk"]))
        try:
            appts.record_outcome(session, actor, d.case_id, appointment_id, outcome_value=Outcome(values["outcome"]),
                                 notes=values["notes"] or None, account=values["account"] or None,
                                 indicators=indicators, now=now)
        except (InvalidValue, Conflict) as exc:
            errors = form_error(exc, FIELDS, "outcome")
        else:
            label = dict(OUTCOMES)[values["outcome"]].lower()
            told = offender_manager_must_be_informed(deliverer_code=actor.staff_code,
                                                     offender_manager_code=d.offender_manager_code)
            request.session[FLASH] = (f"Outcome recorded for {d.name}: {label}."
                                      + (" Their offender manager has been sent an update." if told else ""))
            return RedirectResponse("/deliveries", status_code=303)
    return _outcome_page(request, session, actor, appointment_id, now, status=400, errors=errors, values=values)
