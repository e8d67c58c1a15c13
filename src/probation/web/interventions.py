"""The RAR information page and PDF (RAR row 4): what the requirement offers locally, its
purposes and assessment criteria, for any signed-in user; staff who send it also see who has
been sent it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from probation.api.deps import get_session
from probation.services.interventions import outcomes
from probation.web.pages import render
from probation.web.session import web_actor

router = APIRouter(include_in_schema=False)


@router.get("/rar-information")
def rar_information(request: Request, session: Session = Depends(get_session)) -> HTMLResponse:
    actor = web_actor(request, session)
    sent = outcomes.list_sent(session, actor) if actor.role in outcomes.SENDERS else None
    return render(request, "interventions/rar_information.html", actor=actor,
                  info=outcomes.rar_information(), sent=sent)


@router.get("/rar-information.pdf")
def rar_information_pdf(request: Request, session: Session = Depends(get_session)) -> Response:
    web_actor(request, session)
    info = outcomes.rar_information()
    return Response(outcomes.rar_information_pdf(), media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="rar-information-{info["version"]}.pdf"'})
