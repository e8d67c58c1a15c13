"""Turn service results into JSON-ready dicts (dates ISO 8601, enums by value)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from probation.domain.case import Case
from probation.domain.people import Person
from probation.domain.requirements import Requirement
from probation.services.cases import CaseDetail, CaseloadItem, Page, PersonRecord


def person(p: Person) -> dict[str, Any]:
    out = asdict(p)
    out["date_of_birth"] = p.date_of_birth.isoformat()
    for a in out["addresses"]:
        a["from_date"] = a["from_date"].isoformat() if a["from_date"] else None
    return out


def requirement(r: Requirement) -> dict[str, Any]:
    return {"type": r.type.value, "start_date": r.start_date.isoformat(),
            "end_date": r.end_date.isoformat() if r.end_date else None, "length_months": r.length_months,
            "length_days": r.length_days, "max_days": r.max_days, "hours": r.hours,
            "hours_per_day": r.hours_per_day, "places": list(r.places),
            "electronically_monitored": r.electronically_monitored, "programme": r.programme,
            "activity": r.activity}


def case(c: Case) -> dict[str, Any]:
    s = c.sentence
    return {
        "case_id": c.id, "crn": c.crn, "version": c.version, "status": c.status.value,
        "sentence": {"type": s.type.value, "sentence_date": s.sentence_date.isoformat(),
                     "end_date": s.end_date.isoformat(), "offence_code": s.offence.code,
                     "length_months": s.length_months, "custodial_term_days": s.custodial_term_days,
                     "operational_period_months": s.operational_period_months,
                     "supervision_period_months": s.supervision_period_months,
                     "requirements": [requirement(r) for r in s.requirements]},
        "court_code": c.court_code, "organisation_code": c.organisation_code, "team_code": c.team_code,
        "offender_manager_code": c.offender_manager_code, "restricted": c.restricted,
        "female_options": asdict(c.female_options) if c.female_options else None,
        "inducted_at": c.inducted_at.isoformat() if c.inducted_at else None,
        "pending_transfer": {"to_organisation_code": c.pending_transfer.to_organisation_code,
                             "to_team_code": c.pending_transfer.to_team_code,
                             "to_court_code": c.pending_transfer.to_court_code} if c.pending_transfer else None,
        "termination_reason": c.termination_reason.value if c.termination_reason else None,
        "terminated_on": c.terminated_on.isoformat() if c.terminated_on else None,
    }


def case_detail(d: CaseDetail) -> dict[str, Any]:
    out = case(d.case)
    out["names"] = d.names
    out["history"] = [{"seq": seq, "kind": e.kind.value, "occurred_at": e.occurred_at.isoformat(), "actor": e.actor,
                       "reason": e.reason, "data": dict(e.data)} for seq, e in d.events]
    return out


def person_record(r: PersonRecord) -> dict[str, Any]:
    shown = {k: v for k, v in person(r.person).items() if k not in r.withheld}  # minimisation: absent, not null
    return {"person": shown, "cases": [case_detail(d) for d in r.cases]}


def caseload(page: Page[CaseloadItem]) -> dict[str, Any]:
    return {"items": [{**asdict(i), "date_of_birth": i.date_of_birth.isoformat(),
                       "sentence_date": i.sentence_date.isoformat(), "end_date": i.end_date.isoformat()}
                      for i in page.items],
            "page": page.page, "size": page.size, "total": page.total, "pages": page.pages}
