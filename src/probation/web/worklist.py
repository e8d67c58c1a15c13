"""The worklist page: what is due and overdue on my cases or my team's, most urgent first."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from probation.api.deps import get_now, get_session
from probation.services import worklist
from probation.services.obligations import per_case as obligations
from probation.web.pages import render
from probation.web.session import web_actor

router = APIRouter(include_in_schema=False)


@router.get("/worklist")
def worklist_page(request: Request, scope: str = Query("mine"), session: Session = Depends(get_session),
                  now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = web_actor(request, session)
    if scope not in ("mine", "team"):
        scope = "mine"
    day = obligations.today(now)
    items = worklist.worklist(session, actor, scope=scope, as_of=day, now=now)
    return render(request, "worklist/worklist.html", actor=actor, items=items, scope=scope, as_of=day,
                  overdue=sum(i.status == "overdue" for i in items))
