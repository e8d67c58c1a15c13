"""Obligations, worklists and assurance over the JSON API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy.orm import Session

from probation.api import schemas
from probation.api.answers import file_answer
from probation.api.deps import get_api_actor, get_now, get_session
from probation.services import assurance
from probation.services import worklist as worklist_service
from probation.services.context import Actor
from probation.services.obligations import per_case as obligations

router = APIRouter(prefix="/api")
MAX_ID = 2**53
AS_OF = Query(None, max_length=10, description="Date to evaluate on (YYYY-MM-DD); default today in London")


@router.get("/cases/{case_id}/obligations", tags=["obligations"], response_model=schemas.CaseObligationsAnswer)
def case_obligations(case_id: int = Path(..., ge=1, le=MAX_ID), as_of: str | None = AS_OF,
                     include_not_applicable: bool = Query(True),
                     actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                     now: datetime = Depends(get_now)) -> dict[str, Any]:
    day = obligations.parse_as_of(as_of, now)
    result = obligations.for_case(session, actor, case_id, as_of=day, now=now)
    return result.to_json(include_not_applicable=include_not_applicable)


@router.get("/people/{crn}/obligations", tags=["obligations"], response_model=schemas.PersonObligationsAnswer)
def person_obligations(crn: str = Path(..., max_length=7), as_of: str | None = AS_OF,
                       include_not_applicable: bool = Query(True),
                       actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                       now: datetime = Depends(get_now)) -> dict[str, Any]:
    day = obligations.parse_as_of(as_of, now)
    results = obligations.for_person(session, actor, crn, as_of=day, now=now)
    return {"crn": crn, "as_of": day.isoformat(),
            "cases": [r.to_json(include_not_applicable=include_not_applicable) for r in results]}


@router.get("/worklist", tags=["obligations"], response_model=schemas.WorklistAnswer)
def worklist(scope: str = Query("mine", pattern="^(mine|team)$"), as_of: str | None = AS_OF,
             actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
             now: datetime = Depends(get_now)) -> dict[str, Any]:
    day = obligations.parse_as_of(as_of, now)
    items = worklist_service.worklist(session, actor, scope=scope, as_of=day, now=now)
    return {"scope": scope, "as_of": day.isoformat(), "total": len(items),
            "overdue": sum(i.status == "overdue" for i in items), "items": [i.to_json() for i in items]}


@router.get("/assurance", tags=["assurance"], response_model=schemas.AssuranceReportAnswer,
            responses=file_answer("The report as JSON, or with format=csv as one table: a row for each "
                                  "breakdown group and output row", "text/csv"))
def assurance_report(format: str = Query("json", pattern="^(json|csv)$"), as_of: str | None = AS_OF,
                     provider: str | None = Query(None, max_length=16), team: str | None = Query(None, max_length=16),
                     period_from: str | None = Query(None, alias="from", max_length=10),
                     period_to: str | None = Query(None, alias="to", max_length=10),
                     actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                     now: datetime = Depends(get_now)) -> dict[str, Any] | Response:
    assurance.ensure_can_assure(actor)
    query = assurance.AssuranceQuery(
        as_of=obligations.parse_as_of(as_of, now), provider=provider or None, team=team or None,
        period_from=obligations.parse_as_of(period_from, now, "from") if period_from else None,
        period_to=obligations.parse_as_of(period_to, now, "to") if period_to else None)
    result = assurance.run(session, actor, query, now=now)
    if format == "csv":
        return Response(result.report.to_csv(result.titles), media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="assurance-{query.as_of}.csv"'})
    return result.report.to_json(result.titles)
