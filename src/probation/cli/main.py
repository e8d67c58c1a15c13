"""Entry point of the `probation` command. Domain errors print as one line, never a traceback."""

from __future__ import annotations

import sys

import typer

from probation import em
from probation.cli.commands import (
    assurance,
    audit,
    catalogue,
    data_protection,
    obligations,
    ogrs3,
    platform,
    release_dates,
    seed,
    users,
    worklist,
)
from probation.domain.errors import DomainError

# Command modules import only typer and light modules at the top; their heavy imports (sqlalchemy,
# polars, alembic, the geofence engine) happen when a command runs. tests/unit/test_cli_startup.py
# checks that importing this module stays light.
app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Probation service-delivery platform.")

# Every command group, listed here and added in name order (the order `probation --help` shows).
# Electronic monitoring is a package of its own (probation.em): its `probation em ...` commands take
# their place by name among the core's, and its personal data joins the map `sar` and `retention`
# read (registered lightly, loaded when read). tests/unit/test_cli_startup.py fails on a command
# module that is not listed.
REGISTRARS = {
    "assurance": assurance.register,
    "audit": audit.register,
    "catalogue": catalogue.register,
    "data_protection": data_protection.register,
    "em": em.add_commands,
    "obligations": obligations.register,
    "ogrs3": ogrs3.register,
    "platform": platform.register,
    "release_dates": release_dates.register,
    "seed": seed.register,
    "users": users.register,
    "worklist": worklist.register,
}
for name in sorted(REGISTRARS):
    REGISTRARS[name](app)
em.install()


def main() -> None:
    try:
        # Without standalone mode, click hands back the code of a `typer.Exit(n)` instead of exiting.
        code = app(standalone_mode=False)
    except DomainError as exc:
        # One line, never wrapped, and the message is text, not rich markup.
        from rich.console import Console
        from rich.markup import escape

        err = Console(stderr=True)
        detail = f" (field {exc.field}: {exc.rule})" if exc.field else ""
        err.print(f"[red]error:[/red] {escape(exc.message + detail)}", soft_wrap=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(getattr(exc, "exit_code", 0))
    except typer.Abort:
        sys.exit(1)
    except typer.TyperException as exc:  # usage errors (no such command, a missing option): typer's own click
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            print(f"error: {exc.format_message()}", file=sys.stderr)
        sys.exit(exc.exit_code)
    if isinstance(code, int) and code:
        sys.exit(code)
