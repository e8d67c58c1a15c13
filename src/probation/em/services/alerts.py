"""Alert workflow use cases (issue 6 item 5): list and read alerts, acknowledge, assign, escalate,
close with an outcome, and record the MoJ violation record's timestamps.

Row 16 (violations followed up within the timescale) is evidenced by em_violation_followed_up,
recorded the first time a violation alert is followed up: its followed_up_at step, the
authority being notified, an assignment to field staff, an escalation or its closure,
whichever comes first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db import repository as repo
from probation.adapters.db.tables import CaseRow
from probation.domain.errors import NotFound
from probation.domain.events import CaseEvent, EventKind
from probation.em.domain.alerts import (
    AlertAction,
    AlertStatus,
    Outcome,
    Priority,
    ViolationRecord,
    ViolationStep,
    check_step,
    next_status,
)
from probation.em.services.cases import ensure_em_writer, load_em_case
from probation.em.tables import EmAlertActionRow, EmAlertRow
from probation.services import access, audit
from probation.services.context import Actor

FOLLOW_UP_STEPS = {ViolationStep.FOLLOWED_UP, ViolationStep.AUTHORITY_NOTIFIED}


def alert_view(a: EmAlertRow) -> dict[str, Any]:
    def iso(v: datetime | None) -> str | None:
        return v.isoformat() if v else None

    return {
        "id": a.id, "case_id": a.case_id, "device": a.device_id, "kind": a.kind, "zone": a.zone_id,
        "zone_kind": a.zone_kind, "breach": a.breach, "violation": a.violation, "inferred": a.inferred,
        "detail": a.detail, "priority": a.priority, "status": a.status, "time": iso(a.alert_at),
        "raised_at": iso(a.raised_at), "acknowledged_at": iso(a.acknowledged_at),
        "acknowledged_by": a.acknowledged_by, "assigned_at": iso(a.assigned_at),
        "assigned_to": a.assigned_to, "escalated_at": iso(a.escalated_at),
        "escalated_to": a.escalated_to, "closed_at": iso(a.closed_at), "closed_by": a.closed_by,
        "outcome": a.outcome, "superseded_at": iso(a.superseded_at),
        "violation_record": {"breach_at": iso(a.alert_at) if a.violation else None,
                             **{step.value: iso(getattr(a, step.value)) for step in ViolationStep}},
    }


def visible_alerts(session: Session, actor: Actor) -> Any:
    access.ensure_sees_people(actor)
    return select(EmAlertRow).join(CaseRow, CaseRow.id == EmAlertRow.case_id).where(
        access.case_filter(actor))


def list_alerts(session: Session, actor: Actor, *, case_id: int | None, status: str | None,
                limit: int, offset: int, now: datetime) -> list[EmAlertRow]:
    stmt = visible_alerts(session, actor)
    if case_id is not None:
        stmt = stmt.where(EmAlertRow.case_id == case_id)
    if status == "open":
        stmt = stmt.where(EmAlertRow.status != AlertStatus.CLOSED.value)
    elif status:
        stmt = stmt.where(EmAlertRow.status == status)
    rows = list(session.scalars(stmt.order_by(EmAlertRow.alert_at.desc(), EmAlertRow.id)
                                .limit(limit).offset(offset)))
    if rows:
        crns = sorted(set(session.scalars(select(CaseRow.crn).where(
            CaseRow.id.in_({r.case_id for r in rows})))))
        audit.read(session, actor, crns, f"EM alerts ({len(rows)})", at=now)
    return rows


def get_alert(session: Session, actor: Actor, alert_id: str, *,
              now: datetime) -> tuple[EmAlertRow, list[EmAlertActionRow]]:
    row: EmAlertRow | None = session.scalar(visible_alerts(session, actor).where(EmAlertRow.id == alert_id))
    if row is None:
        raise NotFound(f"no alert {alert_id}", field="alert_id", value=alert_id,
                       rule="the alert exists and its case is visible to you")
    history = list(session.scalars(select(EmAlertActionRow).where(
        EmAlertActionRow.alert_id == alert_id).order_by(EmAlertActionRow.id)))
    crn = session.scalar(select(CaseRow.crn).where(CaseRow.id == row.case_id))
    audit.record(session, actor, "read", crn, f"EM alert {alert_id}", at=now)
    return row, history


def _load_for_write(session: Session, actor: Actor, alert_id: str) -> EmAlertRow:
    ensure_em_writer(actor)
    row: EmAlertRow | None = session.scalar(visible_alerts(session, actor).where(EmAlertRow.id == alert_id))
    if row is None:  # an alert of a case outside the actor's scope answers as an unknown one
        raise NotFound(f"no alert {alert_id}", field="alert_id", value=alert_id,
                       rule="the alert exists and its case is visible to you")
    load_em_case(session, actor, row.case_id)
    return row


def _followed_up(session: Session, actor: Actor, row: EmAlertRow, how: str, *, at: datetime,
                 now: datetime) -> None:
    """Record em_violation_followed_up once per violation alert (row 16)."""
    if not row.violation:
        return
    done = session.scalar(select(EmAlertActionRow.id).where(
        EmAlertActionRow.alert_id == row.id, EmAlertActionRow.action == "followed_up"))
    if done is not None:
        return
    session.add(EmAlertActionRow(alert_id=row.id, action="followed_up", at=at, actor=actor.username,
                                 detail={"by": how}))
    repo.append_events(session, row.case_id, [CaseEvent(
        kind=EventKind.EM_VIOLATION_FOLLOWED_UP, occurred_at=at, actor=actor.username,
        data={"alert_id": row.id, "by": how})], now=now)
    session.flush()  # the next append numbers its events after these
    if row.followed_up_at is None:
        row.followed_up_at = at


def act(session: Session, actor: Actor, alert_id: str, *, action: str, to: str | None,
        outcome: Outcome | None, note: str | None, now: datetime) -> EmAlertRow:
    row = _load_for_write(session, actor, alert_id)
    step = AlertAction(action)
    target = next_status(AlertStatus(row.status), step, priority=Priority(row.priority),
                         outcome=outcome)
    if step in (AlertAction.ASSIGN, AlertAction.ESCALATE) and not (to and to.strip()):
        from probation.domain.errors import InvalidValue

        raise InvalidValue(f"{step.value} names who it goes to", field="to", value=to,
                           rule="an alert is assigned or escalated to someone")
    match step:
        case AlertAction.ACKNOWLEDGE:
            row.acknowledged_at, row.acknowledged_by = now, actor.username
            if row.identified_at is None:
                row.identified_at = now  # the violation record's "identified"
        case AlertAction.ASSIGN:
            row.assigned_at, row.assigned_to = now, to
            _followed_up(session, actor, row, "assigned", at=now, now=now)
        case AlertAction.ESCALATE:
            row.escalated_at, row.escalated_to = now, to
            _followed_up(session, actor, row, "escalated", at=now, now=now)
        case AlertAction.CLOSE:
            row.closed_at, row.closed_by = now, actor.username
            row.outcome = outcome.value if outcome else None
            _followed_up(session, actor, row, "closed", at=now, now=now)
    row.status = target.value
    session.add(EmAlertActionRow(alert_id=row.id, action=step.value, at=now, actor=actor.username,
                                 detail={k: v for k, v in {"to": to, "outcome": outcome.value if outcome
                                                           else None, "note": note}.items() if v}))
    crn = session.scalar(select(CaseRow.crn).where(CaseRow.id == row.case_id))
    audit.record(session, actor, "write", crn, f"EM alert {alert_id} {step.value}", at=now)
    session.flush()
    return row


def record_step(session: Session, actor: Actor, alert_id: str, *, step: ViolationStep,
                at: datetime, now: datetime) -> EmAlertRow:
    row = _load_for_write(session, actor, alert_id)
    if not row.violation:
        from probation.domain.errors import Conflict

        raise Conflict(f"alert {alert_id} ({row.kind}) is not a violation", field="alert_id",
                       value=alert_id, rule="the violation record belongs to a violation alert")
    steps = {s: getattr(row, s.value) for s in ViolationStep if getattr(row, s.value)}
    check_step(ViolationRecord(breach_at=row.alert_at, steps=steps), step, at, now=now)
    setattr(row, step.value, at)
    session.add(EmAlertActionRow(alert_id=row.id, action=f"step:{step.value}", at=now,
                                 actor=actor.username, detail={"at": at.isoformat()}))
    if step in FOLLOW_UP_STEPS:
        _followed_up(session, actor, row, step.value, at=at, now=now)
    crn = session.scalar(select(CaseRow.crn).where(CaseRow.id == row.case_id))
    audit.record(session, actor, "write", crn, f"EM alert {alert_id} {step.value}", at=now)
    session.flush()
    return row
