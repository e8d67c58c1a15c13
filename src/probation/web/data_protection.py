"""Administrator page for subject access requests: enter a person's CRN, download everything held
about them as JSON or PDF (docs/DATA_PROTECTION.md). Each download is audited; other roles get 403
and a `denied` audit row."""

from __future__ import annotations

import json
from datetime import datetime

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from probation.api.deps import get_now, get_session
from probation.domain.errors import NotFound
from probation.domain.people import CRN_PATTERN
from probation.services import subject_access
from probation.web.pages import render
from probation.web.session import web_actor

router = APIRouter(include_in_schema=False)
PAGE = "data_protection/subject_access_page.html"


@router.get("/admin/subject-access")
def subject_access_page(request: Request, crn: str = Query("", max_length=40),
                        format: str = Query("", max_length=8), session: Session = Depends(get_session),
                        now: datetime = Depends(get_now)) -> Response:
    actor = web_actor(request, session)
    wanted = crn.strip().upper()
    subject_access.ensure_authorised(session, actor, wanted or None, now=now)
    errors: dict[str, str] = {}
    if crn and not CRN_PATTERN.match(wanted):
        errors["crn"] = "Enter a case reference as one capital letter then six digits, for example A123456"
    elif format and format not in ("json", "pdf"):
        errors["format"] = "Choose JSON or PDF"
    elif not crn and format:
        errors["crn"] = "Enter the case reference of the person who asked"
    if errors or not (wanted and format):
        return render(request, PAGE, status=400 if errors else 200, actor=actor, errors=errors, crn=crn)
    try:
        bundle = subject_access.export(session, actor, wanted, now=now)
    except NotFound:
        return render(request, PAGE, status=404, actor=actor, crn=crn,
                      errors={"crn": f"No person has the case reference {wanted}"})
    headers = {"Cache-Control": "no-store",
               "Content-Disposition": f'attachment; filename="{wanted}-subject-access.{format}"'}
    if format == "pdf":
        return Response(subject_access.render_pdf(bundle), media_type="application/pdf", headers=headers)
    return Response(json.dumps(bundle, ensure_ascii=False, indent=1), media_type="application/json", headers=headers)
