"""Columnar reads on SQLite (adapters/db/arrow.py) see every committed row and never disturb the
server's own connections: an ADBC SQLite connection in the server's process once deleted the
write-ahead log under them, so reads missed rows and later writes were lost."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Column, Date, Integer, MetaData, String, Table, func, insert, select

from probation.adapters.db import arrow
from probation.adapters.db.engine import make_engine, make_session_factory

META = MetaData()
THING = Table("thing", META, Column("id", Integer, primary_key=True), Column("name", String),
              Column("day", Date))
SCHEMA = {"id": pl.Int64, "name": pl.String, "day": pl.Date}


def add(sessions, n: int) -> None:  # type: ignore[no-untyped-def]
    with sessions.begin() as s:
        s.execute(insert(THING), [{"id": n, "name": f"n{n}", "day": date(2026, 11, n)}])


@pytest.mark.parametrize("bulk", [False, True])
def test_reads_see_committed_rows_and_keep_the_write_ahead_log(tmp_path: Path, bulk: bool) -> None:
    db = tmp_path / "t.sqlite3"
    engine = make_engine(f"sqlite:///{db}")
    META.create_all(engine)
    sessions = make_session_factory(engine)
    held = engine.connect()  # the server's pool keeps connections open between requests
    try:
        add(sessions, 1)
        for n in (2, 3):
            add(sessions, n)
            with sessions() as s, arrow.reader(s, bulk=bulk) as rd:
                got = rd.read(select(THING.c.id, THING.c.name, THING.c.day).order_by(THING.c.id), SCHEMA)
            assert got["id"].to_list() == list(range(1, n + 1))
            assert got["day"].to_list()[-1] == date(2026, 11, n) and got.schema == pl.Schema(SCHEMA)
            assert (tmp_path / "t.sqlite3-wal").exists()  # still the live log of the open connections
        add(sessions, 4)
    finally:
        held.close()
        engine.dispose()
    fresh = make_engine(f"sqlite:///{db}")
    with fresh.connect() as c:
        assert c.scalar(select(func.count()).select_from(THING)) == 4  # nothing written was lost
    fresh.dispose()


def test_a_small_read_sees_the_sessions_own_uncommitted_rows(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.sqlite3'}")
    META.create_all(engine)
    with make_session_factory(engine)() as s:
        s.execute(insert(THING), [{"id": 7, "name": None, "day": None}])
        with arrow.reader(s) as rd:
            got = rd.read(select(THING.c.id, THING.c.name, THING.c.day), SCHEMA)
        assert got.rows() == [(7, None, None)]
        with arrow.reader(s) as rd:
            empty = rd.read(select(THING.c.id, THING.c.name, THING.c.day).where(THING.c.id > 7), SCHEMA)
        assert empty.height == 0 and empty.schema == pl.Schema(SCHEMA)
    engine.dispose()


def test_a_failed_bulk_read_says_why(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.sqlite3'}")
    META.create_all(engine)
    missing = Table("no_such_table", MetaData(), Column("id", Integer))
    with (make_session_factory(engine)() as s, arrow.reader(s, bulk=True) as rd,
          pytest.raises(RuntimeError, match="no_such_table")):
        rd.read(select(missing.c.id), {"id": pl.Int64})
    engine.dispose()
