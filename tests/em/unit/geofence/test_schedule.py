"""Schedules in Europe/London wall-clock time, evaluated at each fix's own time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probation.domain.errors import InvalidValue
from probation.em.geofence import AlertKind, GeofenceEngine
from probation.em.geofence.schedule import minute_of_week_london, parse_schedule
from probation.em.geofence.times import to_ms

from .helpers import CX, CY, book, fixes, zone

NIGHT = parse_schedule("19:00-07:00")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "active"),
    [
        (utc(2026, 3, 2, 18, 59), False),  # Monday 18:59 GMT
        (utc(2026, 3, 2, 19, 0), True),  # the start is inclusive
        (utc(2026, 3, 2, 23, 59), True),
        (utc(2026, 3, 3, 0, 1), True),  # past midnight into Tuesday
        (utc(2026, 3, 3, 6, 59), True),
        (utc(2026, 3, 3, 7, 0), False),  # the end is exclusive
        (utc(2026, 3, 28, 6, 30), True),  # Saturday 06:30 GMT
        (utc(2026, 3, 29, 6, 30), False),  # Sunday after the spring change: 07:30 BST
        (utc(2026, 3, 29, 18, 30), True),  # 19:30 BST
        (utc(2026, 7, 1, 18, 30), True),  # summer: 19:30 BST though 18:30 UTC
        (utc(2026, 10, 24, 6, 30), False),  # Saturday before the autumn change: 07:30 BST
        (utc(2026, 10, 25, 6, 30), True),  # Sunday after it: 06:30 GMT
    ],
)
def test_a_night_schedule_is_active_on_london_wall_clock_time(at, active):
    mask = NIGHT.week_mask()

    assert NIGHT.is_active(at) is active
    assert bool(mask[minute_of_week_london(np.array([to_ms(at)]))[0]]) is active


def test_days_name_the_day_a_window_starts_on():
    friday_nights = parse_schedule({"days": ["fri"], "start": "22:00", "end": "02:00"})

    assert friday_nights.is_active(utc(2026, 3, 7, 1, 0))  # Saturday 01:00: Friday's window
    assert not friday_nights.is_active(utc(2026, 3, 6, 1, 0))  # Friday 01:00: Thursday's


def test_a_zone_on_a_night_schedule_raises_entry_at_fix_time_across_the_clock_change():
    engine = GeofenceEngine(book(zone(schedule="19:00-07:00")))
    times = [
        utc(2026, 3, 28, 18, 30),
        utc(2026, 3, 28, 19, 30),
        utc(2026, 3, 29, 6, 30),
        utc(2026, 3, 29, 18, 30),
    ]

    result = engine.evaluate(fixes([(CX, CY)] * 4, times=times), now=utc(2026, 4, 1))

    # 18:30 GMT inactive; 19:30 GMT entry; 07:30 BST inactive (state resets silently); 19:30 BST
    # active again: a new entry. Read as UTC hours, the last two would be the other way round.
    assert [(a.kind, a.time_ms) for a in result.alerts if a.zone] == [
        (AlertKind.ENTRY, to_ms(times[1])),
        (AlertKind.ENTRY, to_ms(times[3])),
    ]


def test_a_person_inside_across_midnight_raises_one_entry():
    engine = GeofenceEngine(book(zone(schedule="19:00-07:00")))
    start = utc(2026, 3, 2, 23, 50)

    result = engine.evaluate(fixes([(CX, CY)] * 5, start=start, every_s=300), now=utc(2026, 4, 1))

    assert [a.kind for a in result.alerts if a.zone] == [AlertKind.ENTRY]


def test_a_zone_outside_its_active_period_raises_nothing():
    engine = GeofenceEngine(
        book(zone(active_from="2026-03-02T12:05:00Z", active_to="2026-03-02T12:10:00Z"))
    )

    result = engine.evaluate(fixes([(CX, CY)] * 12), now=utc(2026, 4, 1))

    # Active from the fix at 12:05 until the one before 12:10.
    assert [(a.kind, a.time_ms) for a in result.alerts if a.zone] == [
        (AlertKind.ENTRY, to_ms(utc(2026, 3, 2, 12, 5)))
    ]


@pytest.mark.parametrize(
    "raw", ["25:00-07:00", "19:00", {"days": "someday", "start": "19:00", "end": "07:00"}, 19]
)
def test_a_malformed_schedule_is_rejected_with_the_rule(raw):
    with pytest.raises(InvalidValue) as err:
        parse_schedule(raw)
    assert "schedule" in err.value.message


@settings(max_examples=300, deadline=None)
@given(
    minutes=st.integers(0, 3 * 365 * 24 * 60),
    start=st.integers(0, 1439),
    length=st.integers(0, 1439),
    days=st.sets(st.integers(0, 6), min_size=1),
)
def test_the_vectorised_schedule_agrees_with_zoneinfo(minutes, start, length, days):
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    end = (start + length) % 1440
    schedule = parse_schedule(
        {
            "days": [names[d] for d in sorted(days)],
            "start": f"{start // 60:02d}:{start % 60:02d}",
            "end": f"{end // 60:02d}:{end % 60:02d}",
        }
    )
    at = utc(2025, 1, 1) + timedelta(minutes=minutes, seconds=17)

    fast = bool(schedule.week_mask()[minute_of_week_london(np.array([to_ms(at)]))[0]])

    assert fast is schedule.is_active(at)
