"""Entry point of the `probation` command. Domain errors print as one line, never a traceback."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer
from rich.console import Console
from rich.markup import escape

from probation.cli import commands
from probation.domain.errors import DomainError

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Probation service-delivery platform.")
err = Console(stderr=True)

for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
    importlib.import_module(f"{commands.__name__}.{info.name}").register(app)


def main() -> None:
    try:
        app(standalone_mode=False)
    except DomainError as exc:
        # One line, never wrapped, and the message is text, not rich markup.
        detail = f" (field {exc.field}: {exc.rule})" if exc.field else ""
        err.print(f"[red]error:[/red] {escape(exc.message + detail)}", soft_wrap=True)
        sys.exit(2)
    except (typer.BadParameter, typer.Exit, typer.Abort) as exc:  # pragma: no cover - typer handles
        raise exc
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(1)
        raise
