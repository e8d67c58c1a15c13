"""`load_all_tables()` names every table module: the metadata it loads is the metadata of the whole
service, so Alembic and the tests never miss a table whose module is not listed."""

from __future__ import annotations

import json
import subprocess
import sys

LISTED = """
import json
from probation.adapters.db import load_all_tables
from probation.adapters.db.tables import Base
load_all_tables()
print(json.dumps(sorted(Base.metadata.tables)))
"""

EVERYTHING = """
import importlib, json, pkgutil
import probation
from probation.adapters.db.tables import Base
for info in pkgutil.walk_packages(probation.__path__, prefix="probation."):
    if ".migrations" not in info.name:  # Alembic's environment runs the migrations when imported
        importlib.import_module(info.name)
print(json.dumps(sorted(Base.metadata.tables)))
"""


def _tables(code: str) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    names: list[str] = json.loads(proc.stdout.strip().splitlines()[-1])
    return names


def test_load_all_tables_loads_every_table_in_the_code() -> None:
    listed, everything = _tables(LISTED), _tables(EVERYTHING)
    assert listed, "no table loaded"
    assert sorted(set(everything) - set(listed)) == []
