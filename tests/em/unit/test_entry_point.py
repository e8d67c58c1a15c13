"""Electronic monitoring joins the platform only through its entry point (probation/em/__init__.py):
the core's map of a person's records holds its tables once an entry point (the application factory,
the command line) has installed it, and not before. Each check runs in a fresh interpreter, since
this suite installs it for every test (tests/conftest.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

MAPPED = "from probation.services.personal_data import holdings\nprint('em_fix' in {h.table for h in holdings()})\n"


def _run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(("start", "mapped"), [
    ("", "False"),
    ("import probation.cli.main\n", "True"),
    ("from probation.app import create_app\nfrom probation.config import Settings\n"
     "create_app(Settings(database_url='sqlite://', env='test'))\n", "True"),
])
def test_the_map_holds_em_tables_once_an_entry_point_has_installed_it(start: str, mapped: str) -> None:
    assert _run(start + MAPPED) == mapped
