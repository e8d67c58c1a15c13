"""Geofence throughput: the vectorised engine against a per-fix loop over shapely, same run.

    .venv/bin/python -m bench.geofence --people 25000

Synthetic England-wide caseload: each tagged person has 1-5 zones (exclusion zones of 50-600 m
radius, some with a hole, 0.3-8 km from home; one person in ten also has a curfew inclusion zone
at home active 19:00-07:00), and a trail of fixes one a minute (a random walk from home, accuracy
5-30 m). The engine runs single-threaded and is timed in process CPU time, so fixes/s is per core
even when other work shares the machine. Figures are printed; the ones
in docs/GEOFENCE.md came from this command.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import time
from datetime import UTC, datetime, timedelta

import numpy as np
import pyproj
import shapely
from rich.console import Console
from rich.progress import Progress

from probation.em.geofence import EngineConfig, FixBatch, GeofenceEngine, ZoneBook, make_zone
from probation.em.geofence.reference import reference_alerts
from probation.em.geofence.times import to_ms
from probation.em.geofence.zones import OrderVersion, Zone

START = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # a Monday evening: curfews switch on at 19:00
_TO_WGS84 = pyproj.Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def _polygon(
    cx: float, cy: float, radius: float, hole: bool, rng: np.random.Generator
) -> shapely.Polygon:
    n = int(rng.integers(8, 24))
    angles = np.sort(rng.uniform(0, 2 * math.pi, n))
    r = radius * rng.uniform(0.7, 1.0, n)
    xs, ys = cx + r * np.cos(angles), cy + r * np.sin(angles)
    lon, lat = _TO_WGS84.transform(xs, ys)
    shell = list(zip(lon, lat, strict=True))
    holes = []
    if hole:
        hx = cx + radius * 0.3 * np.cos(np.linspace(0, 2 * math.pi, 9)[:-1])
        hy = cy + radius * 0.3 * np.sin(np.linspace(0, 2 * math.pi, 9)[:-1])
        hlon, hlat = _TO_WGS84.transform(hx, hy)
        holes = [list(zip(hlon, hlat, strict=True))]
    return (
        shapely.make_valid(shapely.Polygon(shell, holes))
        if not holes
        else shapely.Polygon(shell, holes)
    )


def build_caseload(people: int, seed: int) -> tuple[ZoneBook, np.ndarray, np.ndarray]:
    """Zone book and each person's home in BNG metres."""
    rng = np.random.default_rng(seed)
    home_x = rng.uniform(360_000, 560_000, people)  # England south of the Pennines
    home_y = rng.uniform(150_000, 400_000, people)
    versions: dict[str, tuple[OrderVersion, ...]] = {}
    devices: dict[str, str] = {}
    for i in range(people):
        person = f"P{i:06d}"
        zones: list[Zone] = []
        n = int(rng.integers(1, 6))
        curfew = rng.random() < 0.1
        for k in range(n - (1 if curfew else 0)):
            bearing, dist = rng.uniform(0, 2 * math.pi), rng.uniform(300, 8000)
            geom = _polygon(
                home_x[i] + dist * math.cos(bearing),
                home_y[i] + dist * math.sin(bearing),
                rng.uniform(50, 600),
                rng.random() < 0.2,
                rng,
            )
            if geom.geom_type not in ("Polygon", "MultiPolygon") or not geom.is_valid:
                geom = shapely.convex_hull(geom)
            zones.append(make_zone(zone_id=f"X{k}", person=person, kind="exclusion", geometry=geom))
        if curfew:
            zones.append(
                make_zone(
                    zone_id="HOME",
                    person=person,
                    kind="inclusion",
                    geometry=_polygon(home_x[i], home_y[i], 40, False, rng),
                    schedule="19:00-07:00",
                )
            )
        versions[person] = (OrderVersion(version=1, effective_from=None, zones=tuple(zones)),)
        devices[f"D{i:06d}"] = person
    return ZoneBook(versions=versions, devices=devices), home_x, home_y


def build_trail(
    home_x: np.ndarray, home_y: np.ndarray, minutes: int, seed: int, start: datetime = START
) -> FixBatch:
    """One fix a minute per person for `minutes` minutes, ordered by time (as received)."""
    rng = np.random.default_rng(seed + 1)
    people = len(home_x)
    step = rng.normal(0, 60, (minutes, people, 2))  # metres a minute
    walk = np.cumsum(step, axis=0)
    x = (home_x[None, :] + walk[..., 0]).ravel()
    y = (home_y[None, :] + walk[..., 1]).ravel()
    lon, lat = _TO_WGS84.transform(x, y)
    t0 = to_ms(start)
    t = (
        t0 + (np.arange(minutes)[:, None] * 60_000 + rng.integers(0, 60_000, (minutes, people)))
    ).ravel()
    device_idx = np.tile(np.arange(people, dtype=np.int32), minutes)
    return FixBatch(
        devices=tuple(f"D{i:06d}" for i in range(people)),
        device_idx=device_idx,
        t_ms=t.astype(np.int64),
        lon=np.asarray(lon),
        lat=np.asarray(lat),
        accuracy_m=rng.uniform(5, 30, len(t)),
        line=np.arange(1, len(t) + 1),
    )


def _rss() -> int:
    """Resident memory of this process in bytes (Linux), so GEOS geometries count too."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=25_000)
    parser.add_argument("--minutes", type=int, default=40, help="minutes of fixes (one a minute)")
    parser.add_argument("--batch-minutes", type=int, default=10, help="minutes of fixes per batch")
    parser.add_argument("--reference-people", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--start",
        default=START.isoformat(),
        help="first fix time (ISO 8601 with offset); the default is before the 19:00 curfews, "
        "e.g. 2026-03-02T21:00:00+00:00 runs with them active",
    )
    args, _ = parser.parse_known_args()
    console = Console()
    config = EngineConfig()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("zones", total=4)
        started = time.perf_counter()
        rss0 = _rss()
        book, hx, hy = build_caseload(args.people, args.seed)
        rss1 = _rss()
        engine = GeofenceEngine(book, config)
        rss2 = _rss()
        zones_bytes, engine_bytes = rss1 - rss0, rss2 - rss1
        build_s = time.perf_counter() - started
        progress.advance(task)
        progress.update(task, description="trail")
        start = datetime.fromisoformat(args.start)
        trail = build_trail(hx, hy, args.minutes, args.seed, start)
        progress.advance(task)
        progress.update(task, description="engine")
        per_batch = args.people * args.batch_minutes
        n = len(trail)
        # Setup leaves ~0.5 M new Python objects (zone book, compiled zones); without this the
        # first batch pays for the one full cyclic collection they trigger (0.3-0.4 s, a third
        # of the engine's time), which is a cost of loading an order, not of evaluating fixes.
        gc.collect()
        now = start + timedelta(minutes=args.minutes + 1)
        alerts = 0
        elapsed = 0.0
        for s in range(0, n, per_batch):
            batch = trail.take(np.arange(s, min(n, s + per_batch)))
            t = time.process_time()
            result = engine.evaluate(batch, now=now)
            elapsed += time.process_time() - t
            alerts += len(result.alerts)
        progress.advance(task)
        progress.update(task, description="reference")
        sample = np.flatnonzero(trail.device_idx < args.reference_people)
        small = trail.take(sample)
        gc.collect()  # the same start for the reference
        t = time.process_time()
        ref = reference_alerts(book, small, config)
        ref_elapsed = time.process_time() - t
        check = GeofenceEngine(book, config).evaluate(small, now=now)
        progress.advance(task)
    rate = n / elapsed
    ref_rate = len(small) / ref_elapsed
    agree = [a.id for a in check.alerts] == [a.id for a in ref]
    console.print(
        f"[bold]geofence[/bold]: {args.people:,} people, {engine.zone_count:,} zones, "
        f"{n:,} fixes in batches of {per_batch:,}"
    )
    console.print(
        f"  vectorised engine : {rate:,.0f} fixes/s/core ({elapsed:.2f} s, {alerts:,} alerts)"
    )
    console.print(
        f"  per-fix reference : {ref_rate:,.0f} fixes/s/core ({len(small):,} fixes of "
        f"{args.reference_people} people, {ref_elapsed:.2f} s)"
    )
    console.print(
        f"  ratio             : {rate / ref_rate:,.0f}x   (alerts agree on the sample: {agree})"
    )
    console.print(
        f"  memory per person : engine {engine_bytes / args.people:,.0f} B resident "
        f"(arrays and prepared geometries; {engine.memory_bytes() / args.people:,.0f} B "
        f"counted), zone book as loaded {zones_bytes / args.people:,.0f} B"
    )
    console.print(f"  (zones built and compiled in {build_s:.1f} s)")


if __name__ == "__main__":
    main()
