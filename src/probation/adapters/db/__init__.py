"""SQLAlchemy 2 persistence: tables, engine, unit of work and repositories.

Each feature keeps its tables in its own module named `tables*.py` in this package (for example
`tables_appointments.py`); `load_all_tables()` imports them all so that Alembic and the tests see
one complete metadata without a shared list to edit. Electronic monitoring keeps its tables in its
own package (probation.em.tables), loaded here too: one metadata, one Alembic history.
"""

from __future__ import annotations

import importlib
import pkgutil


def load_all_tables() -> None:
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("tables"):
            importlib.import_module(f"{__name__}.{info.name}")
    from probation.em import tables  # noqa: F401  (its package's own; the contracts allow this one import)
