"""The offender manager's updates (issue 7 item 1): what other people's contacts on their cases
told them (provider staff running a RAR activity, a colleague covering an appointment), new ones
first and newest first, with the indicators, and an Acknowledge button per update. The updates are
created by delivery_appointments.record_outcome; acknowledging is acknowledge_update."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from probation.api.deps import get_now, get_session
from probation.domain.errors import Conflict
from probation.domain.roles import Role
from probation.services.context import Actor
from probation.services.delivery import appointments as appts
from probation.web import lifecycle_view as wl
from probation.web.deliveries import ATTENDANCE, BEHAVIOUR, RESPONSE, RISK
from probation.web.forms import checked_form
from probation.web.pages import render
from probation.web.practice import view as wp
from probation.web.practice.appointments import OUTCOMES
from probation.web.session import web_actor

router = APIRouter(include_in_schema=False)
# Updates go to an offender manager's staff code: practitioners, and team managers who hold cases.
UPDATE_ROLES = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})
FLASH = "updates_flash"
LABELS = {"outcome": dict(OUTCOMES), "attendance": dict(ATTENDANCE), "behaviour": dict(BEHAVIOUR),
          "response": dict(RESPONSE), "risk": dict(RISK)}


def _actor(request: Request, session: Session) -> Actor:
    actor = web_actor(request, session)
    wp.ensure_role(actor, UPDATE_ROLES, "the offender manager's updates")
    return actor


def _page(request: Request, session: Session, actor: Actor, now: datetime, *, status: int = 200,
          errors: dict[str, str] | None = None) -> HTMLResponse:
    items = wl.updates(session, actor, now=now)
    return render(request, "updates/updates.html", status=status, actor=actor, items=items, errors=errors or {},
                  new=sum(i.acknowledged_at is None for i in items), labels=LABELS,
                  flash=request.session.pop(FLASH, None) if status == 200 else None)


@router.get("/updates")
def updates_page(request: Request, session: Session = Depends(get_session),
                 now: datetime = Depends(get_now)) -> HTMLResponse:
    return _page(request, session, _actor(request, session), now)


@router.post("/updates/{update_id}/acknowledge")
async def acknowledge(request: Request, update_id: int = Path(..., ge=1, le=2**53),
                      session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = _actor(request, session)
    await checked_form(request)
    try:
        appts.acknowledge_update(session, actor, update_id, now=now)  # 404 for someone else's update
    except Conflict as exc:
        return _page(request, session, actor, now, status=400,
                     errors={f"update-{update_id}": exc.message[:1].upper() + exc.message[1:]})
    request.session[FLASH] = "Update acknowledged"
    return RedirectResponse("/updates", status_code=303)
