"""Users, sign-in and API tokens."""

from __future__ import annotations

from datetime import datetime

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import StaffRow, TeamRow, UserRow
from probation.domain.errors import Conflict, DomainError, InvalidValue, NotFound, require
from probation.domain.roles import Role
from probation.services import audit
from probation.services.context import Actor
from probation.services.passwords import hash_password, verify_password


class AuthenticationFailed(DomainError):
    status = 401


MIN_PASSWORD = 4  # demo passwords are short; production policy belongs to the identity provider


def add_user(session: Session, *, username: str, password: str, role: Role, display_name: str,
             staff_code: str | None = None, organisation_code: str | None = None, now: datetime) -> UserRow:
    require(bool(username.strip()), "username is empty", field="username", value=username,
            rule="a user needs a username")
    require(len(password) >= MIN_PASSWORD, "password is too short", field="password", value="***",
            rule=f"passwords have at least {MIN_PASSWORD} characters")
    if session.scalar(select(UserRow.id).where(UserRow.username == username)):
        raise Conflict(f"user {username} exists", field="username", value=username, rule="usernames are unique")
    if staff_code and session.get(StaffRow, staff_code) is None:
        raise NotFound(f"no staff member {staff_code}", field="staff_code", value=staff_code,
                       rule="a user's staff record must exist")
    if role in (Role.PRACTITIONER, Role.TEAM_MANAGER):
        require(staff_code is not None, f"a {role.label} user needs a staff record", field="staff_code",
                value=staff_code, rule="practitioners and team managers are staff in a team")
    row = UserRow(username=username, password_hash=hash_password(password), role=role.value,
                  staff_code=staff_code, organisation_code=organisation_code, display_name=display_name,
                  active=True, created_at=now)
    session.add(row)
    session.flush()
    return row


def actor_for(session: Session, username: str, channel: str) -> Actor:
    row = session.scalar(select(UserRow).where(UserRow.username == username, UserRow.active))
    if row is None:
        raise AuthenticationFailed("unknown or inactive user", field="username", value=username,
                                   rule="sign in with an active account")
    team_code = None
    organisation_code = row.organisation_code
    if row.staff_code:
        staff = session.get(StaffRow, row.staff_code)
        if staff is not None:
            team_code = staff.team_code
            if organisation_code is None:
                team = session.get(TeamRow, staff.team_code)
                organisation_code = team.organisation_code if team else None
    return Actor(username=row.username, role=Role(row.role), display_name=row.display_name,
                 staff_code=row.staff_code, team_code=team_code, organisation_code=organisation_code,
                 channel=channel)


def authenticate(session: Session, username: str, password: str, *, channel: str, now: datetime) -> Actor:
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    if row is None or not row.active or not verify_password(row.password_hash, password):
        raise AuthenticationFailed("the username or password is not right", field="password", value=None,
                                   rule="sign in with your username and password")
    actor = actor_for(session, username, channel)
    audit.record(session, actor, "login", None, f"signed in via {channel}", at=now)
    return actor


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="probation-api-token")


def issue_token(secret: str, username: str) -> str:
    return _serializer(secret).dumps({"u": username})


def read_token(secret: str, token: str, max_age_s: int) -> str:
    try:
        data = _serializer(secret).loads(token, max_age=max_age_s)
    except SignatureExpired as exc:
        raise AuthenticationFailed("the token has expired", field="Authorization", value=None,
                                   rule="request a new token") from exc
    except BadSignature as exc:
        raise AuthenticationFailed("the token is not valid", field="Authorization", value=None,
                                   rule="use a token issued by POST /api/token") from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), str):
        raise InvalidValue("malformed token", field="Authorization", value=None, rule="token payload")
    return str(data["u"])
