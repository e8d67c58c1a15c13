"""Times at the edges: ISO 8601 in, UTC epoch milliseconds inside the engine, ISO 8601 out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from probation.domain.calendar import FIRST_YEAR, LAST_YEAR, outside_years
from probation.domain.errors import InvalidValue

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_time(value: Any, field: str = "time") -> datetime:
    """An ISO 8601 time with a UTC offset ("Z" or "+01:00"); a time without one is ambiguous
    across the BST change and is rejected."""
    if not isinstance(value, str):
        raise InvalidValue(
            f"{field} {value!r} is not an ISO 8601 text",
            field=field,
            value=str(value),
            rule="times are ISO 8601 with a UTC offset",
        )
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidValue(
            f"{field} {value!r} is not an ISO 8601 time",
            field=field,
            value=value,
            rule="times are ISO 8601 with a UTC offset",
        ) from None
    if at.tzinfo is None:
        raise InvalidValue(
            f"{field} {value!r} has no UTC offset",
            field=field,
            value=value,
            rule="times are ISO 8601 with a UTC offset (Z or +01:00)",
        )
    problem = outside_years(at)
    if problem:
        raise InvalidValue(f"{field} {problem}", field=field, value=value,
                           rule=f"times fall within the years {FIRST_YEAR}-{LAST_YEAR}")
    return at.astimezone(UTC)


def to_ms(at: datetime) -> int:
    if at.tzinfo is None:
        raise InvalidValue(
            f"time {at.isoformat()} has no UTC offset",
            field="time",
            value=at.isoformat(),
            rule="times carry a time zone",
        )
    delta = at - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_ms(ms: int) -> datetime:
    return EPOCH + timedelta(milliseconds=int(ms))


def iso(ms: int) -> str:
    """UTC ISO 8601 with a Z; milliseconds only when there are any."""
    at = from_ms(int(ms))
    text = at.isoformat(timespec="milliseconds" if ms % 1000 else "seconds")
    return text.replace("+00:00", "Z")
