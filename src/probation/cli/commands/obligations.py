"""`probation obligations CRN`: what each output row of the specifications asks of a person's cases."""

from __future__ import annotations

import json

import typer

# heavy: the obligations service, the database engine and rich are imported when the command runs.
STYLE = {"overdue": "bold red", "due": "yellow", "met": "green", "met_late": "dark_orange",
         "awaiting_evidence": "dim", "not_yet_due": "cyan", "not_applicable": "dim"}


def register(app: typer.Typer) -> None:
    @app.command("obligations")
    def obligations_cmd(crn: str = typer.Argument(..., help="Case reference number (CRN)"),
                        as_of: str | None = typer.Option(None, "--as-of", help="Date (YYYY-MM-DD); default today"),
                        as_json: bool = typer.Option(False, "--json", help="JSON, every row with its reason"),
                        show_all: bool = typer.Option(False, "--all", help="Also list rows that do not apply"),
                        contract: str | None = typer.Option(None, "--contract", help="Contract YAML file")) -> None:
        """Every output row that applies to the person's cases, with status, due date and evidence."""
        from rich.console import Console
        from rich.table import Table

        from probation.adapters.clock import system_clock
        from probation.adapters.db.engine import make_engine, make_session_factory
        from probation.config import get_settings
        from probation.services.context import Actor
        from probation.services.obligations import per_case as obligations

        console = Console()
        now = system_clock()
        day = obligations.parse_as_of(as_of, now, field="--as-of")
        engine = make_engine(get_settings().database_url)
        try:
            with make_session_factory(engine).begin() as session:
                results = obligations.for_person(session, Actor.system(), crn.strip().upper(), as_of=day,
                                                 now=now, contract_file=contract)
                payload = [r.to_json() for r in results]
        finally:
            engine.dispose()
        if as_json:
            print(json.dumps({"crn": crn.upper(), "as_of": day.isoformat(), "cases": payload}, indent=2))
            return
        for case in payload:
            table = Table(title=f"{case['crn']} case {case['case_id']} as of {day.isoformat()}")
            for name in ("spec", "row", "#", "status", "due", "met on"):
                table.add_column(name, no_wrap=True)
            table.add_column("evidence or reason", overflow="ellipsis", max_width=40)
            table.add_column("output", overflow="ellipsis", no_wrap=True, max_width=60)
            shown = 0
            for o in case["obligations"]:
                if o["status"] == "not_applicable" and not show_all:
                    continue
                shown += 1
                ev = o["evidence"]
                table.add_row(o["spec"], str(o["row"]), str(o["occurrence"] or ""),
                              f"[{STYLE[o['status']]}]{o['status'].replace('_', ' ')}[/]", o["due"] or "",
                              o["met_on"] or "", f"#{ev['seq']} {ev['kind']}" if ev else (o["reason"] or ""),
                              o["output"][:70])
            if shown:
                console.print(table)
            else:
                console.print(f"{case['crn']} case {case['case_id']}: no output row applies "
                              f"(use --all for the reasons)")
