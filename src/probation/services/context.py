"""Who is acting: resolved once per request from the session cookie, bearer token or CLI."""

from __future__ import annotations

from dataclasses import dataclass

from probation.domain.roles import Role


@dataclass(frozen=True, kw_only=True)
class Actor:
    username: str
    role: Role
    display_name: str = ""
    staff_code: str | None = None
    team_code: str | None = None
    organisation_code: str | None = None
    channel: str = "api"  # api | web | cli

    @classmethod
    def system(cls, channel: str = "cli") -> Actor:
        """The command line acting as administrator (seeding, maintenance)."""
        return cls(username="system", role=Role.ADMINISTRATOR, display_name="System", channel=channel)
