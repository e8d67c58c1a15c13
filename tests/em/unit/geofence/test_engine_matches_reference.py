"""Property: the vectorised engine raises exactly the zone alerts of the plain per-fix reference,
on random trails around random zones (holes, schedules, inclusion and exclusion, sparse fixes),
whatever the input order and however the trail is split into batches."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon

from probation.em.geofence import EngineConfig, FixBatch, GeofenceEngine, make_zone
from probation.em.geofence.reference import reference_alerts
from probation.em.geofence.times import to_ms

from .helpers import CX, CY, lonlat, ring

SCHEDULES = [
    None,
    None,
    "19:00-07:00",
    {"days": "mon-fri", "start": "09:00", "end": "17:30"},
    [{"days": ["sat", "sun"], "start": "00:00", "end": "00:00"}],
]
# Around the spring and autumn clock changes of 2026, and an ordinary week.
STARTS = [
    datetime(2026, 3, 28, 22, 0, tzinfo=UTC),
    datetime(2026, 10, 24, 22, 0, tzinfo=UTC),
    datetime(2026, 6, 10, 6, 30, tzinfo=UTC),
]


@st.composite
def zones(draw, person: str):
    out = []
    for k in range(draw(st.integers(1, 3))):
        cx = CX + draw(st.floats(-400, 400))
        cy = CY + draw(st.floats(-400, 400))
        r = draw(st.floats(20, 250))
        n = draw(st.integers(3, 9))
        angles = sorted(
            draw(st.lists(st.floats(0, 2 * math.pi - 0.01), min_size=n, max_size=n, unique=True))
        )
        if (
            any(b - a < 0.05 for a, b in zip(angles, angles[1:], strict=False))
            or (angles[0] + 2 * math.pi - angles[-1]) < 0.05
        ):
            angles = [2 * math.pi * i / n for i in range(n)]
        radii = draw(st.lists(st.floats(0.7, 1.0), min_size=n, max_size=n))
        shell = [
            (cx + r * f * math.cos(a), cy + r * f * math.sin(a))
            for a, f in zip(angles, radii, strict=True)
        ]
        holes = []
        if (
            draw(st.booleans())
            and n >= 6
            and max(b - a for a, b in zip(angles, angles[1:], strict=False)) < 1.2
        ):
            h = 0.25 * r
            holes = [ring([(cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h, cy + h)])]
        polygon = Polygon(ring(shell), holes)
        if not polygon.is_valid:
            polygon = Polygon(ring(shell))
        if not polygon.is_valid:
            continue
        out.append(
            make_zone(
                zone_id=f"Z{k}",
                person=person,
                kind=draw(st.sampled_from(["exclusion", "inclusion"])),
                geometry=polygon,
                approach_m=draw(st.one_of(st.none(), st.floats(0, 150))),
                schedule=draw(st.sampled_from(SCHEDULES)),
            )
        )
    return out


@st.composite
def trails(draw, device: str, start: datetime):
    n = draw(st.integers(1, 25))
    x, y = CX + draw(st.floats(-700, 700)), CY + draw(st.floats(-700, 700))
    t = start + timedelta(seconds=draw(st.integers(0, 7200)))
    rows = []
    for _i in range(n):
        jump = draw(st.sampled_from([5.0, 40.0, 150.0, 600.0]))
        x += draw(st.floats(-jump, jump))
        y += draw(st.floats(-jump, jump))
        t += timedelta(seconds=draw(st.sampled_from([5, 30, 60, 300, 1000, 4000])))
        acc = draw(st.one_of(st.none(), st.floats(1, 60)))
        lon, lat = lonlat(x, y)
        rows.append((device, to_ms(t), lat, lon, acc, 0))
    return rows


@st.composite
def scenarios(draw):
    start = draw(st.sampled_from(STARTS))
    people = []
    for p in range(draw(st.integers(1, 2))):
        zs = draw(zones(f"P{p}"))
        people.append((f"P{p}", f"D{p}", zs, draw(trails(f"D{p}", start))))
    return people


def _book(people):
    from probation.em.geofence.zones import OrderVersion, ZoneBook

    versions = {
        p: (OrderVersion(version=1, effective_from=None, zones=tuple(zs)),)
        for p, _, zs, _ in people
        if zs
    }
    devices = {d: p for p, d, zs, _ in people if zs}
    return ZoneBook(versions=versions, devices=devices)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=scenarios(), seed=st.integers(0, 2**32 - 1), cuts=st.integers(1, 3))
def test_the_vectorised_engine_raises_the_same_zone_alerts_as_the_per_fix_reference(
    people, seed, cuts
):
    zone_book = _book(people)
    config = EngineConfig()
    rows = [row for p, _, zs, trail in people if zs for row in trail]
    ordered = FixBatch.from_rows([(*r[:5], i + 1) for i, r in enumerate(rows)])
    expected = [a.id for a in reference_alerts(zone_book, ordered, config)]

    # The engine gets the fixes shuffled and split at random times into batches.
    rng = np.random.default_rng(seed)
    times = sorted({r[1] for r in rows})
    bounds = (
        sorted(rng.choice(times, size=min(cuts - 1, len(times)), replace=False).tolist())
        if cuts > 1
        else []
    )
    engine = GeofenceEngine(zone_book, config)
    now = datetime(2030, 1, 1, tzinfo=UTC)
    got = []
    edges = [-(2**62), *bounds, 2**62]
    for lo, hi in zip(edges, edges[1:], strict=False):
        part = [(*r[:5], i + 1) for i, r in enumerate(rows) if lo <= r[1] < hi]
        rng.shuffle(part)
        result = engine.evaluate(FixBatch.from_rows(part), now=now)
        got += [a.id for a in result.alerts if a.zone]

    assert sorted(got) == sorted(expected)
