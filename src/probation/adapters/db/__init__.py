"""SQLAlchemy 2 persistence: tables, engine, unit of work and repositories.

Each feature keeps its tables in a module of its own beside `tables.py` (the core case tables).
`load_all_tables()` imports the modules listed in it, so that Alembic and the tests see one
complete metadata; a feature with a new table module adds it there (a unit test fails on a table
module that is not listed). Electronic monitoring keeps its tables in its own package
(probation.em.tables), loaded here too: one metadata, one Alembic history.
"""

from __future__ import annotations


def load_all_tables() -> None:
    # Imported here, not at the top, so that importing this package stays light.
    from probation.adapters.db import (  # noqa: F401
        tables,
        tables_admin,
        tables_auth,
        tables_data_protection,
        tables_delivery,
        tables_interventions,
        tables_protection,
        tables_release,
    )
    from probation.em import tables as em_tables  # noqa: F401  (the contracts allow this one import)
