"""Police and stakeholder liaison for exclusion requirements (issue 6 item 7; rows 1, 2, 21-27).

- Row 21: formal arrangements with each police force are recorded (reference, agreed, review).
- Rows 1, 2 (EM) and 23, 24 (non-EM): written notice at commencement of the person's name,
  address, the length and scope of the requirement and the offender manager's contact details,
  rendered from templates/em/notice_commencement.html, logged in em_delivery and written to the
  development outbox; the case event agencies_notified names the agency kinds ("police", ...) and the
  organisation codes, which is what the catalogue's evidence_data matches.
- Rows 25, 26: a police violation notification is recorded (police_violation_notified), the
  offender manager's enforcement decision is recorded (enforcement_decision_recorded) and the
  outcome is sent back to the reporting force (police_outcome_notified).
- Row 27: termination notices (termination_notifications_sent).
Police liaison users see only notices and reports for their own organisation, never case records.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from probation.adapters import documents
from probation.adapters.db import repository as repo
from probation.adapters.db.tables import (
    CaseRow,
    CourtRow,
    OrganisationRow,
    PersonRow,
    RequirementRow,
    StaffRow,
    TeamRow,
)
from probation.domain.calendar import LONDON
from probation.domain.errors import Conflict, Forbidden, InvalidValue, NotFound
from probation.domain.events import CaseEvent, EventKind
from probation.domain.roles import Role
from probation.em.services.cases import requirement_end
from probation.em.tables import (
    EmDeliveryRow,
    EmNoticeRow,
    EmPoliceArrangementRow,
    EmPoliceReportRow,
)
from probation.services import access, audit
from probation.services.context import Actor

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "em"
DOCUMENTS = documents.Renderer(TEMPLATES, trim=False)
DECISIONS = {"no_action": "No further action: the offender manager found no breach to pursue.",
             "warning": "A formal warning has been given.",
             "breach": "Breach proceedings have been started."}
LIAISON = {Role.PRACTITIONER, Role.TEAM_MANAGER, Role.ADMINISTRATOR}


def _iso(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat()
    return v.isoformat() if hasattr(v, "isoformat") else v


def _case_for_liaison(session: Session, actor: Actor, case_id: int) -> tuple[Any, CaseRow, RequirementRow]:
    if actor.role not in LIAISON:
        raise Forbidden(f"the {actor.role.label} role cannot send notices or decide on reports",
                        field="role", value=actor.role.value,
                        rule="offender managers, team managers and administrators liaise with police")
    case, row = repo.load_case(session, case_id)
    access.ensure_can_see(actor, case, has_em=access.has_em(session, case_id))
    req = session.scalar(select(RequirementRow).where(RequirementRow.case_id == case_id,
                                                      RequirementRow.type == "exclusion")
                         .order_by(RequirementRow.id))
    if req is None:
        raise NotFound(f"case {case_id} has no exclusion requirement", field="case_id", value=case_id,
                       rule="notices are about an exclusion requirement")
    return case, row, req


# --------------------------------------------------------------------------- arrangements (row 21)

def record_arrangement(session: Session, actor: Actor, *, police_org_code: str, reference: str,
                       agreed_on: Any, review_on: Any, summary: str, now: datetime) -> EmPoliceArrangementRow:
    if actor.role not in (Role.ADMINISTRATOR, Role.TEAM_MANAGER):
        raise Forbidden(f"the {actor.role.label} role cannot record police arrangements", field="role",
                        value=actor.role.value, rule="managers record formal arrangements")
    org = session.get(OrganisationRow, police_org_code)
    if org is None or org.kind != "police":
        raise InvalidValue(f"{police_org_code} is not a police force", field="police_org_code",
                           value=police_org_code, rule="arrangements are with police forces")
    if review_on is not None and review_on <= agreed_on:
        raise InvalidValue(f"review {review_on} is not after agreement {agreed_on}", field="review_on",
                           value=str(review_on), rule="a review follows the agreement")
    row = EmPoliceArrangementRow(police_org_code=police_org_code, reference=reference,
                                 agreed_on=agreed_on, review_on=review_on, summary=summary,
                                 recorded_at=now, recorded_by=actor.username)
    session.add(row)
    session.flush()
    audit.record(session, actor, "write", None, f"police arrangement {row.id} {police_org_code}", at=now)
    return row


def list_arrangements(session: Session, actor: Actor) -> list[EmPoliceArrangementRow]:
    stmt = select(EmPoliceArrangementRow).order_by(EmPoliceArrangementRow.id)
    if actor.role is Role.POLICE_LIAISON:
        stmt = stmt.where(EmPoliceArrangementRow.police_org_code == actor.organisation_code)
    return list(session.scalars(stmt))


def arrangement_view(a: EmPoliceArrangementRow) -> dict[str, Any]:
    return {"id": a.id, "police_org_code": a.police_org_code, "reference": a.reference,
            "agreed_on": _iso(a.agreed_on), "review_on": _iso(a.review_on), "summary": a.summary}


# --------------------------------------------------------------------------- notices

def _context(session: Session, case: Any, row: CaseRow, req: RequirementRow,
             recipient: OrganisationRow, now: datetime, reference: str) -> dict[str, Any]:
    person = session.get(PersonRow, row.person_id)
    assert person is not None
    main = next((a for a in (person.addresses or []) if a.get("main", True)), None)
    address = ", ".join(x for x in (main or {}).values() if isinstance(x, str)) if main else None
    staff = session.get(StaffRow, row.offender_manager_code) if row.offender_manager_code else None
    team = session.get(TeamRow, row.team_code)
    provider = session.get(OrganisationRow, row.organisation_code)
    court = session.get(CourtRow, row.court_code)
    end = requirement_end(req, case.sentence.end_date)
    from datetime import timedelta

    return {
        "reference": reference, "sent_on": now.astimezone(LONDON).strftime("%d %B %Y"),
        "recipient": {"name": recipient.name, "code": recipient.code},
        "person": {"name": f"{person.first_name} {person.last_name}", "crn": person.crn,
                   "address": address},
        "order": {"sentence": case.sentence.type.value.replace("_", " "),
                  "sentence_date": case.sentence.sentence_date.strftime("%d %B %Y"),
                  "court": court.name if court else row.court_code},
        "requirement": {"length": f"{req.length_months} months" if req.length_months else "the order",
                        "start": req.start_date.strftime("%d %B %Y"),
                        "last_day": (end - timedelta(days=1)).strftime("%d %B %Y"),
                        "places": list(req.places or []), "monitored": req.electronically_monitored},
        "manager": {"name": f"{staff.first_name} {staff.last_name}" if staff else "not yet allocated",
                    "email": staff.email if staff else None, "team": team.name if team else row.team_code,
                    "provider": provider.name if provider else row.organisation_code},
    }


def render(template: str, context: dict[str, Any]) -> str:
    return DOCUMENTS.html(template, **context)


def _deliver(session: Session, notice: EmNoticeRow, recipient: OrganisationRow, outbox_dir: str,
             now: datetime) -> EmDeliveryRow:
    """Development delivery: the message as a JSON file in the outbox, logged as sent."""
    directory = Path(outbox_dir)
    directory.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", f"em-notice-{notice.id}-{recipient.code}") + ".json"
    path = directory / name
    payload = {"channel": "email", "to": recipient.email or f"{recipient.code}@liaison.invalid",
               "subject": notice.subject, "html": notice.html, "reference": f"em-notice-{notice.id}",
               "created_at": now.isoformat()}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    tmp.replace(path)
    row = EmDeliveryRow(notice_id=notice.id, channel="outbox", to=payload["to"], sent_at=now,
                        location=str(path), status="sent")
    session.add(row)
    return row


def send_notices(session: Session, actor: Actor, case_id: int, *, kind: str, recipients: list[str],
                 outbox_dir: str, now: datetime) -> list[EmNoticeRow]:
    case, row, req = _case_for_liaison(session, actor, case_id)
    orgs = []
    for code in dict.fromkeys(recipients):
        org = session.get(OrganisationRow, code)
        if org is None:
            raise NotFound(f"no organisation {code}", field="recipients", value=code,
                           rule="notices go to organisations on record")
        orgs.append(org)
    if kind == "termination" and case.status.value == "active" and \
            requirement_end(req, case.sentence.end_date) > now.astimezone(LONDON).date():
        raise Conflict(f"the exclusion requirement of case {case_id} has not ended", field="kind",
                       value=kind, rule="termination is notified when the requirement ends")
    notices = []
    for org in orgs:
        police = org.kind == "police"
        subject = (f"Exclusion requirement {'started' if kind == 'commencement' else 'ended'}: "
                   f"{case.crn}")
        reference = f"EX-{case_id}-{kind[:4].upper()}-{org.code}"
        ctx = _context(session, case, row, req, org, now, reference)
        ctx.update(subject=subject, ended_on=now.astimezone(LONDON).strftime("%d %B %Y"),
                   end_reason=case.termination_reason.value.replace("_", " ")
                   if case.termination_reason else "requirement completed")
        html = render(f"notice_{kind}.html", ctx)
        notice = EmNoticeRow(case_id=case_id, kind=kind, recipient_org_code=org.code,
                             recipient_kind="police" if police else "stakeholder", subject=subject,
                             html=html, created_at=now, created_by=actor.username)
        session.add(notice)
        session.flush()
        _deliver(session, notice, org, outbox_dir, now)
        notices.append(notice)
    agencies = sorted({o.code for o in orgs})
    agency_kinds = sorted({o.kind for o in orgs})  # same shape as the lifecycle's agencies_notified
    event_kind = EventKind.AGENCIES_NOTIFIED if kind == "commencement" \
        else EventKind.TERMINATION_NOTIFICATIONS_SENT
    repo.append_events(session, case_id, [CaseEvent(
        kind=event_kind, occurred_at=now, actor=actor.username,
        data={"agencies": agencies, "agency_kinds": agency_kinds, "notices": [n.id for n in notices],
              "scope": "exclusion"})],
        now=now)
    session.flush()  # the next append numbers its events after these
    audit.record(session, actor, "write", case.crn, f"EM {kind} notices to {','.join(o.code for o in orgs)}",
                 at=now)
    session.flush()
    return notices


def notice_view(n: EmNoticeRow, html: bool = False) -> dict[str, Any]:
    out = {"id": n.id, "case_id": n.case_id, "kind": n.kind, "recipient": n.recipient_org_code,
           "recipient_kind": n.recipient_kind, "subject": n.subject, "sent_at": _iso(n.created_at)}
    if html:
        out["html"] = n.html
    return out


def list_notices(session: Session, actor: Actor, *, now: datetime) -> list[EmNoticeRow]:
    """Police liaison: the notices sent to their own force. Offender managers, team managers and
    administrators: the notices of the cases they may see (access.case_filter, restricted included)."""
    stmt = select(EmNoticeRow).order_by(EmNoticeRow.id.desc()).limit(500)
    if actor.role is Role.POLICE_LIAISON:
        stmt = stmt.where(EmNoticeRow.recipient_org_code == (actor.organisation_code or "-"))
    elif actor.role in LIAISON:
        stmt = stmt.where(access.case_visible(actor, EmNoticeRow.case_id))
    else:
        raise Forbidden(f"the {actor.role.label} role has no notices", field="role",
                        value=actor.role.value, rule="notices are for police liaison and managers")
    rows = list(session.scalars(stmt))
    audit.read(session, actor, crns_of(session, {n.case_id for n in rows}), f"EM notices ({len(rows)})", at=now)
    return rows


def crns_of(session: Session, case_ids: set[int]) -> list[str]:
    """The CRNs of these cases (what a list of their records showed, for the audit)."""
    if not case_ids:
        return []
    return list(session.scalars(select(CaseRow.crn).where(CaseRow.id.in_(case_ids))))


def notice_pdf(session: Session, actor: Actor, notice_id: int, *, now: datetime) -> bytes:
    n = session.get(EmNoticeRow, notice_id)
    visible = n is not None and (
        (actor.role is Role.POLICE_LIAISON and n.recipient_org_code == actor.organisation_code)
        or actor.role in LIAISON)
    if not visible or n is None:
        raise NotFound(f"no notice {notice_id}", field="notice_id", value=notice_id,
                       rule="a notice is visible to its recipient and the offender managers")
    if actor.role is not Role.POLICE_LIAISON:
        try:
            _case_for_liaison(session, actor, n.case_id)
        except NotFound:  # the same answer as an unknown notice
            raise NotFound(f"no notice {notice_id}", field="notice_id", value=notice_id,
                           rule="a notice is visible to its recipient and the offender managers") from None
    audit.read(session, actor, crns_of(session, {n.case_id}), f"EM notice {notice_id} PDF", at=now)
    return DOCUMENTS.pdf(n.html)


# --------------------------------------------------------------------------- violation reports

def report_violation(session: Session, actor: Actor, *, case_id: int, police_reference: str,
                     observed_at: datetime, location: str, details: str,
                     police_org_code: str | None, now: datetime) -> EmPoliceReportRow:
    """Row 25: recorded from a police liaison user (for a case their force was notified of) or by
    an offender manager on the police's behalf."""
    if actor.role is Role.POLICE_LIAISON:
        org = actor.organisation_code
        notified = session.scalar(select(exists().where(EmNoticeRow.case_id == case_id,
                                                        EmNoticeRow.recipient_org_code == org)))
        if not notified:
            raise NotFound(f"no exclusion notice to {org} for case {case_id}", field="case_id",
                           value=case_id, rule="police report on people they were notified of")
        case, row = repo.load_case(session, case_id)
    else:
        case, row, _req = _case_for_liaison(session, actor, case_id)
        org = police_org_code
    police = session.get(OrganisationRow, org) if org else None
    if police is None or police.kind != "police":
        raise InvalidValue(f"{org} is not a police force", field="police_org_code", value=org,
                           rule="violation notifications come from a police force")
    if observed_at > now:
        raise InvalidValue(f"observed_at {observed_at.isoformat()} is in the future", field="observed_at",
                           value=observed_at.isoformat(), rule="a report is of something seen")
    report = EmPoliceReportRow(case_id=case_id, police_org_code=police.code,
                               police_reference=police_reference, observed_at=observed_at,
                               location=location, details=details, received_at=now,
                               recorded_by=actor.username)
    session.add(report)
    session.flush()
    repo.append_events(session, case_id, [CaseEvent(
        kind=EventKind.POLICE_VIOLATION_NOTIFIED, occurred_at=now, actor=actor.username,
        data={"report_id": report.id, "police": police.code})], now=now)
    session.flush()  # the next append numbers its events after these
    audit.record(session, actor, "write", case.crn, f"police violation report {report.id}", at=now)
    return report


def list_reports(session: Session, actor: Actor, *, now: datetime) -> list[EmPoliceReportRow]:
    """Police liaison: their force's reports. Others who see people: reports on cases they may see."""
    stmt = select(EmPoliceReportRow).order_by(EmPoliceReportRow.id.desc()).limit(500)
    if actor.role is Role.POLICE_LIAISON:
        stmt = stmt.where(EmPoliceReportRow.police_org_code == (actor.organisation_code or "-"))
    else:
        access.ensure_sees_people(actor)
        stmt = stmt.where(access.case_visible(actor, EmPoliceReportRow.case_id))
    rows = list(session.scalars(stmt))
    audit.read(session, actor, crns_of(session, {r.case_id for r in rows}), f"police violation reports ({len(rows)})",
               at=now)
    return rows


def report_view(r: EmPoliceReportRow) -> dict[str, Any]:
    return {"id": r.id, "case_id": r.case_id, "police_org_code": r.police_org_code,
            "police_reference": r.police_reference, "observed_at": _iso(r.observed_at),
            "location": r.location, "details": r.details, "received_at": _iso(r.received_at),
            "decision": r.decision, "decided_at": _iso(r.decided_at),
            "outcome_sent_at": _iso(r.outcome_sent_at), "outcome_notice_id": r.outcome_notice_id}


def decide(session: Session, actor: Actor, report_id: int, *, decision: str, notes: str | None,
           outbox_dir: str, now: datetime) -> EmPoliceReportRow:
    """Rows 25 and 26: the enforcement decision, then the outcome sent to the reporting force."""
    report = session.get(EmPoliceReportRow, report_id)
    if report is None or (actor.role in LIAISON and not access.sees_case(session, actor, report.case_id)):
        # a report on a case outside the actor's scope answers as an unknown report
        raise NotFound(f"no violation report {report_id}", field="report_id", value=report_id,
                       rule="the report exists")
    case, row, req = _case_for_liaison(session, actor, report.case_id)
    if report.decision is not None:
        raise Conflict(f"report {report_id} was decided ({report.decision})", field="report_id",
                       value=report_id, rule="a report is decided once")
    report.decision, report.decision_notes = decision, notes
    report.decided_at, report.decided_by = now, actor.username
    police = session.get(OrganisationRow, report.police_org_code)
    assert police is not None
    ctx = _context(session, case, row, req, police, now, f"EX-{report.case_id}-OUT-{report.id}")
    ctx.update(subject=f"Outcome of your violation notification {report.police_reference}",
               decision_text=DECISIONS[decision],
               report={"police_reference": report.police_reference,
                       "observed_at": report.observed_at.astimezone(LONDON).strftime("%d %B %Y %H:%M"),
                       "location": report.location,
                       "received_at": report.received_at.astimezone(LONDON)
                       .strftime("%d %B %Y %H:%M"),
                       "decided_at": now.astimezone(LONDON).strftime("%d %B %Y %H:%M")})
    notice = EmNoticeRow(case_id=report.case_id, kind="violation_outcome",
                         recipient_org_code=police.code, recipient_kind="police",
                         police_report_id=report.id, subject=ctx["subject"],
                         html=render("notice_outcome.html", ctx), created_at=now,
                         created_by=actor.username)
    session.add(notice)
    session.flush()
    _deliver(session, notice, police, outbox_dir, now)
    report.outcome_notice_id, report.outcome_sent_at = notice.id, now
    repo.append_events(session, report.case_id, [
        CaseEvent(kind=EventKind.ENFORCEMENT_DECISION_RECORDED, occurred_at=now, actor=actor.username,
                  data={"report_id": report.id, "decision": decision}),
        CaseEvent(kind=EventKind.POLICE_OUTCOME_NOTIFIED, occurred_at=now, actor=actor.username,
                  data={"report_id": report.id, "notice_id": notice.id, "police": police.code})],
        now=now)
    session.flush()  # the next append numbers its events after these
    audit.record(session, actor, "write", case.crn, f"police report {report_id} decided: {decision}",
                 at=now)
    session.flush()
    return report
