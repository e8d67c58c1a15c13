"""Worklists: what is due and overdue on a practitioner's or a team's cases, most urgent first.

Evaluated with the bulk engine over the cases in scope (the same declarations as every other path).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import CaseRow, PersonRow, StaffRow
from probation.domain.errors import InvalidValue, NotFound
from probation.rules.bulk import BulkEngine
from probation.services import access, audit
from probation.services.context import Actor
from probation.services.obligations import per_case as obligations
from probation.services.obligations.bulk import load_frames


@dataclass(frozen=True, kw_only=True)
class WorkItem:
    crn: str
    case_id: int
    name: str
    offender_manager_code: str | None
    team_code: str
    spec_id: str
    row: int
    occurrence: int
    output: str
    status: str
    due: date
    days_overdue: int

    def to_json(self) -> dict[str, Any]:
        return {"crn": self.crn, "case_id": self.case_id, "name": self.name,
                "offender_manager_code": self.offender_manager_code, "team_code": self.team_code,
                "spec": self.spec_id, "row": self.row, "occurrence": self.occurrence, "output": self.output,
                "status": self.status, "due": self.due.isoformat(), "days_overdue": self.days_overdue}


def scope_for(actor: Actor, scope: str, *, staff: str | None = None, team: str | None = None) -> tuple[str, str]:
    """('staff' | 'team', code) from the request: the actor's own unless a code is named."""
    if staff:
        return "staff", staff
    if team:
        return "team", team
    if scope == "mine":
        if not actor.staff_code:
            raise InvalidValue(f"{actor.username} holds no caseload of their own", field="scope", value=scope,
                               rule="'mine' is for staff with cases; name a team or staff member")
        return "staff", actor.staff_code
    if scope == "team":
        if not actor.team_code:
            raise InvalidValue(f"{actor.username} belongs to no team", field="scope", value=scope,
                               rule="'team' is for staff in a team; name a team")
        return "team", actor.team_code
    raise InvalidValue(f"scope {scope!r} is not mine or team", field="scope", value=scope,
                       rule="a worklist is for a practitioner or a team")


def worklist(session: Session, actor: Actor, *, scope: str = "mine", staff: str | None = None,
             team: str | None = None, as_of: date, now: datetime) -> list[WorkItem]:
    access.ensure_sees_people(actor)
    kind, code = scope_for(actor, scope, staff=staff, team=team)
    if kind == "staff" and session.get(StaffRow, code) is None:
        raise NotFound(f"no staff member {code}", field="staff", value=code, rule="the staff member must exist")
    column = CaseRow.offender_manager_code if kind == "staff" else CaseRow.team_code
    where = [column == code, CaseRow.status == "active", access.case_filter(actor)]
    eng = obligations.engine()
    cases, reqs, events = load_frames(session, as_of, eng, where=where)
    result = BulkEngine(eng).evaluate(cases, reqs, events, as_of).filter(pl.col("status").is_in(["due", "overdue"]))
    names: dict[int, str] = dict(session.execute(select(CaseRow.id, PersonRow.first_name + " " + PersonRow.last_name)
                                 .join(PersonRow, PersonRow.id == CaseRow.person_id).where(*where)).all())
    info = {r["case_id"]: r for r in cases.select("case_id", "crn", "offender_manager_code", "team_code")
            .iter_rows(named=True)}
    titles = {key: row.output for key, row in eng.catalogue.rows.items()}
    items = []
    for r in result.iter_rows(named=True):
        c = info[r["case_id"]]
        items.append(WorkItem(crn=c["crn"], case_id=r["case_id"], name=names.get(r["case_id"], ""),
                              offender_manager_code=c["offender_manager_code"], team_code=c["team_code"],
                              spec_id=r["spec_id"], row=r["row"], occurrence=r["occurrence"],
                              output=titles[(r["spec_id"], r["row"])], status=r["status"], due=r["due"],
                              days_overdue=max(0, (as_of - r["due"]).days)))
    items.sort(key=lambda i: (i.status != "overdue", i.due, i.crn, i.spec_id, i.row, i.occurrence))
    audit.read(session, actor, (i.crn for i in items), f"worklist {kind} {code} as of {as_of}: {len(items)} items",
               at=now)
    return items
