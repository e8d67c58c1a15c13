"""Builders for geofence tests: zones and fixes placed in British National Grid metres (so the
expected distances are plain arithmetic) and converted to WGS84 as real input would be."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyproj
from shapely.geometry import Polygon

from probation.em.geofence import FixBatch, ZoneBook, make_zone
from probation.em.geofence.times import to_ms
from probation.em.geofence.zones import OrderVersion, Zone

# Near Trafalgar Square, London.
CX, CY = 530_000.0, 180_400.0
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday, GMT
_INVERSE = pyproj.Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = _INVERSE.transform(x, y)
    return float(lon), float(lat)


def ring(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [lonlat(x, y) for x, y in points]


def square(half: float = 100.0, cx: float = CX, cy: float = CY) -> list[tuple[float, float]]:
    return [
        (cx - half, cy - half),
        (cx + half, cy - half),
        (cx + half, cy + half),
        (cx - half, cy + half),
    ]


def zone(
    zone_id: str = "Z1",
    person: str = "P1",
    kind: str = "exclusion",
    half: float = 100.0,
    hole: float | None = None,
    **kw: object,
) -> Zone:
    holes = [ring(square(hole))] if hole else []
    return make_zone(
        zone_id=zone_id, person=person, kind=kind, geometry=Polygon(ring(square(half)), holes), **kw
    )  # type: ignore[arg-type]


def book(*zones: Zone, device: str = "D1") -> ZoneBook:
    persons: dict[str, list[Zone]] = {}
    for z in zones:
        persons.setdefault(z.person, []).append(z)
    versions = {
        p: (OrderVersion(version=1, effective_from=None, zones=tuple(zs)),)
        for p, zs in persons.items()
    }
    devices = {device: zones[0].person} if zones else {}
    return ZoneBook(versions=versions, devices=devices)


def fixes(
    points: list[tuple[float, float]] | list[tuple[float, float, float | None]],
    *,
    device: str = "D1",
    start: datetime = T0,
    every_s: float = 60.0,
    times: list[datetime] | None = None,
) -> FixBatch:
    """Fixes at BNG (x, y[, accuracy]) points, one every `every_s` seconds from `start`."""
    rows = []
    for i, point in enumerate(points):
        x, y = point[0], point[1]
        acc = point[2] if len(point) > 2 else None  # type: ignore[misc]
        lon, lat = lonlat(x, y)
        at = times[i] if times else start + timedelta(seconds=every_s * i)
        rows.append((device, to_ms(at), lat, lon, acc, i + 1))
    return FixBatch.from_rows(rows)
