"""`probation audit`: query the audit log."""

from __future__ import annotations

import json
from datetime import datetime

import typer

# heavy: the audit service, the database engine and rich are imported when the command runs.


def register(app: typer.Typer) -> None:
    @app.command("audit")
    def audit_cmd(username: str | None = typer.Option(None, help="Who"),
                  subject: str | None = typer.Option(None, help="Whose record (CRN)"),
                  action: str | None = typer.Option(None, help="read, write, login or denied"),
                  since: datetime | None = typer.Option(None, help="From (ISO 8601, UTC)"),
                  until: datetime | None = typer.Option(None, help="Before (ISO 8601, UTC)"),
                  limit: int = typer.Option(50, min=1, max=10_000),
                  as_json: bool = typer.Option(False, "--json", help="One JSON object per line")) -> None:
        """Who read or changed whose record, newest first."""
        from rich.console import Console
        from rich.table import Table

        from probation.adapters.db.engine import make_engine, make_session_factory
        from probation.config import get_settings
        from probation.services import audit

        if action and action not in ("read", "write", "login", "denied"):
            raise typer.BadParameter(f"{action!r} is not read, write, login or denied", param_hint="--action")
        sessions = make_session_factory(make_engine(get_settings().database_url))
        with sessions() as session:
            rows = audit.search(session, audit.AuditQuery(username=username, subject=subject, action=action,
                                                          since=since, until=until, limit=limit))
        if as_json:
            for r in rows:
                print(json.dumps({"at": r.at.isoformat(), "username": r.username, "role": r.role,
                                  "action": r.action, "subject": r.subject, "detail": r.detail,
                                  "channel": r.channel}))
            return
        table = Table("at (UTC)", "user", "role", "action", "subject", "detail", "via")
        for r in rows:
            table.add_row(r.at.strftime("%Y-%m-%d %H:%M:%S"), r.username, r.role, r.action, r.subject or "",
                          (r.detail or "")[:60], r.channel)
        Console().print(table)
