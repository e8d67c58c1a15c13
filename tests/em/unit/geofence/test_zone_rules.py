"""The zone state machine on a hand-made 200 m square in London (centre CX, CY in BNG metres).
Default rules: approach 100 m, exit margin 10 m, accuracy 10 m when a fix has none."""

from __future__ import annotations

from datetime import timedelta

from probation.em.geofence import AlertKind, EngineConfig, GeofenceEngine
from probation.em.geofence.times import to_ms

from .helpers import CX, CY, T0, book, fixes, zone

NOW = T0 + timedelta(days=2)


def zone_alerts(engine, batch):
    result = engine.evaluate(batch, now=NOW)
    return [(a.kind, a.time_ms) for a in result.alerts if a.zone]


def at(seconds: float) -> int:
    return to_ms(T0 + timedelta(seconds=seconds))


def test_walking_through_an_exclusion_zone_raises_approach_entry_and_exit_in_order():
    engine = GeofenceEngine(book(zone()))
    track = [
        (CX - 500, CY),
        (CX - 150, CY),
        (CX - 50, CY),
        (CX + 50, CY),
        (CX + 150, CY),
        (CX + 400, CY),
    ]

    alerts = zone_alerts(engine, fixes(track))

    # 50 m short of the edge is within 100 m: approach; inside: entry; 50 m out > 10 + 10: exit.
    assert alerts == [
        (AlertKind.APPROACH, at(60)),
        (AlertKind.ENTRY, at(120)),
        (AlertKind.EXIT, at(240)),
    ]


def test_the_entry_into_an_exclusion_zone_is_a_breach_and_the_approach_is_not():
    engine = GeofenceEngine(book(zone()))

    result = engine.evaluate(fixes([(CX - 150, CY), (CX, CY)]), now=NOW)

    assert [(a.kind, a.breach) for a in result.alerts] == [
        (AlertKind.APPROACH, False),
        (AlertKind.ENTRY, True),
    ]


def test_no_approach_alert_beyond_the_zones_own_approach_distance():
    engine = GeofenceEngine(book(zone(approach_m=30)))

    alerts = zone_alerts(engine, fixes([(CX - 500, CY), (CX - 150, CY), (CX - 120, CY)]))

    assert alerts == [(AlertKind.APPROACH, at(120))]  # 50 m away is not within 30 m; 20 m is


def test_a_fix_just_outside_with_poor_accuracy_does_not_exit():
    engine = GeofenceEngine(book(zone()))

    # Inside, then 30 m outside the edge reported with 25 m accuracy: 30 <= 25 + 10.
    alerts = zone_alerts(engine, fixes([(CX, CY), (CX + 130, CY, 25.0)]))

    assert alerts == [(AlertKind.ENTRY, at(0))]


def test_a_fix_clearly_out_by_more_than_its_accuracy_and_the_margin_exits():
    engine = GeofenceEngine(book(zone()))

    # The same 30 m outside, now with 5 m accuracy: 30 > 5 + 10.
    alerts = zone_alerts(engine, fixes([(CX, CY), (CX + 130, CY, 25.0), (CX + 130, CY, 5.0)]))

    assert alerts == [(AlertKind.ENTRY, at(0)), (AlertKind.EXIT, at(120))]


def test_a_track_jittering_along_the_boundary_raises_one_entry_not_many():
    engine = GeofenceEngine(book(zone()))
    jitter = [(CX + 100 + (4 if i % 2 else -4), CY, 8.0) for i in range(20)]

    alerts = zone_alerts(engine, fixes([(CX - 400, CY + 400), *jitter]))

    kinds = [k for k, _ in alerts]
    assert kinds.count(AlertKind.ENTRY) == 1
    assert AlertKind.EXIT not in kinds


def test_hovering_at_the_approach_distance_raises_one_approach():
    engine = GeofenceEngine(book(zone()))
    hover = [(CX - 100 - 100 + (3 if i % 2 else -3), CY, 5.0) for i in range(10)]

    alerts = zone_alerts(engine, fixes([(CX - 600, CY), *hover]))

    assert [k for k, _ in alerts] == [AlertKind.APPROACH]


def test_a_straight_line_through_a_zone_between_two_sparse_fixes_raises_entry_and_exit():
    engine = GeofenceEngine(book(zone()))

    # 300 m either side of the centre, a minute apart: the segment enters at x = -100 (a third of
    # the way, 20 s) and leaves at x = +100 (40 s). Neither fix is within the approach distance.
    result = engine.evaluate(fixes([(CX - 300, CY), (CX + 300, CY)]), now=NOW)

    assert [(a.kind, a.time_ms, a.inferred, a.breach) for a in result.alerts] == [
        (AlertKind.ENTRY, at(20), True, True),
        (AlertKind.EXIT, at(40), True, False),
    ]


def test_a_segment_that_passes_beside_the_zone_raises_nothing():
    engine = GeofenceEngine(book(zone()))

    alerts = zone_alerts(engine, fixes([(CX - 300, CY + 250), (CX + 300, CY + 250)]))

    assert alerts == []


def test_fixes_further_apart_than_the_segment_gap_are_not_joined():
    engine = GeofenceEngine(book(zone()), EngineConfig(segment_max_gap_s=300))

    alerts = zone_alerts(engine, fixes([(CX - 300, CY), (CX + 300, CY)], every_s=600))

    assert alerts == []


def test_a_fix_inside_a_hole_is_outside_the_zone():
    engine = GeofenceEngine(book(zone(half=200, hole=50)))

    # The centre is 50 m inside the hole's edge: outside the zone, within approach distance.
    alerts = zone_alerts(engine, fixes([(CX, CY)]))

    assert alerts == [(AlertKind.APPROACH, at(0))]


def test_a_fix_in_the_ring_around_a_hole_is_inside_the_zone():
    engine = GeofenceEngine(book(zone(half=200, hole=50)))

    alerts = zone_alerts(engine, fixes([(CX + 120, CY)]))

    assert alerts == [(AlertKind.ENTRY, at(0))]


def test_leaving_an_inclusion_zone_is_the_breach_and_coming_back_is_an_entry():
    engine = GeofenceEngine(book(zone(kind="inclusion", half=30)))

    # A fix outside is judged by where it is (the exit is at its time, not inferred earlier).
    result = engine.evaluate(
        fixes([(CX, CY), (CX + 200, CY), (CX + 200, CY + 50), (CX, CY)], every_s=600), now=NOW
    )

    assert [(a.kind, a.time_ms, a.breach) for a in result.alerts if a.zone] == [
        (AlertKind.EXIT, at(600), True),
        (AlertKind.ENTRY, at(1800), False),
    ]


def test_inclusion_zone_drift_just_outside_does_not_exit():
    engine = GeofenceEngine(book(zone(kind="inclusion", half=30)))

    # 15 m outside a curfew address with 10 m accuracy: 15 <= 10 + 10.
    alerts = zone_alerts(engine, fixes([(CX, CY), (CX + 45, CY, 10.0), (CX, CY)]))

    assert alerts == []


def test_the_first_fix_of_a_person_outside_an_inclusion_zone_is_a_breach():
    engine = GeofenceEngine(book(zone(kind="inclusion", half=30)))

    result = engine.evaluate(fixes([(CX + 500, CY)]), now=NOW)

    assert [(a.kind, a.breach) for a in result.alerts] == [(AlertKind.EXIT, True)]


def test_a_quick_trip_out_of_an_inclusion_zone_between_two_fixes_inside_is_inferred():
    # A U-shaped (concave) zone: both fixes are in the arms, the straight line crosses the gap.
    from shapely.geometry import Polygon

    from probation.em.geofence import make_zone

    from .helpers import ring

    u = ring(
        [
            (CX - 150, CY - 100),
            (CX + 150, CY - 100),
            (CX + 150, CY + 100),
            (CX + 50, CY + 100),
            (CX + 50, CY - 50),
            (CX - 50, CY - 50),
            (CX - 50, CY + 100),
            (CX - 150, CY + 100),
        ]
    )
    engine = GeofenceEngine(
        book(make_zone(zone_id="U", person="P1", kind="inclusion", geometry=Polygon(u)))
    )

    result = engine.evaluate(fixes([(CX - 100, CY + 50), (CX + 100, CY + 50)]), now=NOW)

    # Out of the zone widened by 10 m at x = -40, back at x = +40: 0.3 and 0.7 of a minute.
    assert [(a.kind, a.time_ms, a.inferred) for a in result.alerts] == [
        (AlertKind.EXIT, at(18), True),
        (AlertKind.ENTRY, at(42), True),
    ]


def test_a_zone_keeps_its_state_between_batches():
    engine = GeofenceEngine(book(zone()))
    engine.evaluate(fixes([(CX, CY)]), now=NOW)

    later = engine.evaluate(
        fixes([(CX + 10, CY), (CX + 400, CY)], start=T0 + timedelta(minutes=1)), now=NOW
    )

    assert [a.kind for a in later.alerts if a.zone] == [AlertKind.EXIT]
