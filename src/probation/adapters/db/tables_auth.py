"""Sign-in tables: server-side sessions (web sign-ins and API tokens) and the sign-in throttle
shared by every server process (docs/SECURITY.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from probation.adapters.db.tables import Base, BigId


class AuthSessionRow(Base):
    """One web sign-in or one API token. The cookie or bearer token carries a random identifier;
    only its SHA-256 is stored, so a copy of the table signs nobody in."""

    __tablename__ = "auth_session"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("app_user.id"))
    channel: Mapped[str] = mapped_column(String(8))  # web | api
    address: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (Index("ix_auth_session_user", "user_id", "revoked_at"),)


class SignInThrottleRow(Base):
    """Failed sign-ins counted for one username or one client address, and its lock."""

    __tablename__ = "sign_in_throttle"
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # user | address
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)  # in the window, attempts in progress included
    window_start: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]
    locks: Mapped[int] = mapped_column(Integer, default=0)  # locks so far: the next one is twice as long
    locked_until: Mapped[datetime | None]

    __table_args__ = (Index("ix_sign_in_throttle_last_failure", "last_failure_at"),)
