"""Reports to court generated from the record: a progress report and a breach report, as HTML
(templates in adapters/documents/templates/reports/) and PDF, both rendered by adapters/documents."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters import documents
from probation.adapters.db import repository as repo
from probation.adapters.db.tables import CourtRow, PersonRow, StaffRow
from probation.adapters.db.tables_delivery import AppointmentRow
from probation.domain.delivery.appointments import AppointmentStatus
from probation.domain.delivery.enforcement import Action
from probation.domain.delivery.times import local_date
from probation.domain.errors import Conflict, InvalidValue, require
from probation.domain.events import CaseEvent, EventKind
from probation.services import access, audit
from probation.services.context import Actor
from probation.services.delivery import enforcement
from probation.services.delivery.appointments import rar_progress
from probation.services.delivery.common import day_of, visible_case

DOCUMENTS = documents.Renderer(documents.TEMPLATES / "reports")


class ReportKind(StrEnum):
    PROGRESS = "progress"
    BREACH = "breach"

    @property
    def heading(self) -> str:
        return {"progress": "Progress report", "breach": "Breach report"}[self.value]


class ReportFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _context(session: Session, actor: Actor, case_id: int, kind: ReportKind, now: datetime) -> dict[str, Any]:
    case, row = visible_case(session, actor, case_id)
    today = local_date(now)
    person = session.get(PersonRow, row.person_id)
    assert person is not None
    om = session.get(StaffRow, case.offender_manager_code) if case.offender_manager_code else None
    court = session.get(CourtRow, case.court_code)
    comp = enforcement.compliance_on(session, case, row, today)
    done = list(session.scalars(select(AppointmentRow).where(
        AppointmentRow.case_id == case_id, AppointmentRow.status == AppointmentStatus.COMPLETED.value)
        .order_by(AppointmentRow.starts_at)))
    counts = Counter(r.outcome for r in done if r.outcome)
    found = rar_progress(session, case, case_id, today)
    rar = None
    if found:
        p, _ = found
        rar = {"max_days": p.max_days, "days_used": p.days_used, "days_remaining": p.days_remaining,
               "last_day": (p.requirement_end - timedelta(days=1)).isoformat(), "warning": p.warning}
    ctx: dict[str, Any] = {
        "title": kind.heading, "generated_on": today.isoformat(), "author": actor.display_name or actor.username,
        "court_name": court.name if court else case.court_code,
        "person": {"name": f"{person.first_name} {person.last_name}", "crn": person.crn,
                   "date_of_birth": person.date_of_birth.isoformat()},
        "order": {"label": case.sentence.type.label, "sentence_date": case.sentence.sentence_date.isoformat(),
                  "last_day": (case.sentence.end_date - timedelta(days=1)).isoformat(),
                  "offender_manager": f"{om.first_name} {om.last_name}" if om else None,
                  "requirements": [_requirement(r) for r in case.sentence.requirements]},
        "attendance": {"total": len(done), "by_outcome": sorted((_label(k), v) for k, v in counts.items())},
        "compliance": comp.summary, "rar": rar,
        "contacts": [{"day": day_of(r).isoformat(), "type": _label(r.contact_type),
                      "outcome": _label(r.outcome or ""), "notes": r.notes} for r in done[-10:]],
    }
    if kind is ReportKind.PROGRESS:
        ctx["early_revocation"] = enforcement.early_revocation_on(session, case, row, today)
    else:
        breaches = [a for a in comp.actions if a.action != Action.WARNING_LETTER.value]
        if not breaches:
            raise Conflict(f"case {case_id} has no breach or recall to report", field="kind", value=kind.value,
                           rule="a breach report follows a breach decision")
        b = next((a for a in reversed(breaches) if a.concluded_on is None), breaches[-1])
        ctx["breach"] = {"action": _label(b.action), "decided_on": b.decided_on.isoformat(),
                         "due_by": b.due_by.isoformat() if b.due_by else None,
                         "failure_day": b.failure_day.isoformat(), "reason": b.reason}
        ctx["failures"] = [{"day": day_of(r).isoformat(), "type": _label(r.contact_type),
                            "outcome": _label(r.outcome or ""), "account": r.account, "notes": r.notes}
                           for r in comp.failures]
        ctx["warnings"] = [{"failure_day": a.failure_day.isoformat(), "decided_on": a.decided_on.isoformat()}
                           for a in comp.actions if a.action == Action.WARNING_LETTER.value]
    audit.record(session, actor, "read", case.crn, f"case {case_id}: {kind.value} report", at=now)
    return ctx


def _requirement(r: Any) -> str:
    extra = (f" ({r.max_days} days)" if r.max_days else f" ({r.hours} hours)" if r.hours else
             f" ({r.length_months} months)" if r.length_months else "")
    return _label(r.type.value) + extra


def render_html(session: Session, actor: Actor, case_id: int, kind: ReportKind, *, now: datetime) -> str:
    return DOCUMENTS.html(f"{kind.value}.html", **_context(session, actor, case_id, kind, now))


def render_pdf(session: Session, actor: Actor, case_id: int, kind: ReportKind, *, now: datetime) -> bytes:
    return DOCUMENTS.pdf(render_html(session, actor, case_id, kind, now=now))


def request_report(session: Session, actor: Actor, case_id: int, kind: ReportKind, *, due_by: date | None,
                   court_code: str | None, now: datetime) -> dict[str, Any]:
    access.ensure_can_manage(actor)
    case, _ = visible_case(session, actor, case_id)
    if court_code:
        repo.get_court(session, court_code)
    if due_by is not None:
        require(due_by >= local_date(now), f"report due {due_by.isoformat()} is in the past", field="due_by",
                value=due_by.isoformat(), rule="a report is due on or after the day it is requested")
    data = {"report": kind.value, "due_by": due_by.isoformat() if due_by else None,
            "court": court_code or case.court_code}
    repo.append_events(session, case_id, [CaseEvent(kind=EventKind.COURT_REPORT_REQUESTED, occurred_at=now,
                                                    actor=actor.username, data=data)], now=now)
    audit.record(session, actor, "write", case.crn, f"case {case_id}: {kind.value} report requested", at=now)
    session.flush()
    return data


def submit_report(session: Session, actor: Actor, case_id: int, kind: ReportKind, *, now: datetime) -> dict[str, Any]:
    """Generate the PDF and record its submission with a digest, so the record shows exactly what
    the court received."""
    access.ensure_can_manage(actor)
    case, _ = visible_case(session, actor, case_id)
    pdf = render_pdf(session, actor, case_id, kind, now=now)
    if not pdf.startswith(b"%PDF"):
        raise InvalidValue("the report did not render as PDF", field="format", value="pdf",
                           rule="court reports are submitted as PDF")
    data = {"report": kind.value, "format": "pdf", "sha256": hashlib.sha256(pdf).hexdigest(), "bytes": len(pdf),
            "court": case.court_code}
    repo.append_events(session, case_id, [CaseEvent(kind=EventKind.COURT_REPORT_SUBMITTED, occurred_at=now,
                                                    actor=actor.username, data=data)], now=now)
    audit.record(session, actor, "write", case.crn, f"case {case_id}: {kind.value} report submitted", at=now)
    session.flush()
    return data
