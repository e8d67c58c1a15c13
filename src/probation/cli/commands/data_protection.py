"""`probation sar CRN` (subject access export) and `probation retention` (what is past retention,
and, when confirmed, its disposal). docs/DATA_PROTECTION.md."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from probation.services.retention import Progress as ProgressCallback
    from probation.services.retention import RetentionResult

# heavy: the services, the database engine, WeasyPrint and rich are imported when a command runs.


def register(app: typer.Typer) -> None:
    @app.command("sar")
    def sar(crn: str = typer.Argument(..., help="The person's case reference (CRN)"),
            out: Path = typer.Option(Path("."), "--out", help="Directory to write the files to"),
            fmt: str = typer.Option("both", "--format", help="json, pdf or both")) -> None:
        """Subject access: everything held about a person, as CRN-subject-access.json and .pdf. Audited."""
        import json

        from rich.console import Console

        from probation.adapters.clock import system_clock
        from probation.adapters.db.engine import make_engine, make_session_factory
        from probation.config import get_settings
        from probation.domain.errors import InvalidValue
        from probation.services import subject_access
        from probation.services.context import Actor

        if fmt not in ("json", "pdf", "both"):
            raise InvalidValue(f"format {fmt!r} is not json, pdf or both", field="--format", value=fmt,
                               rule="the export is written as json, pdf or both")
        if out.exists() and not out.is_dir():
            raise InvalidValue(f"{out} is not a directory", field="--out", value=str(out),
                               rule="the export is written into a directory")
        engine = make_engine(get_settings().database_url)
        try:
            with make_session_factory(engine).begin() as session:
                bundle = subject_access.export(session, Actor.system(), crn.strip().upper(), now=system_clock())
                pdf = subject_access.render_pdf(bundle) if fmt in ("pdf", "both") else None
        finally:
            engine.dispose()
        out.mkdir(parents=True, exist_ok=True)
        written = []
        if fmt in ("json", "both"):
            path = out / f"{bundle['crn']}-subject-access.json"
            path.write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")
            written.append(path)
        if pdf is not None:
            path = out / f"{bundle['crn']}-subject-access.pdf"
            path.write_bytes(pdf)
            written.append(path)
        for path in written:
            Console().print(f"wrote {path}")

    @app.command("retention")
    def retention_cmd(apply: bool = typer.Option(False, "--apply", help="Delete or anonymise what is past "
                                                 "retention (asks to confirm)"),
                      yes: bool = typer.Option(False, "--yes", help="With --apply: do not ask to confirm"),
                      as_of: str | None = typer.Option(None, "--as-of", help="Report as of this date "
                                                       "(default today; with --apply, not after today)"),
                      progress: bool = typer.Option(True, "--progress/--no-progress")) -> None:
        """What is past retention, counted per kind of record; with --apply and a confirmation, delete
        or anonymise it (nothing else), in one transaction, audited."""
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from probation.adapters.clock import system_clock
        from probation.adapters.db.engine import make_engine, make_session_factory
        from probation.config import get_settings
        from probation.domain.delivery.times import local_date
        from probation.domain.errors import InvalidValue
        from probation.services import retention
        from probation.services.context import Actor
        from probation.services.obligations import per_case as obligations

        settings = get_settings()
        policy = retention.use_policy(settings.retention)
        now = system_clock()
        today = local_date(now)
        day = obligations.parse_as_of(as_of, now, field="--as-of") if as_of else today
        if apply and day > today:
            raise InvalidValue(f"--as-of {day.isoformat()} is after today", field="--as-of", value=day.isoformat(),
                               rule="records are disposed of only once their period has ended")
        out, err = Console(), Console(stderr=True)
        engine = make_engine(settings.database_url)

        def run(step: str, work: Callable[[ProgressCallback], RetentionResult]) -> RetentionResult:
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=err, transient=True, disable=not progress) as bar:
                task = bar.add_task(step, total=None)
                return work(lambda done, total: bar.update(task, completed=done, total=total))

        try:
            sessions = make_session_factory(engine)
            with sessions() as session:
                found = run("people scanned", lambda p: retention.scan(session, policy, as_of=day, progress=p))
            _show(out, found, f"Past retention on {day.isoformat()} (policy {policy.version})")
            if not apply:
                return
            if found.total_rows == 0:
                out.print("nothing to dispose of")
                return
            if not yes and not typer.confirm(f"Delete or anonymise these {found.total_rows} records?", default=False):
                out.print("nothing changed")
                raise typer.Abort()
            with sessions.begin() as session:
                done = run("people disposed of", lambda p: retention.apply(
                    session, Actor.system(), policy, as_of=day, now=now, progress=p))
            _show(out, done, "Disposed of")
        finally:
            engine.dispose()


def _show(console: Console, result: RetentionResult, title: str) -> None:
    from rich.table import Table

    table = Table("kind", "records", "action", "kept for", "from", "people", "rows", title=title)
    for k in result.kinds:
        table.add_row(k.kind.value, k.kind.label, k.action.value, k.period,
                      "closure" if k.kind.from_closure else "each row", "" if k.people is None else str(k.people),
                      str(k.rows))
    console.print(table)
