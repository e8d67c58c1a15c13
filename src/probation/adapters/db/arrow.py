"""Columnar reads for bulk work: a query's result straight into a Polars frame through ADBC
(Arrow Database Connectivity), skipping Python objects per value. Used by the whole-caseload
paths (assurance); per-case reads stay on SQLAlchemy.

SQLite returns dates and times as ISO text; `read_frame` parses them in bulk into the types the
caller asks for. PostgreSQL returns them typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import polars as pl
from sqlalchemy import Engine, Select


@contextmanager
def connect(engine: Engine) -> Iterator[Any]:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        import adbc_driver_sqlite.dbapi as driver

        conn = driver.connect(url.database or ":memory:")
    else:
        import adbc_driver_postgresql.dbapi as driver

        conn = driver.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        yield conn
    finally:
        conn.close()


def read_frame(conn: Any, engine: Engine, stmt: Select[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """Run `stmt` and return its columns, renamed and cast to `schema` (in order)."""
    names = list(schema)
    # Positional labels: the SQL's own column names may repeat (two tables' "id").
    labelled = stmt.with_only_columns(*(c.label(f"c{i}") for i, c in enumerate(stmt.selected_columns)))
    sql = str(labelled.compile(engine, compile_kwargs={"literal_binds": True}))
    frame = pl.read_database(sql, conn)
    frame = frame.rename({f"c{i}": name for i, name in enumerate(names)})
    casts = []
    for name, kind in schema.items():
        have = frame.schema[name]
        if kind == pl.Date and have == pl.String:
            casts.append(pl.col(name).str.slice(0, 10).str.to_date("%Y-%m-%d"))
        elif isinstance(kind, pl.Datetime) and have == pl.String:
            casts.append(pl.col(name).str.replace("T", " ").str.slice(0, 26)
                         .str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us", strict=False))
        elif isinstance(kind, pl.Datetime) and isinstance(have, pl.Datetime):
            casts.append(pl.col(name).dt.replace_time_zone(None).dt.cast_time_unit("us"))
        elif kind == pl.Boolean and have != pl.Boolean:
            casts.append(pl.col(name).cast(pl.Int64).cast(pl.Boolean))
        else:
            casts.append(pl.col(name).cast(kind))
    return frame.with_columns(casts)
