"""Risk escalation from a contracted provider to the NPS risk team (Manage rows 22, 30, 31)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from probation.adapters.db import repository as repo
from probation.adapters.db.tables import CaseRow
from probation.adapters.db.tables_protection import RiskEscalationRow
from probation.domain.errors import Conflict, InvalidValue, NotFound, require
from probation.domain.events import CaseEvent, EventKind
from probation.domain.organisations import OrganisationKind
from probation.domain.protection import escalation as esc
from probation.domain.protection.assessments import parse_level
from probation.domain.roles import Role
from probation.services import access, audit, cases
from probation.services.case_commands import Loaded, ensure_role, event, load, record
from probation.services.context import Actor
from probation.services.protection.notices import risk_changed

# The provider's side: the offender manager, their team manager, provider staff, administrators.
PROVIDER_SIDE = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER, Role.PROVIDER_STAFF,
                           Role.ADMINISTRATOR})
NPS_SIDE = frozenset({Role.NPS_RISK, Role.ADMINISTRATOR})
OPEN = (esc.EscalationStatus.INDICATED, esc.EscalationStatus.REFERRED, esc.EscalationStatus.DECIDED)


def from_row(r: RiskEscalationRow) -> esc.Escalation:
    return esc.Escalation(
        status=esc.EscalationStatus(r.status), indicated_at=r.indicated_at,
        indicated_by=r.indicated_by, concern=r.concern, evidence=r.evidence,
        referred_at=r.referred_at, referred_by=r.referred_by,
        decision=esc.NpsDecision(r.decision) if r.decision else None,
        decided_at=r.decided_at, decided_by=r.decided_by,
        assessed_rosh=parse_level(r.assessed_rosh, field="assessed_rosh") if r.assessed_rosh else None,
        rationale=r.rationale, to_team_code=r.to_team_code,
        planned_review_date=r.planned_review_date, actioned_at=r.actioned_at,
        actioned_by=r.actioned_by, action_note=r.action_note)


def _apply(row: RiskEscalationRow, e: esc.Escalation) -> None:
    row.status = e.status.value
    row.referred_at, row.referred_by = e.referred_at, e.referred_by
    row.decision = e.decision.value if e.decision else None
    row.decided_at, row.decided_by = e.decided_at, e.decided_by
    row.assessed_rosh = e.assessed_rosh.value if e.assessed_rosh else None
    row.rationale, row.to_team_code = e.rationale, e.to_team_code
    row.planned_review_date = e.planned_review_date
    row.actioned_at, row.actioned_by, row.action_note = e.actioned_at, e.actioned_by, e.action_note


def _get(session: Session, actor: Actor, escalation_id: int) -> tuple[RiskEscalationRow, Loaded]:
    row = session.get(RiskEscalationRow, escalation_id)
    if row is None:
        raise NotFound(f"no risk escalation {escalation_id}", field="escalation_id",
                       value=escalation_id, rule="the escalation must exist")
    try:
        loaded = load(session, actor, row.case_id)
    except NotFound:
        raise NotFound(f"no risk escalation {escalation_id}", field="escalation_id",
                       value=escalation_id, rule="the escalation must exist") from None
    return row, loaded


def indicate(session: Session, actor: Actor, case_id: int, *, concern: str, evidence: str,
             refer: bool, now: datetime) -> RiskEscalationRow:
    """Row 22: the provider records information that RoSH may be escalating to high and (at
    once, or later with `refer_escalation`) informs the NPS."""
    ensure_role(actor, PROVIDER_SIDE, "raise a risk escalation")
    loaded = load(session, actor, case_id)
    loaded.case.ensure_open("raise a risk escalation")
    org = repo.get_organisation(session, loaded.case.organisation_code)
    if org.kind is not OrganisationKind.CONTRACTED_PROVIDER:
        raise Conflict(f"case {case_id} is managed by {org.name}, not a contracted provider",
                       field="case_id", value=case_id,
                       rule="contracted providers refer escalating cases to the NPS; the NPS "
                            "reassesses its own cases")
    open_one = session.scalar(select(RiskEscalationRow.id).where(
        RiskEscalationRow.case_id == case_id,
        RiskEscalationRow.status.in_([s.value for s in OPEN])))
    if open_one is not None:
        raise Conflict(f"risk escalation {open_one} on case {case_id} is still open",
                       field="case_id", value=case_id, rule="one open escalation per case")
    e = esc.indicate(at=now, actor=actor.username, concern=concern, evidence=evidence)
    if refer:
        e = esc.refer(e, at=now, actor=actor.username)
    row = RiskEscalationRow(case_id=case_id, organisation_code=org.code, status=e.status.value,
                            concern=e.concern, evidence=e.evidence, indicated_at=now,
                            indicated_by=actor.username)
    _apply(row, e)
    session.add(row)
    session.flush()
    events = [event(EventKind.RISK_ESCALATION_INDICATED, now, actor, e.concern, escalation_id=row.id,
                    organisation=org.code, evidence=e.evidence)]
    if refer:
        events.append(event(EventKind.RISK_ESCALATION_REFERRED, now, actor, None,
                            escalation_id=row.id, organisation=org.code, referred_to="nps"))
    record(session, actor, loaded, events, what=f"risk escalation {row.id} {e.status.value}", now=now)
    return row


def refer_escalation(session: Session, actor: Actor, escalation_id: int, *,
                     now: datetime) -> RiskEscalationRow:
    ensure_role(actor, PROVIDER_SIDE, "refer a risk escalation")
    row, loaded = _get(session, actor, escalation_id)
    e = esc.refer(from_row(row), at=now, actor=actor.username)
    _apply(row, e)
    ev = event(EventKind.RISK_ESCALATION_REFERRED, now, actor, None, escalation_id=row.id,
               organisation=row.organisation_code, referred_to="nps")
    record(session, actor, loaded, [ev], what=f"risk escalation {row.id} referred", now=now)
    return row


def queue(session: Session, actor: Actor, *, status: str, now: datetime) -> list[tuple[RiskEscalationRow, CaseRow]]:
    """The NPS risk team's queue: referred escalations, oldest first."""
    ensure_role(actor, NPS_SIDE, "see the risk escalation queue")
    try:
        wanted = esc.EscalationStatus(status)
    except ValueError:
        raise InvalidValue(f"status {status!r} is not known", field="status", value=status,
                           rule="one of " + ", ".join(s.value for s in esc.EscalationStatus)) from None
    rows = [(e, c) for e, c in session.execute(
        select(RiskEscalationRow, CaseRow).join(CaseRow, CaseRow.id == RiskEscalationRow.case_id)
        .where(RiskEscalationRow.status == wanted.value, access.case_filter(actor))
        .order_by(RiskEscalationRow.referred_at, RiskEscalationRow.indicated_at, RiskEscalationRow.id)
    )]
    if rows:
        audit.read(session, actor, (c.crn for _, c in rows), f"risk escalations ({len(rows)})", at=now)
    return rows


def get(session: Session, actor: Actor, escalation_id: int, *, now: datetime) -> RiskEscalationRow:
    row, loaded = _get(session, actor, escalation_id)
    audit.record(session, actor, "read", loaded.row.crn, f"risk escalation {escalation_id}", at=now)
    return row


def decide(session: Session, actor: Actor, escalation_id: int, *, decision: str, assessed_rosh: str,
           rationale: str, to_team_code: str | None, planned_review_date: date | None,
           now: datetime) -> RiskEscalationRow:
    """Row 30: the NPS decides. Taking responsibility starts the case's transfer to the named
    NPS team through the lifecycle `transfer` command; the receiving team accepts it as usual."""
    ensure_role(actor, NPS_SIDE, "decide a risk escalation")
    row, loaded = _get(session, actor, escalation_id)
    try:
        parsed = esc.NpsDecision(decision)
    except ValueError:
        raise InvalidValue(f"decision {decision!r} is not known", field="decision", value=decision,
                           rule="take_responsibility or keep_with_provider") from None
    e = esc.decide(from_row(row), at=now, actor=actor.username, decision=parsed,
                   assessed_rosh=parse_level(assessed_rosh, field="assessed_rosh"),
                   rationale=rationale, to_team_code=to_team_code,
                   planned_review_date=planned_review_date)
    events = [event(EventKind.NPS_RISK_DECISION_RECORDED, now, actor, e.rationale,
                    escalation_id=row.id, decision=parsed.value, rosh=e.assessed_rosh,
                    to_team=to_team_code, planned_review_date=planned_review_date.isoformat()
                    if planned_review_date else None)]
    transfer_events: list[CaseEvent] = []
    if parsed is esc.NpsDecision.TAKE_RESPONSIBILITY:
        assert to_team_code is not None
        team = repo.get_team(session, to_team_code, field="to_team_code")
        org = repo.get_organisation(session, team.organisation_code)
        require(org.kind is OrganisationKind.NPS_REGION, f"team {team.code} belongs to {org.name}, "
                "not the NPS", field="to_team_code", value=team.code,
                rule="a case the NPS takes transfers to an NPS team")
        new_case, transfer_events = cases.COMMANDS["transfer"](
            session, loaded.case, actor, now,
            {"to_team_code": team.code, "reason": f"NPS risk decision on escalation {row.id}: "
                                                  f"RoSH {e.assessed_rosh}"})
        for key, value in repo.case_to_row_values(new_case).items():
            setattr(loaded.row, key, value)
        loaded.row.updated_at = now
        try:
            session.flush()
        except StaleDataError as exc:
            raise Conflict(f"case {loaded.row.id} was changed by someone else", field="version",
                           value=loaded.case.version, rule="concurrent edits never overwrite") from exc
    _apply(row, e)
    record(session, actor, loaded, events + transfer_events,
           what=f"risk escalation {row.id}: NPS {parsed.value}", now=now)
    outcome = (f"the NPS takes responsibility (RoSH {e.assessed_rosh}); transfer to team "
               f"{to_team_code} requested" if parsed is esc.NpsDecision.TAKE_RESPONSIBILITY else
               f"stays with the provider (RoSH {e.assessed_rosh}); risk review planned for "
               f"{planned_review_date.isoformat() if planned_review_date else ''}")
    risk_changed(session, loaded.row, events, summary=f"{loaded.row.crn}: NPS decision on risk "
                 f"escalation {row.id}: {outcome}", now=now)
    return row


def act_on_decision(session: Session, actor: Actor, escalation_id: int, *, note: str,
                    now: datetime) -> RiskEscalationRow:
    """Row 31: the offender manager receives and acts on the NPS assessment."""
    ensure_role(actor, PROVIDER_SIDE, "act on an NPS risk decision")
    row, loaded = _get(session, actor, escalation_id)
    e = esc.action(from_row(row), at=now, actor=actor.username, note=note)
    _apply(row, e)
    data: dict[str, Any] = {"escalation_id": row.id, "decision": row.decision,
                            "transfer_pending": loaded.case.pending_transfer is not None,
                            "planned_review_date": row.planned_review_date.isoformat()
                            if row.planned_review_date else None}
    ev = event(EventKind.NPS_DECISION_ACTIONED, now, actor, e.action_note, **data)
    record(session, actor, loaded, [ev], what=f"risk escalation {row.id} actioned", now=now)
    return row
