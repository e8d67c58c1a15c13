"""Users: adding an account, and the actor a signed-in user acts as. Sign-in itself (throttled) is
`services/sign_in.py`; sessions and API tokens are `services/auth_sessions.py`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import StaffRow, TeamRow, UserRow
from probation.domain.errors import Conflict, DomainError, NotFound, require
from probation.domain.passwords import check_new_password
from probation.domain.roles import Role
from probation.services.context import Actor
from probation.services.passwords import hash_password


class AuthenticationFailed(DomainError):
    status = 401


def add_user(session: Session, *, username: str, password: str, role: Role, display_name: str,
             staff_code: str | None = None, organisation_code: str | None = None, now: datetime) -> UserRow:
    require(bool(username.strip()), "username is empty", field="username", value=username,
            rule="a user needs a username")
    if session.scalar(select(UserRow.id).where(UserRow.username == username)):
        raise Conflict(f"user {username} exists", field="username", value=username, rule="usernames are unique")
    if staff_code and session.get(StaffRow, staff_code) is None:
        raise NotFound(f"no staff member {staff_code}", field="staff_code", value=staff_code,
                       rule="a user's staff record must exist")
    if role in (Role.PRACTITIONER, Role.TEAM_MANAGER):
        require(staff_code is not None, f"a {role.label} user needs a staff record", field="staff_code",
                value=staff_code, rule="practitioners and team managers are staff in a team")
    check_new_password(password)  # last: the deny list takes a moment to read
    row = UserRow(username=username, password_hash=hash_password(password), role=role.value,
                  staff_code=staff_code, organisation_code=organisation_code, display_name=display_name,
                  active=True, created_at=now)
    session.add(row)
    session.flush()
    return row


def actor_from(user: UserRow, *, team_code: str | None, team_organisation_code: str | None,
               channel: str) -> Actor:
    """The actor a user row acts as; a user without an organisation of their own acts for their team's."""
    return Actor(username=user.username, role=Role(user.role), display_name=user.display_name,
                 staff_code=user.staff_code, team_code=team_code,
                 organisation_code=user.organisation_code or team_organisation_code, channel=channel)


def actor_for_user(session: Session, user: UserRow, channel: str) -> Actor:
    team_code = team_org = None
    if user.staff_code:
        row = session.execute(select(StaffRow.team_code, TeamRow.organisation_code)
                              .join(TeamRow, TeamRow.code == StaffRow.team_code)
                              .where(StaffRow.code == user.staff_code)).first()
        if row is not None:
            team_code, team_org = row
    return actor_from(user, team_code=team_code, team_organisation_code=team_org, channel=channel)
