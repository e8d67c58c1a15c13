"""`probation --help` stays fast: the CLI imports no heavy library until a command runs.

Command modules keep only typer and light imports at the top and import the services, the
database and the geofence engine inside the command functions. These tests fail if a heavy
top-level import comes back."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "polars", "alembic", "shapely", "pyproj", "numpy")


def _loaded_after(code: str) -> str:
    probe = f"{code}\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1]


def test_importing_the_cli_imports_no_heavy_library() -> None:
    proc = subprocess.run(
        [sys.executable, "-c",
         "import sys, probation.cli.main; print(sorted(m for m in ('sqlalchemy','polars','alembic',"
         "'shapely','pyproj','numpy') if m in sys.modules))"],
        capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("argv", [["--help"], ["ogrs3", "--help"], ["catalogue", "--help"],
                                  ["em", "replay", "--help"], ["users", "add", "--help"]])
def test_help_imports_no_heavy_library(argv: list[str]) -> None:
    code = ("import sys\nfrom probation.cli.main import app\n"
            f"code = app({argv!r}, standalone_mode=False)\n"
            "assert code == 0, code")
    assert _loaded_after(code) == "[]"


@pytest.mark.parametrize(("argv", "message"), [(["nosuch"], "No such command 'nosuch'"),
                                               (["ogrs3", "--sex", "male"], "Missing option")])
def test_a_usage_error_is_a_message_and_exit_code_2_not_a_traceback(argv: list[str], message: str) -> None:
    proc = subprocess.run([sys.executable, "-c", "from probation.cli.main import main; main()", *argv],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_a_command_that_exits_with_a_code_makes_the_process_exit_with_it() -> None:
    script = ("import typer\nfrom probation.cli import main as cli\n"
              "@cli.app.command('fail-with-three')\n"
              "def _fail() -> None:\n    raise typer.Exit(3)\n"
              "cli.main()")
    proc = subprocess.run([sys.executable, "-c", script, "fail-with-three"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 3, proc.stderr


def test_no_command_takes_a_password_as_an_argument() -> None:
    """A password on the command line shows in the process list and the shell's history: commands
    prompt for it, read it from standard input, or take it from the environment."""
    from typing import Any

    import typer.main

    from probation.cli.main import app

    def walk(command: Any, path: str) -> list[str]:
        found = [f"{path} {p.opts}" for p in command.params
                 if "password" in (p.name or "") and not getattr(p, "is_flag", False)]
        for name, sub in getattr(command, "commands", {}).items():  # typer carries its own click
            found += walk(sub, f"{path} {name}")
        return found

    command = typer.main.get_command(app)
    assert "simulate" in command.commands["em"].commands  # the walk reaches the sub-commands
    assert walk(command, "probation") == []


def test_every_command_module_is_listed() -> None:
    """The command line lists its command groups (probation.cli.main.REGISTRARS) rather than finding
    them by file name: a command module left out of the list fails here."""
    import pkgutil

    from probation.cli import commands
    from probation.cli.main import REGISTRARS

    modules = {info.name for info in pkgutil.iter_modules(commands.__path__)}
    assert modules - set(REGISTRARS) == set()
    assert "em" in REGISTRARS
