"""Times come back from the database aware and in UTC on SQLite and PostgreSQL alike, through the
one column type every table uses, so no caller converts; a time without a zone is never stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import polars as pl
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from probation.adapters.db import load_all_tables
from probation.adapters.db.arrow import reader
from probation.adapters.db.engine import make_engine
from probation.adapters.db.tables import AuditRow, Base
from probation.adapters.db.types import UtcDateTime

BST = timezone(timedelta(hours=1))
SUMMER_EVENING = datetime(2026, 6, 30, 23, 30, tzinfo=BST)  # 22:30 UTC
WINTER_MORNING = datetime(2026, 12, 1, 9, 15, 30, 123456, tzinfo=UTC)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


def _audit(at: datetime) -> AuditRow:
    return AuditRow(at=at, username="tester", role="administrator", action="read", subject="A123456",
                    channel="cli")


def _in_utc(at: datetime) -> bool:
    return at.tzinfo is not None and at.utcoffset() == timedelta(0)


def _store(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        s.add_all([_audit(SUMMER_EVENING), _audit(WINTER_MORNING)])


def test_times_are_read_back_aware_in_utc_by_the_orm_and_core(engine: Engine) -> None:
    _store(engine)

    with Session(engine) as s:
        stored = list(s.scalars(select(AuditRow.at).order_by(AuditRow.at)))
        rows = [r.at for r in s.scalars(select(AuditRow).order_by(AuditRow.at))]
        with_text = list(s.execute(text("SELECT at FROM audit_log ORDER BY at")
                                   .columns(at=UtcDateTime())).scalars())

    for read in (stored, rows, with_text):
        assert read == [SUMMER_EVENING, WINTER_MORNING]
        assert all(_in_utc(at) for at in read)
    assert stored[0].hour == 22  # the offset given was applied, not dropped


def test_the_earliest_and_latest_time_are_aware_in_utc(engine: Engine) -> None:
    _store(engine)

    with Session(engine) as s:
        first, last = s.execute(select(func.min(AuditRow.at), func.max(AuditRow.at))).one()

    assert (first, last) == (SUMMER_EVENING, WINTER_MORNING)
    assert _in_utc(first) and _in_utc(last)


def test_times_compare_in_utc_whatever_offset_the_bound_value_has(engine: Engine) -> None:
    _store(engine)

    with Session(engine) as s:
        # 23:00 at +01:00 is 22:00 UTC: before the summer evening's 22:30 UTC
        after = s.scalar(select(func.count()).select_from(AuditRow).where(
            AuditRow.at > datetime(2026, 6, 30, 23, 0, tzinfo=BST)))

    assert after == 2


def test_a_time_without_a_zone_is_refused_when_stored_or_compared(engine: Engine) -> None:
    naive = datetime(2026, 6, 30, 23, 30)

    with Session(engine) as s, pytest.raises(StatementError, match="times stored carry a time zone"):
        s.add(_audit(naive))
        s.flush()
    with Session(engine) as s, pytest.raises(StatementError, match="times stored carry a time zone"):
        s.scalar(select(AuditRow.id).where(AuditRow.at < naive))


def test_a_frame_asking_for_utc_times_gets_them_aware_on_both_backends(engine: Engine) -> None:
    _store(engine)

    with Session(engine) as s, reader(s) as rd:
        frame = rd.read(select(AuditRow.at).order_by(AuditRow.at), {"at": pl.Datetime("us", "UTC")})

    assert frame.schema["at"] == pl.Datetime("us", "UTC")
    assert frame["at"].to_list() == [SUMMER_EVENING, WINTER_MORNING]


def test_every_time_column_uses_the_utc_type_and_the_migrations_need_no_change(engine: Engine) -> None:
    load_all_tables()
    timed = [c for t in Base.metadata.tables.values() for c in t.columns
             if isinstance(c.type, UtcDateTime) or "TIME" in str(c.type.compile(engine.dialect)).upper()]

    assert timed and all(isinstance(c.type, UtcDateTime) for c in timed)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
