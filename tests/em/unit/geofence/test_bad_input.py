"""Bad input: each rejected line or zone names its place and the reason; the rest is kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from shapely.geometry import Polygon

from probation.domain.errors import InvalidValue
from probation.em.geofence import GeofenceEngine, make_zone, parse_trail, parse_zones_geojson
from probation.em.geofence.trail import FixBatch

from .helpers import CX, CY, T0, book, fixes, ring, square, zone

NOW = T0 + timedelta(days=1)


def test_a_self_intersecting_polygon_is_rejected_with_the_reason():
    bowtie = ring([(CX, CY), (CX + 100, CY + 100), (CX + 100, CY), (CX, CY + 100)])

    with pytest.raises(InvalidValue) as err:
        make_zone(zone_id="B", person="P1", kind="exclusion", geometry=Polygon(bowtie))

    assert "Self-intersection" in err.value.message
    assert err.value.field == "geometry"


def test_zone_vertices_given_as_lat_lon_are_rejected():
    swapped = [(lat, lon) for lon, lat in ring(square())]

    with pytest.raises(InvalidValue) as err:
        make_zone(zone_id="S", person="P1", kind="exclusion", geometry=Polygon(swapped))

    assert "outside the area British National Grid covers" in err.value.message


@pytest.mark.parametrize(
    ("props", "words"),
    [
        ({"kind": "restriction"}, "neither exclusion nor inclusion"),
        ({"approach_m": -5}, "approach_m -5"),
        ({"active_from": "2026-03-02T12:00:00"}, "no UTC offset"),
    ],
)
def test_bad_zone_properties_are_rejected_with_the_feature_number(props, words):
    good = {
        "type": "Feature",
        "properties": {"device": "D1", "zone_id": "A", "kind": "exclusion"},
        "geometry": {"type": "Polygon", "coordinates": [[*ring(square()), ring(square())[0]]]},
    }
    bad = {**good, "properties": {**good["properties"], "zone_id": "B", **props}}

    zone_book, rejected = parse_zones_geojson(
        {"type": "FeatureCollection", "features": [good, bad]}
    )

    assert [r.line for r in rejected] == [2]
    assert words in rejected[0].reason and "'B'" in rejected[0].reason
    assert [z.zone_id for z in zone_book.versions["D1"][0].zones] == ["A"]


def test_malformed_ndjson_lines_are_rejected_with_their_numbers_and_the_rest_kept():
    lines = [
        '{"device": "D1", "time": "2026-03-02T12:00:00Z", "lat": 51.5, "lon": -0.12}',
        '{"device": "D1", "time": "2026-03-02T12:01:00Z", "lat": 51.5',
        "[1, 2]",
        '{"device": "D1", "time": "yesterday", "lat": 51.5, "lon": -0.12}',
        '{"device": "D1", "time": "2026-03-02T12:02:00", "lat": 51.5, "lon": -0.12}',
        '{"device": "D1", "time": "2026-03-02T12:03:00Z", "lat": 91.0, "lon": -0.12}',
        '{"device": "D1", "time": "2026-03-02T12:04:00Z", "lat": 40.0, "lon": -0.12}',
        '{"device": "D1", "time": "2026-03-02T12:05:00Z", "lat": 51.5, "lon": -0.12, '
        '"accuracy_m": -1}',
        '{"device": "D1", "time": "2026-03-02T12:06:00Z", "lat": "51.5", "lon": -0.12}',
        '{"device": "D1", "time": "2026-03-02T12:07:00Z", "event": "exploded"}',
        '{"time": "2026-03-02T12:08:00Z", "lat": 51.5, "lon": -0.12}',
        "",
        '{"device": "D1", "time": "2026-03-02T12:09:00Z", "event": "strap_tamper"}',
    ]

    trail = parse_trail(lines)

    reasons = {r.line: r.reason for r in trail.rejections}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "malformed JSON" in reasons[2]
    assert "not a JSON object" in reasons[3]
    assert "not an ISO 8601 time" in reasons[4]
    assert "no UTC offset" in reasons[5]
    assert "latitude 91.0 is outside -90..90" in reasons[6]
    assert "outside the area British National Grid covers" in reasons[7]
    assert "accuracy_m -1.0" in reasons[8]
    assert "lat '51.5' is not a number" in reasons[9]
    assert "event 'exploded'" in reasons[10]
    assert "device None" in reasons[11]
    assert list(trail.fixes.line) == [1]
    assert [e.line for e in trail.events] == [13]


def test_the_engine_rejects_unknown_devices_bad_positions_and_future_times_by_line():
    rows = [
        ("D1", 1_772_452_800_000, 51.5, -0.12, None, 1),
        ("D7", 1_772_452_800_000, 51.5, -0.12, None, 2),
        ("D1", 1_772_452_860_000, float("nan"), -0.12, None, 3),
        ("D1", 1_772_452_920_000, 51.5, -0.12, -3.0, 4),
        ("D1", 1_772_539_200_000 + 3_600_000, 51.5, -0.12, None, 5),
    ]

    result = GeofenceEngine(book(zone())).evaluate(FixBatch.from_rows(rows), now=NOW)

    reasons = {r.line: r.reason for r in result.rejections}
    assert sorted(reasons) == [2, 3, 4, 5]
    assert "unknown device 'D7'" in reasons[2]
    assert "not a finite number" in reasons[3]
    assert "accuracy_m -3.0" in reasons[4]
    assert "more than 300 s after now" in reasons[5]


def test_a_fix_within_the_future_tolerance_is_accepted():
    result = GeofenceEngine(book(zone())).evaluate(
        fixes([(CX, CY)], start=NOW + timedelta(seconds=200)), now=NOW
    )

    assert result.rejections == ()
    assert len(result.alerts) == 1
