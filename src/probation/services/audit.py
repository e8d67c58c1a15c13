"""The audit log: every read and write of a person's record, every sign-in, and every refusal.

- `record` writes one row in the caller's transaction (a write is audited only if it commits).
- `read` audits a read that showed people's records: one row, and one `audit_subject` row for each
  record shown, so a person's reads are found whatever listed them (caseload, worklist, diary).
- `keep` audits something that must stay even though the request is refused and its transaction
  rolled back (a denied read, a failed sign-in): the row is held on the session and written in a
  transaction of its own once the request's has ended (`write_kept`).
- `denied` is the row for a refused request: a signed-in actor asked for a case, person or record
  outside their scope (404) or their role (403). The API's and the pages' error handlers write it
  with `write_apart` once the request's transaction has rolled back (api/denials.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session, sessionmaker

from probation.adapters.db.tables import AuditRow, AuditSubjectRow
from probation.services.context import Actor

_KEPT = "audit_kept"  # key in Session.info of the rows to write after the transaction ends


def record(session: Session, actor: Actor, action: str, subject: str | None, detail: str | None,
           *, at: datetime) -> None:
    session.add(AuditRow(at=at, username=actor.username, role=actor.role.value, action=action,
                         subject=subject, detail=detail, channel=actor.channel))


def read(session: Session, actor: Actor, subjects: Iterable[str], detail: str, *, at: datetime) -> None:
    """A read that showed these records (CRNs): the row's subject is the record when there is one."""
    shown = sorted(set(subjects))
    row = AuditRow(at=at, username=actor.username, role=actor.role.value, action="read",
                   subject=shown[0] if len(shown) == 1 else None, detail=detail, channel=actor.channel)
    row.subjects = [AuditSubjectRow(subject=s) for s in shown]
    session.add(row)


@dataclass(frozen=True, kw_only=True)
class Kept:
    at: datetime
    username: str
    role: str
    action: str  # denied | login_failed | locked | ...
    subject: str | None
    detail: str | None
    channel: str


def keep(session: Session, entry: Kept) -> None:
    """Hold a row that must be written whether the request's transaction commits or not."""
    session.info.setdefault(_KEPT, []).append(entry)


def write_kept(session: Session, sessions: sessionmaker[Session]) -> None:
    """Write the rows held by `keep` in a transaction of their own; call once the request's
    transaction has ended (committed or rolled back)."""
    write_apart(sessions, session.info.pop(_KEPT, []))


def write_apart(sessions: sessionmaker[Session], kept: list[Kept]) -> None:
    """Write these rows in a transaction of their own (none of a request's)."""
    if not kept:
        return
    with sessions.begin() as apart:
        apart.add_all(AuditRow(at=k.at, username=k.username, role=k.role, action=k.action, subject=k.subject,
                               detail=k.detail, channel=k.channel) for k in kept)


SUBJECT_MAX = 40  # audit_log.subject


def denied(actor: Actor, subject: str | None, detail: str, *, at: datetime) -> Kept:
    """The row for a refused request: who asked, through which channel, for what, and why not."""
    return Kept(at=at, username=actor.username, role=actor.role.value, action="denied",
                subject=subject[:SUBJECT_MAX] if subject else None, detail=detail[:500], channel=actor.channel)


def about(subject: str) -> ColumnElement[bool]:
    """SQL condition: the audit row is about this subject (its own subject, or among those shown)."""
    return (AuditRow.subject == subject) | exists(
        select(AuditSubjectRow.audit_id).where(AuditSubjectRow.audit_id == AuditRow.id,
                                               AuditSubjectRow.subject == subject))


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
        stmt = stmt.where(about(q.subject))
    if q.action:
        stmt = stmt.where(AuditRow.action == q.action)
    if q.since:
        stmt = stmt.where(AuditRow.at >= q.since)
    if q.until:
        stmt = stmt.where(AuditRow.at < q.until)
    return list(session.scalars(stmt.order_by(AuditRow.id.desc()).limit(q.limit).offset(q.offset)))
