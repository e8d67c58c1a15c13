"""`probation users add|list`."""

from __future__ import annotations

import typer

from probation.domain.roles import Role  # light (an enum); typer reads it from the annotation

# heavy: sqlalchemy, the users service, the database engine and rich are imported when a command runs.


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="User accounts.", no_args_is_help=True)

    @group.command("add")
    def add(username: str = typer.Argument(...), role: Role = typer.Option(..., help="Role of the user"),
            password_stdin: bool = typer.Option(False, "--password-stdin",
                                                help="Read the password from the first line of standard input "
                                                     "instead of prompting for it"),
            name: str = typer.Option("", help="Display name"),
            staff_code: str | None = typer.Option(None, help="Staff record (practitioners, team managers)"),
            organisation_code: str | None = typer.Option(None, help="Organisation (provider staff, police, EM)"),
            ) -> None:
        """Add a user with a role. The password is prompted for (hidden, asked twice) or read from
        standard input, never taken as an argument (arguments show in the process list and shell
        history); it needs 12 or more characters and must not be a common or breached password."""
        import sys

        from rich.console import Console

        from probation.adapters.clock import system_clock
        from probation.adapters.db.engine import make_engine, make_session_factory
        from probation.config import get_settings
        from probation.services import users

        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        sessions = make_session_factory(make_engine(get_settings().database_url))
        with sessions.begin() as session:
            row = users.add_user(session, username=username, password=password, role=role,
                                 display_name=name or username, staff_code=staff_code,
                                 organisation_code=organisation_code, now=system_clock())
            Console().print(f"added user {row.username} ({role.label})")

    @group.command("list")
    def list_users() -> None:
        """List user accounts and roles."""
        from rich.console import Console
        from rich.table import Table
        from sqlalchemy import select

        from probation.adapters.db.engine import make_engine, make_session_factory
        from probation.adapters.db.tables import UserRow
        from probation.config import get_settings

        sessions = make_session_factory(make_engine(get_settings().database_url))
        table = Table("username", "role", "name", "staff", "organisation", "active")
        with sessions() as session:
            for u in session.scalars(select(UserRow).order_by(UserRow.username)):
                table.add_row(u.username, u.role, u.display_name, u.staff_code or "", u.organisation_code or "",
                              "yes" if u.active else "no")
        Console().print(table)

    app.add_typer(group, name="users")
