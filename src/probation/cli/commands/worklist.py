"""`probation worklist`: what is due and overdue for a practitioner or a team, most urgent first."""

from __future__ import annotations

import json

import typer

# heavy: the worklist service, the database engine and rich are imported when the command runs.


def register(app: typer.Typer) -> None:
    @app.command("worklist")
    def worklist_cmd(staff: str | None = typer.Option(None, "--staff", help="Staff code of the practitioner"),
                     team: str | None = typer.Option(None, "--team", help="Team code"),
                     as_of: str | None = typer.Option(None, "--as-of", help="Date (YYYY-MM-DD); default today"),
                     as_json: bool = typer.Option(False, "--json", help="JSON")) -> None:
        """Due and overdue obligations on a practitioner's or a team's active cases."""
        from rich.console import Console
        from rich.table import Table

        from probation.adapters.clock import system_clock
        from probation.adapters.db.engine import make_engine, make_session_factory
        from probation.config import get_settings
        from probation.domain.errors import InvalidValue
        from probation.services import worklist
        from probation.services.context import Actor
        from probation.services.obligations import per_case as obligations

        console = Console()
        if bool(staff) == bool(team):
            raise InvalidValue("name one of --staff or --team", field="--staff", value=staff,
                               rule="a worklist is for a practitioner or a team")
        now = system_clock()
        day = obligations.parse_as_of(as_of, now, field="--as-of")
        engine = make_engine(get_settings().database_url)
        try:
            with make_session_factory(engine).begin() as session:
                items = worklist.worklist(session, Actor.system(), staff=staff, team=team, as_of=day, now=now)
        finally:
            engine.dispose()
        if as_json:
            print(json.dumps({"staff": staff, "team": team, "as_of": day.isoformat(),
                              "items": [i.to_json() for i in items]}, indent=1))
            return
        table = Table(title=f"Worklist for {'staff ' + staff if staff else 'team ' + str(team)} as of {day}")
        for name in ("CRN", "name", "spec", "row", "status", "due", "days over"):
            table.add_column(name, no_wrap=True)
        table.add_column("output", overflow="ellipsis", no_wrap=True, max_width=60)
        for i in items:
            table.add_row(i.crn, i.name, i.spec_id, str(i.row), i.status, i.due.isoformat(),
                          str(i.days_overdue or ""), i.output)
        console.print(table)
        console.print(f"{len(items)} items, {sum(i.status == 'overdue' for i in items)} overdue")
