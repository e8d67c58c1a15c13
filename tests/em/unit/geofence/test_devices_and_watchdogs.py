"""Device events and the no-signal / no-communication watchdogs."""

from __future__ import annotations

from datetime import timedelta

from probation.em.geofence import AlertKind, DeviceEvent, EngineConfig, GeofenceEngine
from probation.em.geofence.times import to_ms

from .helpers import CX, CY, T0, book, fixes, zone

NOW = T0 + timedelta(days=1)
FAR = (CX - 5000, CY)


def ms(seconds: float) -> int:
    return to_ms(T0 + timedelta(seconds=seconds))


def event(name: str, seconds: float) -> DeviceEvent:
    return DeviceEvent(device="D1", time_ms=ms(seconds), event=name, line=99)


def test_strap_cut_and_battery_events_raise_equipment_alerts():
    engine = GeofenceEngine(book(zone()))

    result = engine.evaluate(
        fixes([FAR]),
        [
            event("strap_cut", 10),
            event("battery_low", 20),
            event("battery_critical", 30),
            event("case_opened", 40),
            event("charger_on", 50),
            event("heartbeat", 55),
        ],
        now=NOW,
    )

    assert [(a.kind, a.time_ms, a.detail) for a in result.alerts] == [
        (AlertKind.TAMPER, ms(10), "strap_cut"),
        (AlertKind.BATTERY_LOW, ms(20), ""),
        (AlertKind.BATTERY_CRITICAL, ms(30), ""),
        (AlertKind.CASE_OPENED, ms(40), ""),
        (AlertKind.CHARGER_ON, ms(50), ""),
    ]


def test_a_gap_longer_than_the_timeout_raises_no_communication_at_the_deadline_then_restored():
    engine = GeofenceEngine(book(zone()))

    # Fixes at 0 and 60 s, then silence until 1,000 s: the deadline is 60 + 600 s.
    result = engine.evaluate(
        fixes(
            [FAR, FAR, FAR], times=[T0, T0 + timedelta(seconds=60), T0 + timedelta(seconds=1000)]
        ),
        now=NOW,
    )

    assert [(a.kind, a.time_ms) for a in result.alerts] == [
        (AlertKind.NO_COMMUNICATION, ms(660)),
        (AlertKind.COMMUNICATION_RESTORED, ms(1000)),
    ]


def test_a_gap_just_within_the_timeout_raises_nothing():
    engine = GeofenceEngine(book(zone()))

    result = engine.evaluate(fixes([FAR, FAR], every_s=600), now=NOW)

    assert result.alerts == ()


def test_the_watchdog_tick_raises_no_communication_once_with_the_deadline_as_its_time():
    engine = GeofenceEngine(book(zone()), EngineConfig(no_communication_s=300, no_signal_s=300))
    engine.evaluate(fixes([FAR]), now=NOW)

    early = engine.tick(T0 + timedelta(seconds=299))
    first = engine.tick(T0 + timedelta(seconds=301))
    second = engine.tick(T0 + timedelta(seconds=900))

    assert early == []
    assert [(a.kind, a.time_ms) for a in first] == [(AlertKind.NO_COMMUNICATION, ms(300))]
    assert second == []


def test_heartbeats_without_fixes_raise_no_signal_but_not_no_communication():
    engine = GeofenceEngine(book(zone()))
    beats = [event("heartbeat", s) for s in range(60, 1300, 120)]

    result = engine.evaluate(
        fixes([FAR, FAR], times=[T0, T0 + timedelta(seconds=1300)]), beats, now=NOW
    )

    assert [(a.kind, a.time_ms) for a in result.alerts] == [
        (AlertKind.NO_SIGNAL, ms(600)),
        (AlertKind.SIGNAL_RESTORED, ms(1300)),
    ]
