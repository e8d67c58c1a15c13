"""Signing in with a username and password, throttled per username and per client address.

Failures are counted for the username typed (whether or not it exists) and for the client address
over a window (`PROBATION_SIGN_IN_WINDOW_S`); reaching the limit (`..._USER_FAILURES`,
`..._ADDRESS_FAILURES`) locks that username or address for `..._LOCK_S`, each further lock twice
as long up to `..._LOCK_MAX_S`, and the doubling starts over after `..._LOCK_RESET_S` without a
failure. While locked, an attempt is refused before its password is looked at, with the same
answer whether the username exists or not. The state is in the database, so every server process
shares it. See docs/SECURITY.md.

Three short transactions, not the request's one, because the throttle has to hold across processes
and concurrent attempts: (1) count the attempt before the password is verified (so a burst of
parallel guesses cannot all be verified before the first failure is recorded) or refuse it while
locked; (2) verify the password with no transaction open (argon2 takes tens of milliseconds on
purpose); (3) settle: a success clears the username's count and opens a session, a failure may
lock. Failed, locked and throttled attempts are audit rows written in those transactions, so they
stay whatever the request's outcome.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from probation.adapters.db.tables import AuditRow, UserRow
from probation.adapters.db.tables_auth import SignInThrottleRow
from probation.domain.errors import DomainError
from probation.services import auth_sessions, passwords
from probation.services.context import Actor
from probation.services.users import AuthenticationFailed, actor_for_user

USER, ADDRESS = "user", "address"
MAX_LOCK_DOUBLINGS = 20


@dataclass(frozen=True, kw_only=True)
class ThrottlePolicy:
    user_failures: int = 5
    address_failures: int = 50
    window: timedelta = timedelta(hours=1)
    lock: timedelta = timedelta(minutes=1)
    lock_max: timedelta = timedelta(hours=1)
    lock_reset: timedelta = timedelta(days=1)

    @classmethod
    def from_settings(cls, settings: Any) -> ThrottlePolicy:
        return cls(user_failures=settings.sign_in_user_failures,
                   address_failures=settings.sign_in_address_failures,
                   window=timedelta(seconds=settings.sign_in_window_s),
                   lock=timedelta(seconds=settings.sign_in_lock_s),
                   lock_max=timedelta(seconds=settings.sign_in_lock_max_s),
                   lock_reset=timedelta(seconds=settings.sign_in_lock_reset_s))

    def limit(self, kind: str) -> int:
        return self.user_failures if kind == USER else self.address_failures

    def lock_for(self, locks_so_far: int) -> timedelta:
        factor: int = 2 ** min(locks_so_far, MAX_LOCK_DOUBLINGS)
        return min(self.lock * factor, self.lock_max)


def wait_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class TooManyAttempts(DomainError):
    """Sign-in refused without looking at the password: the username or the address is locked."""

    status = 429

    def __init__(self, retry_after_s: int) -> None:
        self.retry_after = max(1, retry_after_s)
        super().__init__(f"too many failed sign-ins: try again in {wait_words(self.retry_after)}",
                         field="username", value=None,
                         rule="after repeated failed sign-ins for a username or from an address, signing in "
                              "is paused for a while, longer each time")


@dataclass(frozen=True, kw_only=True)
class SignedIn:
    actor: Actor
    identifier: str  # for the session cookie or the bearer token; only its hash is stored
    expires_at: datetime


def storable(text: str) -> str:
    """Text any database stores: a lone surrogate or a NUL (valid in JSON, refused by the drivers)
    becomes a replacement character, so a guessed username can always be counted and audited."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


def _keys(username: str, address: str) -> list[tuple[str, str]]:
    # sorted, so concurrent attempts lock rows in the same order
    return sorted([(USER, storable(username.strip().lower())[:100]), (ADDRESS, storable(address)[:100])])


def _throttle_rows(session: Session, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], SignInThrottleRow]:
    """The keys' rows, created when missing and locked for this transaction (SQLite: the INSERT takes
    the database's write lock; PostgreSQL: FOR UPDATE)."""
    values = [{"kind": k, "key": v, "failures": 0, "locks": 0} for k, v in keys]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(SignInThrottleRow).values(values).on_conflict_do_nothing())
    rows = session.scalars(select(SignInThrottleRow)
                           .where(tuple_(SignInThrottleRow.kind, SignInThrottleRow.key).in_(list(keys)))
                           .order_by(SignInThrottleRow.kind, SignInThrottleRow.key)
                           .with_for_update()
                           .execution_options(populate_existing=True)).all()
    return {(r.kind, r.key): r for r in rows}


def _wait(row: SignInThrottleRow, limit: int, now: datetime) -> int:
    """Seconds until this key may try again; 0 when it may try now."""
    locked_until = row.locked_until
    if locked_until is not None and locked_until > now:
        return math.ceil((locked_until - now).total_seconds())
    if row.failures >= limit:  # the window's quota is taken by attempts still being verified
        return 5
    return 0


def _audit(session: Session, *, at: datetime, username: str, role: str, action: str, subject: str | None,
           detail: str, channel: str) -> None:
    session.add(AuditRow(at=at, username=username[:100], role=role[:32], action=action, subject=subject,
                         detail=detail, channel=channel))


def _subject(kind: str, key: str) -> str:
    return f"{kind}:{key}"[:40]


def sign_in(sessions: sessionmaker[Session], *, username: str, password: str, address: str, channel: str,
            now: datetime, policy: ThrottlePolicy, max_age_s: int) -> SignedIn:
    """Sign in, or raise TooManyAttempts (429) or AuthenticationFailed (401)."""
    keys = _keys(username, address)
    typed, address = storable(username)[:100], storable(address)[:64]
    # 1. count the attempt, or refuse it while locked
    with sessions.begin() as s:
        rows = _throttle_rows(s, keys)
        # a username the database could not hold is nobody's (and must not reach the driver)
        user = s.scalar(select(UserRow).where(UserRow.username == username)) if typed == username else None
        role = user.role if user is not None else "unknown"
        wait = max(_wait(rows[k], policy.limit(k[0]), now) for k in keys)
        if wait:
            _audit(s, at=now, username=typed, role=role, action="throttled", subject=_subject(USER, typed),
                   detail=f"sign-in via {channel} from {address} refused unchecked for {wait_words(wait)}",
                   channel=channel)
        else:
            for key in keys:
                row = rows[key]
                last_failure = row.last_failure_at
                if last_failure is not None and now - last_failure >= policy.lock_reset:
                    row.locks = 0
                window_start = row.window_start
                if window_start is None or now - window_start >= policy.window:
                    row.failures, row.window_start = 0, now
                row.failures += 1
    if wait:
        raise TooManyAttempts(wait)
    # 2. verify: always one argon2 verification, against a dummy hash when the user is unknown
    matches = passwords.verify_password(user.password_hash if user is not None else passwords.dummy_hash(),
                                        password)
    ok = matches and user is not None and user.active
    # 3. settle
    with sessions.begin() as s:
        rows = _throttle_rows(s, keys)
        if ok:
            assert user is not None
            for key in keys:
                if key[0] == USER:
                    s.delete(rows[key])  # a right password clears the username's count and doublings
                else:
                    rows[key].failures = max(rows[key].failures - 1, 0)  # only this attempt's own count
            auth_sessions.forget_expired(s, user.id, now=now)
            identifier, expires = auth_sessions.open_session(s, user_id=user.id, channel=channel, address=address,
                                                             now=now, max_age_s=max_age_s)
            actor = actor_for_user(s, user, channel)
            _audit(s, at=now, username=user.username, role=user.role, action="login", subject=None,
                   detail=f"signed in via {channel} from {address}", channel=channel)
        else:
            why = ("unknown username" if user is None else "account not active" if not user.active
                   else "wrong password")
            _audit(s, at=now, username=typed, role=role, action="login_failed", subject=_subject(USER, typed),
                   detail=f"{why}; via {channel} from {address}", channel=channel)
            for kind, value in keys:
                row = rows[(kind, value)]
                row.last_failure_at = now
                if row.failures >= policy.limit(kind):
                    length = policy.lock_for(row.locks)
                    row.locked_until, row.locks, row.failures, row.window_start = now + length, row.locks + 1, 0, None
                    _audit(s, at=now, username=typed, role=role, action="locked", subject=_subject(kind, value),
                           detail=f"{'username' if kind == USER else 'address'} {value} locked for "
                                  f"{wait_words(int(length.total_seconds()))} after {policy.limit(kind)} failed "
                                  f"sign-ins (lock {row.locks})", channel=channel)
            s.flush()
            _forget_stale(s, now, policy)
    if not ok:
        raise AuthenticationFailed("the username or password is not right", field="password", value=None,
                                   rule="sign in with your username and password")
    return SignedIn(actor=actor, identifier=identifier, expires_at=expires)


def _forget_stale(session: Session, now: datetime, policy: ThrottlePolicy) -> None:
    """Drop the counts of usernames and addresses quiet for longer than the doubling is remembered
    (guessed usernames would otherwise pile up)."""
    cutoff = now - max(policy.lock_reset, policy.window)
    session.execute(delete(SignInThrottleRow).where(
        or_(SignInThrottleRow.last_failure_at < cutoff,
            and_(SignInThrottleRow.last_failure_at.is_(None), SignInThrottleRow.window_start < cutoff)),
        or_(SignInThrottleRow.locked_until.is_(None), SignInThrottleRow.locked_until < now)))
