"""Determinism: input order, replays and restored state do not change the alerts or their ids."""

from __future__ import annotations

import json
from datetime import timedelta

import numpy as np

from probation.em.geofence import GeofenceEngine, PersonState
from probation.em.geofence.trail import FixBatch

from .helpers import CX, CY, T0, book, fixes, zone

NOW = T0 + timedelta(days=1)
TRACK = [
    (CX - 500, CY),
    (CX - 150, CY),
    (CX - 50, CY),
    (CX + 130, CY, 25.0),
    (CX + 300, CY),
    (CX - 300, CY + 20),
    (CX + 300, CY - 20),
    (CX + 900, CY),
]


def ids(result):
    return [a.id for a in result.alerts]


def test_an_out_of_order_batch_raises_the_same_alerts_as_the_sorted_batch():
    batch = fixes(TRACK)
    shuffled = batch.take(np.array([5, 2, 7, 0, 3, 6, 1, 4]))

    in_order = GeofenceEngine(book(zone())).evaluate(batch, now=NOW)
    out_of_order = GeofenceEngine(book(zone())).evaluate(shuffled, now=NOW)

    assert len(in_order.alerts) >= 4
    assert ids(out_of_order) == ids(in_order)


def test_the_same_fixes_replayed_give_identical_alert_ids():
    first = GeofenceEngine(book(zone())).evaluate(fixes(TRACK), now=NOW)
    second = GeofenceEngine(book(zone())).evaluate(fixes(TRACK), now=NOW)

    assert ids(first) == ids(second)
    assert len(set(ids(first))) == len(first.alerts)


def test_state_restored_from_a_json_snapshot_continues_as_if_never_stopped():
    batch = fixes(TRACK)
    whole = GeofenceEngine(book(zone())).evaluate(batch, now=NOW)
    engine = GeofenceEngine(book(zone()))
    head = engine.evaluate(batch.take(np.arange(4)), now=NOW)
    saved = json.dumps([s.as_dict() for s in engine.snapshot().values()])

    restored = GeofenceEngine(
        book(zone()), states=[PersonState.from_dict(d) for d in json.loads(saved)]
    )
    tail = restored.evaluate(batch.take(np.arange(4, 8)), now=NOW)

    assert ids(head) + ids(tail) == ids(whole)


def test_a_batch_delivered_twice_raises_nothing_the_second_time_and_flags_every_fix():
    engine = GeofenceEngine(book(zone()))
    engine.evaluate(fixes(TRACK), now=NOW)

    again = engine.evaluate(fixes(TRACK), now=NOW)

    assert again.alerts == ()
    assert [r.line for r in again.late] == list(range(1, 9))
    assert "predates the last evaluated message" in again.late[0].reason


def test_a_late_fix_older_than_the_state_is_flagged_not_evaluated():
    engine = GeofenceEngine(book(zone()))
    engine.evaluate(fixes([(CX - 500, CY)], start=T0 + timedelta(minutes=10)), now=NOW)

    late = engine.evaluate(fixes([(CX, CY)]), now=NOW)  # inside, but 10 minutes older

    assert late.alerts == ()
    assert len(late.late) == 1


def test_of_two_fixes_at_the_same_time_one_is_evaluated_and_the_other_reported():
    rows = [
        ("D1", 1_772_452_800_000, 51.5, -0.12, 5.0, 1),
        ("D1", 1_772_452_800_000, 51.4, -0.12, 5.0, 2),
    ]

    result = GeofenceEngine(book(zone())).evaluate(FixBatch.from_rows(rows), now=NOW)

    assert [r.line for r in result.late] == [1]  # the smaller latitude (line 2) is evaluated
    assert "duplicate fix" in result.late[0].reason


def test_a_varied_order_keeps_the_zone_state_of_an_unchanged_zone_id():
    from probation.em.geofence.zones import OrderVersion, ZoneBook

    original = book(zone())
    engine = GeofenceEngine(original)
    engine.evaluate(fixes([(CX, CY)]), now=NOW)  # inside: entry
    varied = ZoneBook(
        versions={"P1": (OrderVersion(version=1, effective_from=None, zones=(zone(half=150),)),)},
        devices=original.devices,
    )

    engine.replace_zones(varied)
    later = engine.evaluate(fixes([(CX + 120, CY)], start=T0 + timedelta(minutes=1)), now=NOW)

    assert later.alerts == ()  # still inside the wider zone: no second entry


def test_fixes_sharing_device_and_time_are_found_in_any_order() -> None:
    """A GPS and an other-source fix of one device at one instant: both lines, however the batch
    is ordered (ingest sorts by device and time, replay reads by device, time and source). The
    same time on another device, or another time on the same device, is not a twin."""
    rows = [("A", 1000, 53.8, -1.5, None, 1), ("B", 1000, 53.8, -1.5, None, 2),
            ("A", 2000, 53.8, -1.5, None, 3), ("A", 1000, 53.8, -1.5, 30.0, 4),
            ("B", 3000, 53.8, -1.5, None, 5)]
    for order in ([0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [3, 1, 4, 0, 2]):
        assert FixBatch.from_rows(rows[i] for i in order).same_time_lines() == {1, 4}
    assert FixBatch.empty().same_time_lines() == set()
