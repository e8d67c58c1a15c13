"""Subject access API: a person's whole record as one JSON bundle or one PDF, for administrators
answering a subject access request (docs/DATA_PROTECTION.md). Each export is audited."""

from __future__ import annotations

import json
from datetime import datetime
from enum import Enum

from fastapi import APIRouter, Depends, Path, Response
from sqlalchemy.orm import Session

from probation.api import schemas
from probation.api.answers import file_answer
from probation.api.deps import get_api_actor, get_now, get_session
from probation.services import subject_access
from probation.services.context import Actor

router = APIRouter(prefix="/api")
TAG: list[str | Enum] = ["data protection"]
CRN = Path(..., min_length=1, max_length=16)
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/people/{crn}/subject-access", tags=TAG, summary="A person's whole record as one JSON bundle",
            response_model=schemas.SubjectAccessAnswer)
def subject_access_json(crn: str = CRN, actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                        now: datetime = Depends(get_now)) -> Response:
    bundle = subject_access.export(session, actor, crn, now=now)
    return Response(json.dumps(bundle, ensure_ascii=False, indent=1), media_type="application/json",
                    headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{crn}-subject-access.json"'})


@router.get("/people/{crn}/subject-access.pdf", tags=TAG, summary="A person's whole record as one PDF",
            response_class=Response, responses=file_answer("The whole record", "application/pdf"))
def subject_access_pdf(crn: str = CRN, actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                       now: datetime = Depends(get_now)) -> Response:
    bundle = subject_access.export(session, actor, crn, now=now)
    return Response(subject_access.render_pdf(bundle), media_type="application/pdf",
                    headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{crn}-subject-access.pdf"'})
