"""`probation seed`: reference data, demo users and a synthetic caseload."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import typer

# heavy: the seed loader, alembic (via migrate), the database engine and rich are imported when the
# command runs, so `probation --help` stays fast.
if TYPE_CHECKING:
    from rich.table import Table


def logins_table() -> Table:
    from rich.table import Table

    from probation.services.seed.reference_data import demo_logins

    table = Table(title="Demo logins")
    for column in ("username", "password", "role", "staff", "organisation"):
        table.add_column(column)
    for d in demo_logins():
        table.add_row(d.username, d.password, d.role.label, d.staff_code or "", d.organisation_code or "")
    return table


def seed(
    people: int = typer.Option(500, "--people", "-n", min=0, help="How many people to seed."),
    seed: int = typer.Option(1, "--seed", help="Random seed: the same seed gives the same caseload."),
    if_empty: bool = typer.Option(False, "--if-empty",
                                  help="Do nothing when the database already holds people."),
    append: bool = typer.Option(False, "--append", help="Add people to a database that has some."),
    as_of: str | None = typer.Option(None, "--as-of",
                                     help="Date the caseload is seen from (YYYY-MM-DD; default today)."),
    database_url: str | None = typer.Option(None, "--database-url",
                                            help="Database URL (default PROBATION_DATABASE_URL)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
) -> None:
    """Seed reference data, a synthetic caseload and, in development only, the demo users (migrates
    the database first). Refused in production."""
    from rich.console import Console

    from probation.adapters.db.engine import make_engine
    from probation.adapters.db.migrate import upgrade
    from probation.config import get_settings
    from probation.services.seed.loader import progress_bar, seed_allowed, seed_database

    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a date in the form YYYY-MM-DD",
                                 param_hint="--as-of") from None
    if if_empty and append:
        raise typer.BadParameter("choose --if-empty or --append, not both", param_hint="--append")
    out = Console()
    settings = get_settings()
    seed_allowed(settings.env)  # refused in production before anything is migrated or written
    engine = make_engine(database_url or settings.database_url)
    try:
        upgrade(engine)
        with progress_bar(people, enabled=progress) as on_progress:
            summary = seed_database(engine, people=people, seed=seed, as_of=day, if_empty=if_empty,
                                    append=append, on_progress=on_progress, environment=settings.env)
    finally:
        engine.dispose()
    if summary.skipped:
        out.print(f"The database already holds {summary.existing_people:,} people: nothing seeded.")
    else:
        rate = summary.people / summary.seconds if summary.seconds else 0.0
        out.print(f"Seeded {summary.people:,} people and cases, {summary.requirements:,} requirements "
                  f"and {summary.events:,} case events in {summary.seconds:.1f} s ({rate:,.0f} people/s); "
                  f"added {summary.organisations} organisations, {summary.teams} teams, "
                  f"{summary.staff} staff, {summary.courts} courts and {summary.users} users.")
    if summary.demo_users:
        out.print(logins_table())
    else:
        out.print("No demo logins: they are created only when PROBATION_ENV is development. "
                  "Add users with `probation users add`.")


def register(app: typer.Typer) -> None:
    app.command("seed")(seed)
