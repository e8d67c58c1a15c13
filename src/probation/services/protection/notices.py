"""Item 7: a change of risk or flags tells the offender manager, and is the hook through which the
obligations engine recomputes the case's obligations and level of contact.

Every protection use case that changes risk (RoSH, predictor score, escalation decision) or flags
(registers added, ended or reviewed) calls `risk_changed` in the same transaction, after its case
events are appended. It writes an `om_notice` row for the offender manager (or, before
allocation, the case's team) and then calls every registered hook with a `RiskChange`. The
obligations engine registers one with `@on_risk_change` and recomputes from the case's events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import CaseRow
from probation.adapters.db.tables_protection import OffenderManagerNoticeRow
from probation.domain.errors import Forbidden, NotFound
from probation.domain.events import CaseEvent
from probation.domain.roles import Role
from probation.services import access, audit
from probation.services.context import Actor


@dataclass(frozen=True, kw_only=True)
class RiskChange:
    """What changed on one case, with the events that record it (their data carries the RoSH
    level, register, model scores or decision)."""

    case_id: int
    crn: str
    events: tuple[CaseEvent, ...]
    at: datetime
    notice_id: int


RiskChangeHook = Callable[[Session, RiskChange], None]
_HOOKS: list[RiskChangeHook] = []


def on_risk_change(hook: RiskChangeHook) -> RiskChangeHook:
    """Register a hook (decorator); it runs inside the request's transaction and may raise to
    refuse the change."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)
    return hook


def remove_hook(hook: RiskChangeHook) -> None:
    if hook in _HOOKS:
        _HOOKS.remove(hook)


def risk_changed(session: Session, case_row: CaseRow, events: list[CaseEvent], *, summary: str,
                 now: datetime) -> int:
    """Notify the offender manager of the change and run the hooks. Returns the notice id."""
    notice = OffenderManagerNoticeRow(
        case_id=case_row.id, crn=case_row.crn, staff_code=case_row.offender_manager_code,
        team_code=case_row.team_code, change=events[0].kind.value, summary=summary,
        created_at=now, read_at=None)
    session.add(notice)
    session.flush()
    change = RiskChange(case_id=case_row.id, crn=case_row.crn, events=tuple(events), at=now,
                        notice_id=notice.id)
    for hook in list(_HOOKS):
        hook(session, change)
    return notice.id


def _mine(actor: Actor) -> Any:
    """The notices addressed to the actor (or their team), of cases they may still see: a restricted
    case's notices reach only the staff named on it, and a case transferred away takes its own."""
    if actor.role not in (Role.PRACTITIONER, Role.TEAM_MANAGER) or actor.staff_code is None:
        raise Forbidden(f"the {actor.role.label} role has no offender manager notices", field="role",
                        value=actor.role.value, rule="notices go to offender managers and their team")
    visible = access.case_visible(actor, OffenderManagerNoticeRow.case_id)
    mine = OffenderManagerNoticeRow.staff_code == actor.staff_code
    if actor.team_code is None:
        return and_(mine, visible)
    # Before allocation a notice goes to the team; a team manager also sees the team's.
    team = OffenderManagerNoticeRow.team_code == actor.team_code
    if actor.role is Role.TEAM_MANAGER:
        return and_(or_(mine, team), visible)
    return and_(or_(mine, team & OffenderManagerNoticeRow.staff_code.is_(None)), visible)


def list_notices(session: Session, actor: Actor, *, unread_only: bool, limit: int, offset: int,
                 now: datetime) -> list[OffenderManagerNoticeRow]:
    stmt = select(OffenderManagerNoticeRow).where(_mine(actor))
    if unread_only:
        stmt = stmt.where(OffenderManagerNoticeRow.read_at.is_(None))
    rows = list(session.scalars(stmt.order_by(OffenderManagerNoticeRow.id.desc())
                                .limit(limit).offset(offset)))
    if rows:
        audit.read(session, actor, (r.crn for r in rows), f"notices ({len(rows)})", at=now)
    return rows


def mark_read(session: Session, actor: Actor, notice_id: int, *, now: datetime) -> OffenderManagerNoticeRow:
    row = session.scalar(select(OffenderManagerNoticeRow).where(
        OffenderManagerNoticeRow.id == notice_id, _mine(actor)))
    if row is None:
        raise NotFound(f"no notice {notice_id} for {actor.username}", field="notice_id",
                       value=notice_id, rule="a notice is read by the staff it was sent to")
    if row.read_at is None:
        row.read_at = now
        audit.record(session, actor, "write", row.crn, f"notice {notice_id} read", at=now)
        session.flush()
    return row
