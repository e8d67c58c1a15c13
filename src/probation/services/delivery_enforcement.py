"""Compliance and enforcement use cases: the compliance summary per order, the practitioner's
enforcement decisions, court and recall outcomes, and early revocation flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db import repository as repo
from probation.adapters.db.tables import CaseEventRow, CaseRow
from probation.adapters.db.tables_delivery import AppointmentRow, EnforcementActionRow
from probation.domain.case import Case, CaseStatus
from probation.domain.delivery import early_revocation as er
from probation.domain.delivery import enforcement as rules
from probation.domain.delivery.appointments import AppointmentStatus, Outcome
from probation.domain.delivery.enforcement import Action, BreachRecord, CourtOutcome
from probation.domain.delivery.times import local_date
from probation.domain.errors import NotFound, require
from probation.domain.events import CaseEvent, EventKind
from probation.domain.requirements import RequirementType
from probation.domain.roles import Role
from probation.services import access, audit, cases
from probation.services.context import Actor
from probation.services.delivery_appointments import rar_progress
from probation.services.delivery_common import day_of, phase_on, release_dates, visible_case


@dataclass(frozen=True, kw_only=True)
class Compliance:
    case: Case
    summary: rules.ComplianceSummary
    actions: list[EnforcementActionRow]
    failures: list[AppointmentRow]


def _breach(r: EnforcementActionRow) -> BreachRecord:
    return BreachRecord(id=r.id, action=Action(r.action), failure_day=r.failure_day, initiated_on=r.decided_on,
                        concluded_on=r.concluded_on, outcome=CourtOutcome(r.outcome) if r.outcome else None)


def compliance_as_of(session: Session, case: Case, row: CaseRow, as_of: date) -> Compliance:
    assert case.id is not None
    failures = [r for r in session.scalars(select(AppointmentRow).where(
        AppointmentRow.case_id == case.id, AppointmentRow.status == AppointmentStatus.COMPLETED.value,
        AppointmentRow.national_standard).order_by(AppointmentRow.starts_at))
        if r.outcome and Outcome(r.outcome).is_failure]
    actions = list(session.scalars(select(EnforcementActionRow).where(EnforcementActionRow.case_id == case.id)
                                   .order_by(EnforcementActionRow.id)))
    days = [day_of(r) for r in failures]
    dates = release_dates(session, case, row)
    policy_for = {d: rules.policy_key(case.sentence.type, phase_on(dates, d)) for d in days}
    summary = rules.summarise(
        sentence_date=case.sentence.sentence_date, failure_days=days,
        warned_days={a.failure_day for a in actions if a.action == Action.WARNING_LETTER.value},
        breaches=[_breach(a) for a in actions if a.action != Action.WARNING_LETTER.value],
        as_of=as_of, policy_for=policy_for)
    return Compliance(case=case, summary=summary, actions=actions, failures=failures)


def compliance(session: Session, actor: Actor, case_id: int, *, now: datetime) -> Compliance:
    case, row = visible_case(session, actor, case_id)
    audit.record(session, actor, "read", case.crn, f"case {case_id}: compliance", at=now)
    return compliance_as_of(session, case, row, local_date(now))


def _event(kind: EventKind, now: datetime, actor: Actor, reason: str | None, **data: Any) -> CaseEvent:
    return CaseEvent(kind=kind, occurred_at=now, actor=actor.username, reason=reason, data=data)


def decide(session: Session, actor: Actor, case_id: int, action: Action, *, reason: str | None,
           now: datetime) -> EnforcementActionRow:
    """Record the enforcement decision the policy calls for: a warning letter, a breach to court
    or a recall recommendation."""
    access.ensure_can_manage(actor)
    case, row = visible_case(session, actor, case_id)
    case.ensure_open("take enforcement action")
    today = local_date(now)
    decision = rules.check_decision(compliance_as_of(session, case, row, today).summary, action)
    assert decision.failure_day is not None
    record = EnforcementActionRow(case_id=case_id, action=action.value, failure_day=decision.failure_day,
                                  decided_on=today, due_by=decision.due_by, number=decision.number,
                                  policy=decision.policy, decided_by=actor.username, reason=reason)
    session.add(record)
    session.flush()
    late = decision.due_by is not None and today > decision.due_by
    data = dict(action_id=record.id, action=action.value, failure_day=decision.failure_day.isoformat(),
                due_by=decision.due_by.isoformat() if decision.due_by else None, number=decision.number,
                policy=decision.policy, late=late)
    kind = EventKind.WARNING_ISSUED if action is Action.WARNING_LETTER else EventKind.BREACH_INITIATED
    events = [_event(kind, now, actor, reason, **data),
              _event(EventKind.ENFORCEMENT_DECISION_RECORDED, now, actor, reason, **data)]
    repo.append_events(session, case_id, events, now=now)
    audit.record(session, actor, "write", case.crn, f"case {case_id}: enforcement {action.value}", at=now)
    session.flush()
    return record


def record_court_outcome(session: Session, actor: Actor, case_id: int, action_id: int, outcome: CourtOutcome, *,
                         on: date, notes: str | None, now: datetime) -> EnforcementActionRow:
    """The court's (or the recall decision's) outcome ends the breach; revocation terminates the
    case through the lifecycle with the reason revoked_on_breach."""
    access.ensure_can_manage(actor)
    case, _ = visible_case(session, actor, case_id)
    record = session.get(EnforcementActionRow, action_id)
    if record is None or record.case_id != case_id or record.action == Action.WARNING_LETTER.value:
        raise NotFound(f"no breach or recall {action_id} on case {case_id}", field="action_id", value=action_id,
                       rule="outcomes are recorded for a breach or recall on this case")
    rules.check_outcome(_breach(record), outcome, on=on)
    require(on <= local_date(now), f"outcome date {on.isoformat()} is in the future", field="on",
            value=on.isoformat(), rule="record an outcome when it has happened")
    if outcome is CourtOutcome.REVOKE_AND_RESENTENCE:
        case.ensure_open("revoke the order")
    record.outcome, record.concluded_on, record.outcome_notes = outcome.value, on, notes
    session.flush()
    repo.append_events(session, case_id, [_event(
        EventKind.ENFORCEMENT_DECISION_RECORDED, now, actor, notes, action_id=record.id,
        action=record.action, outcome=outcome.value, on=on.isoformat())], now=now)
    audit.record(session, actor, "write", case.crn, f"case {case_id}: breach {action_id} {outcome.value}", at=now)
    session.flush()
    if outcome is CourtOutcome.REVOKE_AND_RESENTENCE:
        cases.apply(session, actor, case_id, "terminate",
                    {"reason": "revoked_on_breach", "on": on, "note": notes or "revoked on breach"}, now=now)
    return record


# Early revocation ---------------------------------------------------------------------------------

def assessment_as_of(session: Session, case: Case, row: CaseRow, as_of: date) -> er.Assessment:
    assert case.id is not None
    comp = compliance_as_of(session, case, row, as_of)
    found = rar_progress(session, case, case.id, as_of)
    other = tuple(sorted({r.type.value for r in case.sentence.requirements
                          if r.type is not RequirementType.REHABILITATION_ACTIVITY}))
    later = [d for d in session.scalars(select(CaseRow.offence_date).where(
        CaseRow.person_id == row.person_id, CaseRow.id != case.id)) if d is not None]
    facts = er.OrderFacts(sentence_type=case.sentence.type, sentence_date=case.sentence.sentence_date,
                          end_date=case.sentence.end_date,
                          failure_days=tuple(day_of(r) for r in comp.failures),
                          breach_in_progress=comp.summary.breach_in_progress is not None,
                          rar=found[0] if found else None, rar_start=found[1] if found else None,
                          other_requirements=other, new_offence_dates=tuple(later))
    return er.assess(facts, as_of=as_of)


def early_revocation(session: Session, actor: Actor, case_id: int, *, now: datetime) -> er.Assessment:
    case, row = visible_case(session, actor, case_id)
    audit.record(session, actor, "read", case.crn, f"case {case_id}: early revocation criteria", at=now)
    return assessment_as_of(session, case, row, local_date(now))


def _already_flagged(session: Session, case_id: int) -> bool:
    return session.scalar(select(CaseEventRow.id).where(
        CaseEventRow.case_id == case_id,
        CaseEventRow.kind == EventKind.EARLY_REVOCATION_CRITERIA_MET.value).limit(1)) is not None


def flag_early_revocations(session: Session, actor: Actor, *, now: datetime) -> list[dict[str, Any]]:
    """Assess every active order the actor manages (an offender manager: their own cases; a team
    manager or administrator: every visible case); record `early_revocation_criteria_met` the
    first time an order meets the criteria, so it is flagged to its offender manager."""
    access.ensure_can_manage(actor)
    cond = [access.case_filter(actor), CaseRow.status == CaseStatus.ACTIVE.value]
    if actor.role is Role.PRACTITIONER:
        cond.append(CaseRow.offender_manager_code == (actor.staff_code or ""))
    flagged = []
    today = local_date(now)
    for case_id in session.scalars(select(CaseRow.id).where(*cond).order_by(CaseRow.id)):
        case, row = repo.load_case(session, case_id)
        assessment = assessment_as_of(session, case, row, today)
        if not assessment.met:
            continue
        new = not _already_flagged(session, case_id)
        if new:
            repo.append_events(session, case_id, [_event(
                EventKind.EARLY_REVOCATION_CRITERIA_MET, now, actor, None, on=today.isoformat(),
                offender_manager=case.offender_manager_code,
                criteria={c.name: c.detail for c in assessment.criteria},
                to_confirm=list(assessment.to_confirm))], now=now)
        flagged.append({"case_id": case_id, "crn": case.crn, "offender_manager": case.offender_manager_code,
                        "newly_flagged": new, "criteria": [c.__dict__ for c in assessment.criteria],
                        "to_confirm": list(assessment.to_confirm)})
    if flagged:
        newly = [str(f["crn"]) for f in flagged if f["newly_flagged"]]
        if newly:
            audit.record(session, actor, "write", None, "early revocation flags: " + ",".join(newly), at=now)
        audit.read(session, actor, (str(f["crn"]) for f in flagged), f"early revocation flags ({len(flagged)})",
                   at=now)
    session.flush()
    return flagged

