"""`probation assurance`: the commissioners' report on every output row, as JSON, CSV or HTML."""

from __future__ import annotations

import json
from pathlib import Path

import typer

# heavy: the services, the database engine and rich are imported when the command runs, so
# `probation --help` stays fast.


def register(app: typer.Typer) -> None:
    @app.command("assurance")
    def assurance_cmd(as_of: str | None = typer.Option(None, "--as-of", help="Date (YYYY-MM-DD); default today"),
                      fmt: str = typer.Option("json", "--format", help="json, csv or html"),
                      out: Path | None = typer.Option(None, "--out", help="Write to this file (default stdout)"),
                      provider: str | None = typer.Option(None, "--provider", help="Provider code"),
                      team: str | None = typer.Option(None, "--team", help="Team code"),
                      period_from: str | None = typer.Option(None, "--from", help="Obligations due from (date)"),
                      period_to: str | None = typer.Option(None, "--to", help="Obligations due to (date)"),
                      suppress: bool = typer.Option(True, "--suppress/--no-suppress",
                                                    help="Withhold equalities cells under 5 cases"),
                      contract: str | None = typer.Option(None, "--contract", help="Contract YAML file"),
                      progress: bool = typer.Option(True, "--progress/--no-progress")) -> None:
        """Per specification row: applicable cases, met, met on time, overdue and % on time; by provider,
        team, sex, ethnicity, age band and disability."""
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        from probation.adapters.clock import system_clock
        from probation.adapters.db.engine import make_engine, make_session_factory
        from probation.config import get_settings
        from probation.domain.errors import InvalidValue
        from probation.services import assurance
        from probation.services.context import Actor
        from probation.services.obligations import per_case as obligations

        err = Console(stderr=True)
        if fmt not in ("json", "csv", "html"):
            raise InvalidValue(f"format {fmt!r} is not json, csv or html", field="--format", value=fmt,
                               rule="the report is written as json, csv or html")
        now = system_clock()
        query = assurance.AssuranceQuery(
            as_of=obligations.parse_as_of(as_of, now, field="--as-of"), provider=provider, team=team,
            period_from=obligations.parse_as_of(period_from, now, field="--from") if period_from else None,
            period_to=obligations.parse_as_of(period_to, now, field="--to") if period_to else None)
        engine = make_engine(get_settings().database_url)
        try:
            with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err,
                          transient=True, disable=not progress) as bar:
                task = bar.add_task("starting", total=None)
                with make_session_factory(engine).begin() as session:
                    result = assurance.run(session, Actor.system(), query, now=now, suppress=suppress,
                                           contract_file=contract,
                                           progress=lambda text: bar.update(task, description=text))
        finally:
            engine.dispose()
        if fmt == "json":
            text = json.dumps(result.report.to_json(result.titles), indent=1, default=str)
        elif fmt == "csv":
            text = result.report.to_csv(result.titles)
        else:
            from probation.web.assurance import report_html

            text = report_html(result.report, result.titles)
        if out is None:
            print(text)
        else:
            out.write_text(text, encoding="utf-8")
        err.print(f"{result.cases:,} cases, {result.obligations:,} obligations in "
                  f"{sum(result.seconds.values()):.1f} s "
                  f"({', '.join(f'{k} {v:.1f} s' for k, v in result.seconds.items())})")
