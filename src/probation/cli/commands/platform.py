"""`probation serve` and `probation db upgrade`."""

from __future__ import annotations

import typer

# heavy: alembic (via migrate), the database engine, uvicorn and rich are imported when a command runs.


def register(app: typer.Typer) -> None:
    db = typer.Typer(help="Database schema.", no_args_is_help=True)

    @db.command("upgrade")
    def upgrade(revision: str = typer.Argument("heads", help="Alembic revision (default: every head)")) -> None:
        """Create or migrate the schema (SQLite file by default, PostgreSQL with PROBATION_DATABASE_URL)."""
        from rich.console import Console

        from probation.adapters.db import migrate
        from probation.adapters.db.engine import make_engine
        from probation.config import get_settings

        console = Console(stderr=True)
        settings = get_settings()
        engine = make_engine(settings.database_url)
        migrate.upgrade(engine, revision)
        console.print(f"database at {engine.url.render_as_string(hide_password=True)} is at {revision}")
        engine.dispose()

    app.add_typer(db, name="db")

    @app.command()
    def serve(host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
              port: int = typer.Option(8000, min=1, max=65535), workers: int = typer.Option(1, min=1, max=16),
              reload: bool = typer.Option(False, help="Reload on code changes (development)")) -> None:
        """Serve the web pages and the API (OpenAPI at /docs)."""
        import sys

        import uvicorn
        from pydantic import ValidationError
        from rich.console import Console
        from rich.markup import escape

        from probation.config import get_settings

        console = Console(stderr=True)
        try:
            get_settings()  # a setting that breaks its rule stops start-up here, in one line per setting
        except ValidationError as exc:
            for error in exc.errors():
                console.print(f"[red]error:[/red] {escape(str(error['msg']).removeprefix('Value error, '))}",
                              soft_wrap=True)
            sys.exit(2)
        console.print(f"serving on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
        uvicorn.run("probation.app:create_app", factory=True, host=host, port=port, workers=workers,
                    reload=reload, log_level="info", access_log=False)
