"""Electronic monitoring: the monitoring centre, the police liaison and the geofence engine, as one
package with its own layers (domain; geofence, tables and map; services; api; web; cli).

The core never imports this package. The composition roots reach it through the functions here:
the application factory (probation.app) lists its routers beside the core's, serves its static
files and calls `install()`; the command line (probation.cli.main) adds its commands and calls `install()`; the
table loader (probation.adapters.db.load_all_tables) loads probation.em.tables into the one
metadata, so the one Alembic history covers its tables. Everything is imported on call, so that
importing the command line stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

    from probation.services.personal_data import Extension

# Served under /static beside the platform's own assets (StaticFiles packages=[...]).
STATIC = ("probation.em", "static")


def add_commands(app: typer.Typer) -> None:
    """`probation em ...`: replay, setup-demo, simulate, end-due."""
    from probation.em.cli import commands, ops

    commands.register(app)
    ops.register(app)


def _personal_data() -> Extension:
    from probation.em.services.data_protection import EXTENSION

    return EXTENSION


def install() -> None:
    """Adds what EM holds about a person to the core's map of a person's records, which subject
    access and retention read. Light and idempotent: the map loads it when first read."""
    from probation.services import holdings

    holdings.register(_personal_data)
