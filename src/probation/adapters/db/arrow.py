"""Columnar reads for bulk work: a query's result as a Polars frame. Used by the set-based paths
(worklist, assurance); per-case reads stay on SQLAlchemy.

- PostgreSQL: ADBC (Arrow Database Connectivity) in this process, no Python object per value.
- SQLite, small reads: the session's own sqlite3 connection, so the read sees the session's
  transaction and shares its locks.
- SQLite, whole-caseload reads (`bulk=True`): ADBC in a child process (`arrow_child.py`), which
  streams Arrow IPC back over a pipe.

Why never ADBC's SQLite in this process: the ADBC driver links its own copy of SQLite. Two SQLite
libraries in one process cannot see each other's POSIX locks (locks belong to the process), so
when the ADBC connection closed it believed it was the database's last user, checkpointed and
deleted the write-ahead log under the server's open connections: later reads missed committed
rows and writes could go to an unlinked file ("disk I/O error"). A separate process is an
ordinary second user of the database, which SQLite's WAL mode is built for.

SQLite returns dates and times as ISO text; `read_frame` parses them in bulk into the types the
caller asks for. PostgreSQL returns them typed. Times are stored in UTC: a caller asking for
`pl.Datetime("us", "UTC")` gets them aware on both backends, as `UtcDateTime` columns read
through SQLAlchemy are; a naive `pl.Datetime` holds UTC wall-clock times.
"""

from __future__ import annotations

import struct
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import polars as pl
from sqlalchemy import Engine, Select
from sqlalchemy.orm import Session


class FrameReader:
    """Reads statements as frames, for the life of one `reader(...)` block."""

    def __init__(self, engine: Engine, fetch: Any) -> None:
        self.engine = engine
        self._fetch = fetch  # SQL text -> raw frame with columns c0, c1, ...

    def read(self, stmt: Select[*tuple[Any, ...]], schema: dict[str, Any] | list[str]) -> pl.DataFrame:
        """Run `stmt` and return its columns renamed and cast to `schema` (in order); a list of
        names reads every column as text."""
        names = dict.fromkeys(schema, pl.String) if isinstance(schema, list) else schema
        # Positional labels: the SQL's own column names may repeat (two tables' "id").
        labelled = stmt.with_only_columns(*(c.label(f"c{i}") for i, c in enumerate(stmt.selected_columns)))
        sql = str(labelled.compile(self.engine, compile_kwargs={"literal_binds": True}))
        frame = self._fetch(sql, len(names))
        return _typed(frame.rename({f"c{i}": name for i, name in enumerate(names)}), names)


@contextmanager
def reader(session: Session, *, bulk: bool = False) -> Iterator[FrameReader]:
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    if engine.url.get_backend_name() != "sqlite":
        import adbc_driver_postgresql.dbapi as driver

        conn = driver.connect(engine.url.set(drivername="postgresql").render_as_string(hide_password=False))
        try:
            yield FrameReader(engine, lambda sql, _n: pl.read_database(sql, conn))
        finally:
            conn.close()
    elif bulk and engine.url.database not in (None, "", ":memory:"):
        with _Child(str(engine.url.database)) as child:
            yield FrameReader(engine, child.fetch)
    else:
        dbapi = session.connection().connection.dbapi_connection
        assert dbapi is not None
        yield FrameReader(engine, lambda sql, n: _rows_frame(dbapi, sql, n))


def _rows_frame(dbapi: Any, sql: str, width: int) -> pl.DataFrame:
    cursor = dbapi.cursor()
    try:
        rows = cursor.execute(sql).fetchall()
    finally:
        cursor.close()
    columns = list(zip(*rows, strict=True)) if rows else [()] * width
    return pl.DataFrame({f"c{i}": pl.Series(f"c{i}", list(v), strict=False) for i, v in enumerate(columns)})


class _Child:
    """One child process answering statements in turn: a length-prefixed SQL text in, an Arrow IPC
    stream out."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> _Child:
        self.proc = subprocess.Popen([sys.executable, "-m", "probation.adapters.db.arrow_child", self.path],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return self

    def fetch(self, sql: str, _width: int) -> pl.DataFrame:
        import pyarrow as pa

        stdin, stdout = self.proc.stdin, self.proc.stdout
        assert stdin is not None and stdout is not None
        try:
            _send(stdin, sql.encode())
            table = pa.ipc.open_stream(stdout).read_all()
        except (OSError, pa.ArrowInvalid) as exc:
            self.proc.kill()
            _, err = self.proc.communicate()
            raise RuntimeError(f"bulk read failed: {err.decode(errors='replace').strip() or exc}") from exc
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        return frame

    def __exit__(self, *exc: object) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()


def _send(out: IO[bytes], data: bytes) -> None:
    out.write(struct.pack("<I", len(data)) + data)
    out.flush()


def _typed(frame: pl.DataFrame, schema: dict[str, Any]) -> pl.DataFrame:
    casts = []
    for name, kind in schema.items():
        have = frame.schema[name]
        if kind == pl.Date and have == pl.String:
            casts.append(pl.col(name).str.slice(0, 10).str.to_date("%Y-%m-%d"))
        elif kind == pl.Date and have == pl.Null:
            casts.append(pl.col(name).cast(pl.Date))
        elif isinstance(kind, pl.Datetime) and have == pl.String:
            casts.append(_zoned(pl.col(name).str.replace("T", " ").str.slice(0, 26)
                                .str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us", strict=False), kind))
        elif isinstance(kind, pl.Datetime) and isinstance(have, pl.Datetime):
            casts.append(_zoned(pl.col(name).dt.replace_time_zone(None).dt.cast_time_unit("us"), kind))
        elif kind == pl.Boolean and have != pl.Boolean:
            casts.append(pl.col(name).cast(pl.Int64).cast(pl.Boolean))
        else:
            casts.append(pl.col(name).cast(kind))
    return frame.with_columns(casts)


def _zoned(utc_wall_clock: pl.Expr, kind: pl.Datetime) -> pl.Expr:
    """UTC wall-clock times in the zone the caller asked for (none: left naive)."""
    if kind.time_zone is None:
        return utc_wall_clock
    return utc_wall_clock.dt.replace_time_zone("UTC").dt.convert_time_zone(kind.time_zone)
