"""Entry point of the `probation` command. Domain errors print as one line, never a traceback."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from probation import em
from probation.cli import commands
from probation.domain.errors import DomainError

# Command modules import only typer and light modules at the top; their heavy imports (sqlalchemy,
# polars, alembic, the geofence engine) happen when a command runs. tests/unit/test_cli_startup.py
# checks that importing this module stays light.
app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Probation service-delivery platform.")

# Electronic monitoring is a package of its own (probation.em): its `probation em ...` commands take
# their place by name among the core's, and its personal data joins the map `sar` and `retention`
# read (registered lightly, loaded when read).
registrars = {info.name: importlib.import_module(f"{commands.__name__}.{info.name}").register
              for info in pkgutil.iter_modules(commands.__path__)}
registrars["em"] = em.add_commands
for name in sorted(registrars):
    registrars[name](app)
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
