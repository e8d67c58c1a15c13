"""Weekly schedules of a zone, in Europe/London wall-clock time.

A window names the days it starts on, a start and an end time (HH:MM). An end at or before the
start runs past midnight into the next day, so "19:00-07:00" on Monday covers Monday 19:00 to
Tuesday 07:00. Start equal to end covers the whole 24 hours from the start. Evaluation is at the
fix's own time converted to London wall-clock time, so a window keeps its wall-clock hours across
the BST/GMT changes (on the autumn night the repeated hour is active twice, on the spring night
the skipped hour never occurs).

Two evaluation paths exist on purpose: `Schedule.is_active` (one datetime, through zoneinfo) for
the reference implementation and tests, and `minute_of_week_london` + `Schedule.week_mask` (numpy,
one lookup per fix) for the vectorised engine; the property tests prove they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import numpy as np

from probation.domain.calendar import LONDON
from probation.domain.errors import InvalidValue

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
_MS_PER_HOUR = 3_600_000
_MS_PER_MINUTE = 60_000


@dataclass(frozen=True, kw_only=True)
class WeeklyWindow:
    """Active from `start` (minutes after local midnight) on each of `days` (0 = Monday) for the
    span up to `end`; an end at or before the start is on the next day."""

    days: frozenset[int]
    start: int
    end: int

    def __post_init__(self) -> None:
        for name, value in (("start", self.start), ("end", self.end)):
            if not 0 <= value < MINUTES_PER_DAY:
                raise InvalidValue(
                    f"schedule {name} {value} is not a time of day",
                    field=f"schedule.{name}",
                    value=value,
                    rule="a schedule time is between 00:00 and 23:59",
                )
        if not self.days or not all(0 <= d < 7 for d in self.days):
            raise InvalidValue(
                "schedule window names no valid day",
                field="schedule.days",
                value=sorted(self.days),
                rule="days are mon..sun",
            )

    @property
    def length(self) -> int:
        """Minutes the window lasts: start == end means a whole day."""
        return (self.end - self.start) % MINUTES_PER_DAY or MINUTES_PER_DAY

    def covers(self, weekday: int, minute: int) -> bool:
        for day in self.days:
            offset = ((weekday - day) % 7) * MINUTES_PER_DAY + minute - self.start
            if 0 <= offset % MINUTES_PER_WEEK < self.length:
                return True
        return False


@dataclass(frozen=True, kw_only=True)
class Schedule:
    """A zone is active when any window covers the London wall-clock time. No windows: always."""

    windows: tuple[WeeklyWindow, ...] = ()

    @property
    def always(self) -> bool:
        return not self.windows

    def is_active(self, at: datetime) -> bool:
        if at.tzinfo is None:
            raise InvalidValue(
                "schedule evaluated at a time without a UTC offset",
                field="time",
                value=at.isoformat(),
                rule="times carry a time zone",
            )
        if self.always:
            return True
        local = at.astimezone(LONDON)
        minute = local.hour * 60 + local.minute
        return any(w.covers(local.weekday(), minute) for w in self.windows)

    def week_mask(self) -> np.ndarray:
        """Boolean array over the minutes of the week (Monday 00:00 first): True when active."""
        return _week_mask(self)


@cache
def _week_mask(schedule: Schedule) -> np.ndarray:
    mask = np.zeros(MINUTES_PER_WEEK, dtype=bool)
    if schedule.always:
        mask[:] = True
    for window in schedule.windows:
        for day in window.days:
            begin = day * MINUTES_PER_DAY + window.start
            idx = (begin + np.arange(window.length)) % MINUTES_PER_WEEK
            mask[idx] = True
    mask.setflags(write=False)
    return mask


def minute_of_week_london(t_ms: np.ndarray) -> np.ndarray:
    """London wall-clock minute of the week (0 = Monday 00:00) for UTC epoch milliseconds.

    The UTC offset is looked up once per distinct UTC hour (the UK changes offset on the hour, at
    01:00 UTC), so a batch spanning an hour costs one or two zoneinfo calls."""
    t = np.asarray(t_ms, dtype=np.int64)
    if t.size == 0:
        return np.zeros(0, dtype=np.int64)
    hours = t // _MS_PER_HOUR
    lo, hi = int(hours.min()), int(hours.max())
    if hi - lo < 4096:
        offsets = np.array([_offset_ms(h) for h in range(lo, hi + 1)], dtype=np.int64)
        offset = offsets[hours - lo]
    else:
        unique, inverse = np.unique(hours, return_inverse=True)
        offset = np.array([_offset_ms(int(h)) for h in unique], dtype=np.int64)[inverse]
    local_minutes = (t + offset) // _MS_PER_MINUTE
    # 1970-01-01 was a Thursday (weekday 3).
    return (local_minutes + 3 * MINUTES_PER_DAY) % MINUTES_PER_WEEK


@cache
def _offset_ms(utc_hour: int) -> int:
    at = datetime.fromtimestamp(utc_hour * 3600, tz=LONDON)
    off = at.utcoffset() or timedelta(0)
    return int(off.total_seconds() * 1000)


def _parse_hhmm(text: Any, field: str) -> int:
    if not isinstance(text, str) or len(text.split(":")) != 2:
        raise InvalidValue(
            f"schedule time {text!r} is not HH:MM",
            field=field,
            value=str(text),
            rule="schedule times are 24-hour HH:MM",
        )
    hh, mm = text.split(":")
    if not (hh.isdigit() and mm.isdigit() and int(hh) < 24 and int(mm) < 60):
        raise InvalidValue(
            f"schedule time {text!r} is not HH:MM",
            field=field,
            value=text,
            rule="schedule times are 24-hour HH:MM",
        )
    return int(hh) * 60 + int(mm)


def _parse_days(raw: Any) -> frozenset[int]:
    if raw is None or raw in ("daily", "all", "every day"):
        return frozenset(range(7))
    if raw == "weekdays":
        return frozenset(range(5))
    if raw == "weekends":
        return frozenset({5, 6})
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list):
        raise InvalidValue(
            f"schedule days {raw!r} are not a list of day names",
            field="schedule.days",
            value=str(raw),
            rule="days are mon..sun",
        )
    days: set[int] = set()
    for item in items:
        name = str(item).strip().lower()
        if "-" in name:
            first, last = (part[:3] for part in name.split("-", 1))
            if first not in DAYS or last not in DAYS:
                raise InvalidValue(
                    f"schedule day range {item!r} is not mon..sun",
                    field="schedule.days",
                    value=str(item),
                    rule="days are mon..sun",
                )
            i = DAYS.index(first)
            while True:
                days.add(i)
                if i == DAYS.index(last):
                    break
                i = (i + 1) % 7
        elif name[:3] in DAYS:
            days.add(DAYS.index(name[:3]))
        else:
            raise InvalidValue(
                f"schedule day {item!r} is not a day of the week",
                field="schedule.days",
                value=str(item),
                rule="days are mon..sun",
            )
    return frozenset(days)


def parse_schedule(raw: Any) -> Schedule:
    """Schedule from a GeoJSON property: None (always), "19:00-07:00" (every day), an object
    {"days": "mon-fri" | ["sat", "sun"], "start": "19:00", "end": "07:00"}, or a list of these."""
    if raw is None or raw == [] or raw == "always":
        return Schedule()
    items = raw if isinstance(raw, list) else [raw]
    windows = []
    for item in items:
        if isinstance(item, str):
            if "-" not in item:
                raise InvalidValue(
                    f"schedule {item!r} is not START-END",
                    field="schedule",
                    value=item,
                    rule="a schedule is HH:MM-HH:MM",
                )
            start, end = item.split("-", 1)
            windows.append(
                WeeklyWindow(
                    days=frozenset(range(7)),
                    start=_parse_hhmm(start.strip(), "schedule.start"),
                    end=_parse_hhmm(end.strip(), "schedule.end"),
                )
            )
        elif isinstance(item, dict):
            windows.append(
                WeeklyWindow(
                    days=_parse_days(item.get("days")),
                    start=_parse_hhmm(item.get("start"), "schedule.start"),
                    end=_parse_hhmm(item.get("end"), "schedule.end"),
                )
            )
        else:
            raise InvalidValue(
                f"schedule {item!r} is neither text nor an object",
                field="schedule",
                value=str(item),
                rule="a schedule is HH:MM-HH:MM or an object",
            )
    return Schedule(windows=tuple(windows))
