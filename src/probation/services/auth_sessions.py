"""Server-side sessions: every web sign-in and every API token is an `auth_session` row, so ending
one takes effect at the next request (sign-out, "sign out everywhere", a password reset or a
deactivated account), however many copies of the cookie or token exist.

The cookie and the bearer token carry a random 256-bit identifier; the row is keyed by its SHA-256,
so reading the table does not give anyone a session. Each request checks its session with one
query on the primary key (joined to the user, their staff record and team), cheap enough for the
EM ingest endpoint, which authenticates every batch. `last_seen_at` is written at most once a
minute per session, after the request's transaction has ended, so a read never holds a write lock.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from probation.adapters.db.tables import StaffRow, TeamRow, UserRow
from probation.adapters.db.tables_auth import AuthSessionRow
from probation.services.context import Actor
from probation.services.users import AuthenticationFailed, actor_from

log = logging.getLogger(__name__)
TOUCH_EVERY = timedelta(minutes=1)
KEEP_EXPIRED = timedelta(days=1)
_TOUCHED = "auth_session_touched"  # key in Session.info: session hashes seen by this request


def digest(identifier: str) -> str:
    return hashlib.sha256(identifier.encode("utf-8", "replace")).hexdigest()


def open_session(session: Session, *, user_id: int, channel: str, address: str | None, now: datetime,
                 max_age_s: int) -> tuple[str, datetime]:
    """Start a session; returns the identifier for the cookie or token (never stored) and its expiry."""
    identifier = secrets.token_urlsafe(32)
    expires = now + timedelta(seconds=max_age_s)
    session.add(AuthSessionRow(id_hash=digest(identifier), user_id=user_id, channel=channel,
                               address=address[:64] if address else None, created_at=now, expires_at=expires,
                               last_seen_at=now))
    session.flush()
    return identifier, expires


def forget_expired(session: Session, user_id: int, *, now: datetime) -> None:
    """Drop a user's sessions that expired more than a day ago (called at each sign-in, so the table
    holds live sessions and recent ones, not every sign-in ever; the audit log keeps those)."""
    session.execute(delete(AuthSessionRow).where(AuthSessionRow.user_id == user_id,
                                                 AuthSessionRow.expires_at < now - KEEP_EXPIRED))


def _ended(message: str, channel: str) -> AuthenticationFailed:
    rule = ("sign in again" if channel == "web" else "request a new token with POST /api/token")
    return AuthenticationFailed(message, field="Authorization" if channel == "api" else "session", value=None,
                                rule=rule)


def actor_for(session: Session, identifier: str, *, channel: str, now: datetime) -> Actor:
    """The actor of a live session, or AuthenticationFailed (unknown, ended, expired, inactive user)."""
    if not identifier or len(identifier) > 200:
        raise _ended("the session is not known", channel)
    found = session.execute(
        select(AuthSessionRow, UserRow, StaffRow.team_code, TeamRow.organisation_code)
        .join(UserRow, UserRow.id == AuthSessionRow.user_id)
        .outerjoin(StaffRow, StaffRow.code == UserRow.staff_code)
        .outerjoin(TeamRow, TeamRow.code == StaffRow.team_code)
        .where(AuthSessionRow.id_hash == digest(identifier))).first()
    if found is None:
        raise _ended("the session is not known", channel)
    row, user, team_code, team_org = found
    if row.channel != channel:
        raise _ended(f"the session belongs to the {row.channel} channel", channel)
    if row.revoked_at is not None:
        raise _ended(f"the session has ended ({row.revoked_reason or 'signed out'})", channel)
    if row.expires_at <= now:
        raise _ended("the session has expired", channel)
    if not user.active:
        raise _ended("the account is not active", channel)
    if now - row.last_seen_at >= TOUCH_EVERY:
        session.info.setdefault(_TOUCHED, {})[row.id_hash] = now
    return actor_from(user, team_code=team_code, team_organisation_code=team_org, channel=channel)


def write_touched(session: Session, sessions: sessionmaker[Session]) -> None:
    """Record when the request's sessions were last seen, in a transaction of its own; call once the
    request's transaction has ended. A failure here only loses a "last seen" time, never the answer."""
    touched: dict[str, datetime] = session.info.pop(_TOUCHED, {})
    if not touched:
        return
    try:
        with sessions.begin() as apart:
            for id_hash, at in touched.items():
                apart.execute(update(AuthSessionRow).where(AuthSessionRow.id_hash == id_hash,
                                                           AuthSessionRow.last_seen_at < at)
                              .values(last_seen_at=at))
    except SQLAlchemyError:
        log.warning("could not record when %d session(s) were last seen", len(touched), exc_info=True)


def end(session: Session, identifier: str, *, now: datetime, reason: str) -> bool:
    """End one session (sign-out). True when a live session was ended."""
    result = session.execute(update(AuthSessionRow).where(AuthSessionRow.id_hash == digest(identifier),
                                                          AuthSessionRow.revoked_at.is_(None))
                             .values(revoked_at=now, revoked_reason=reason[:40]))
    return bool(getattr(result, "rowcount", 0))


def end_all(session: Session, user_id: int, *, now: datetime, reason: str) -> int:
    """End every live session of a user at once; returns how many were ended."""
    result = session.execute(update(AuthSessionRow).where(AuthSessionRow.user_id == user_id,
                                                          AuthSessionRow.revoked_at.is_(None),
                                                          AuthSessionRow.expires_at > now)
                             .values(revoked_at=now, revoked_reason=reason[:40]))
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True, kw_only=True)
class SessionSummary:
    live: int
    last_seen: datetime | None


def summary(session: Session, user_id: int, *, now: datetime) -> SessionSummary:
    """How many live sessions a user has and when one was last used (for the administrator)."""
    live, last = session.execute(
        select(func.count(), func.max(AuthSessionRow.last_seen_at)).where(
            AuthSessionRow.user_id == user_id, AuthSessionRow.revoked_at.is_(None),
            AuthSessionRow.expires_at > now)).one()
    return SessionSummary(live=int(live or 0), last_seen=last)
