"""Column types shared by the table modules.

Every time is stored in UTC. `UtcDateTime` is the one place that holds the rule, so what the
database hands back is an aware UTC datetime on SQLite (which keeps no time zone and returns
naive values) as on PostgreSQL (which returns values in the session's time zone), and no caller
converts."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """`TIMESTAMP WITH TIME ZONE` (the DDL of `DateTime(timezone=True)`, so the migrations stand)
    that takes only aware datetimes, stores them in UTC and reads them back aware in UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: times stored carry a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite: stored in UTC without an offset
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
