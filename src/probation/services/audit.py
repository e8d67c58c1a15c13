"""The audit log: every read and write of a person's record, and every sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import AuditRow
from probation.services.context import Actor


def record(session: Session, actor: Actor, action: str, subject: str | None, detail: str | None,
           *, at: datetime) -> None:
    session.add(AuditRow(at=at, username=actor.username, role=actor.role.value, action=action,
                         subject=subject, detail=detail, channel=actor.channel))


@dataclass(frozen=True, kw_only=True)
class AuditQuery:
    username: str | None = None
    subject: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100
    offset: int = 0


def search(session: Session, q: AuditQuery) -> list[AuditRow]:
    stmt = select(AuditRow)
    if q.username:
        stmt = stmt.where(AuditRow.username == q.username)
    if q.subject:
        stmt = stmt.where(AuditRow.subject == q.subject)
    if q.action:
        stmt = stmt.where(AuditRow.action == q.action)
    if q.since:
        stmt = stmt.where(AuditRow.at >= q.since)
    if q.until:
        stmt = stmt.where(AuditRow.at < q.until)
    return list(session.scalars(stmt.order_by(AuditRow.id.desc()).limit(q.limit).offset(q.offset)))
