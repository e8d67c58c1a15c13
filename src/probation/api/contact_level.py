"""Level of contact over the JSON API: GET /api/cases/{case_id}/contact-level.

The level the obligations engine uses for the case's contact rows (rules/contact.py), from the
latest RoSH and OGRS3 on `as_of`, the person's groups and the engine's contract (the national
minimum unless configured; docs/CONTACT_LEVEL.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from probation.api import schemas
from probation.api.deps import get_api_actor, get_now, get_session
from probation.rules.contact import is_level_row
from probation.services import access, audit
from probation.services.context import Actor
from probation.services.obligations import per_case as obligations
from probation.services.obligations.facts import load_case_facts

router = APIRouter(prefix="/api")
MAX_ID = 2**53


@router.get("/cases/{case_id}/contact-level", tags=["obligations"], response_model=schemas.ContactLevelAnswer)
def case_contact_level(case_id: int = Path(..., ge=1, le=MAX_ID),
                       as_of: str | None = Query(None, max_length=10,
                                                 description="Date (YYYY-MM-DD); default today in London"),
                       actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                       now: datetime = Depends(get_now)) -> dict[str, Any]:
    day = obligations.parse_as_of(as_of, now)
    access.ensure_sees_people(actor)
    case, facts = load_case_facts(session, case_id, day)
    access.ensure_can_see(actor, case, has_em=access.has_em(session, case_id))
    engine = obligations.engine()
    level = engine.contact_level(facts, day)
    audit.record(session, actor, "read", case.crn, f"level of contact of case {case_id} as of {day}", at=now)
    return {
        "case_id": case_id, "crn": case.crn, "as_of": day.isoformat(), "contract": engine.contract.contract_id,
        "level": level.level, "interval_days": level.interval_days,
        "initial": {"interval_days": level.initial_interval_days, "days": level.initial_days},
        "cell": {"rosh": str(level.rosh), "ogrs3_band": str(level.ogrs3_band), "level": level.base_level},
        "unknown": list(level.unknown_axes), "enhanced": level.enhanced,
        "enhanced_groups": [str(g) for g in level.enhanced_groups],
        "not_commissioned": [str(g) for g in level.not_commissioned],
        "reasons": list(level.reasons),
        "level_rows": [{"spec_id": p.row.spec_id.value, "row": p.row.row} for p in engine.rows if is_level_row(p.rule)],
    }
