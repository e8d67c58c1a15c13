"""Obligations, worklists and assurance over the JSON API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from probation.api.deps import get_api_actor, get_now, get_session
from probation.services import obligations
from probation.services.context import Actor

router = APIRouter(prefix="/api")
MAX_ID = 2**53
AS_OF = Query(None, max_length=10, description="Date to evaluate on (YYYY-MM-DD); default today in London")


@router.get("/cases/{case_id}/obligations", tags=["obligations"])
def case_obligations(case_id: int = Path(..., ge=1, le=MAX_ID), as_of: str | None = AS_OF,
                     include_not_applicable: bool = Query(True),
                     actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                     now: datetime = Depends(get_now)) -> dict[str, Any]:
    day = obligations.parse_as_of(as_of, now)
    result = obligations.for_case(session, actor, case_id, as_of=day, now=now)
    return result.to_json(include_not_applicable=include_not_applicable)


@router.get("/people/{crn}/obligations", tags=["obligations"])
def person_obligations(crn: str = Path(..., max_length=7), as_of: str | None = AS_OF,
                       include_not_applicable: bool = Query(True),
                       actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                       now: datetime = Depends(get_now)) -> dict[str, Any]:
    day = obligations.parse_as_of(as_of, now)
    results = obligations.for_person(session, actor, crn, as_of=day, now=now)
    return {"crn": crn, "as_of": day.isoformat(),
            "cases": [r.to_json(include_not_applicable=include_not_applicable) for r in results]}
