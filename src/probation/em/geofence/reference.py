"""A plain per-fix reference for the zone rules: one fix at a time, one zone at a time, scalar
shapely and zoneinfo. It is slow on purpose and written separately from the engine, so the
property tests can check the vectorised engine against it and the benchmark can measure the
speed-up. Zone alerts only (approach, entry, exit); device events and watchdogs are the engine's.
"""

from __future__ import annotations

import math
from typing import TypedDict

from shapely.geometry import LineString, Point

from probation.em.geofence.alerts import Alert, AlertKind
from probation.em.geofence.config import EngineConfig
from probation.em.geofence.projection import transformer
from probation.em.geofence.state import ZoneState
from probation.em.geofence.times import from_ms
from probation.em.geofence.trail import FixBatch
from probation.em.geofence.zones import Zone, ZoneBook, ZoneKind


class _ZoneOfAlert(TypedDict):
    """The fields every zone alert of a fix shares."""

    person: str
    device: str
    zone: str
    zone_kind: str


def _version_zones(book: ZoneBook, person: str, t_ms: int) -> tuple[Zone, ...]:
    chosen: tuple[Zone, ...] = ()
    for version in book.versions.get(person, ()):
        if version.effective_from is None or version.effective_from <= from_ms(t_ms):
            chosen = version.zones
    return chosen


def _active(zone: Zone, t_ms: int) -> bool:
    at = from_ms(t_ms)
    if zone.active_from is not None and at < zone.active_from:
        return False
    if zone.active_to is not None and at >= zone.active_to:
        return False
    return zone.schedule.is_active(at)


def _at(prev: tuple[int, float, float] | None, t: int, fraction: float) -> int:
    """The time a fraction of the way along the segment from the previous fix, to the second."""
    assert prev is not None
    return prev[0] + int(math.floor((t - prev[0]) * fraction / 1000.0 + 0.5) * 1000)


def reference_alerts(
    book: ZoneBook, fixes: FixBatch, config: EngineConfig | None = None
) -> list[Alert]:
    cfg = config or EngineConfig()
    tr = transformer()
    by_person: dict[str, list[tuple[int, float, float, float, str]]] = {}
    for i in range(len(fixes)):
        device = fixes.devices[int(fixes.device_idx[i])]
        person = book.person_for(device)
        if person is None:
            continue
        acc = float(fixes.accuracy_m[i])
        by_person.setdefault(person, []).append(
            (
                int(fixes.t_ms[i]),
                float(fixes.lat[i]),
                float(fixes.lon[i]),
                -1.0 if math.isnan(acc) else acc,
                device,
            )
        )
    alerts: list[Alert] = []
    for person in sorted(by_person):
        states: dict[str, ZoneState] = {}
        prev: tuple[int, float, float] | None = None  # time, easting, northing
        last_t: int | None = None
        for t, lat, lon, acc, device in sorted(by_person[person]):
            if t == last_t:
                continue  # duplicate time: the first in (lat, lon, accuracy) order is evaluated
            last_t = t
            a = cfg.default_accuracy_m if acc < 0 else acc
            x, y = tr.transform(lon, lat)
            for zone in _version_zones(book, person, t):
                inclusion = zone.kind is ZoneKind.INCLUSION
                compliant = ZoneState.INSIDE if inclusion else ZoneState.OUTSIDE
                state = states.get(zone.zone_id, compliant)
                if not _active(zone, t):
                    states[zone.zone_id] = compliant
                    continue
                ap = (
                    0.0
                    if inclusion
                    else (zone.approach_m if zone.approach_m is not None else cfg.approach_m)
                )
                d = zone.grid.distance(Point(x, y))
                line = None
                if (
                    prev is not None
                    and t - prev[0] <= cfg.segment_max_gap_s * 1000
                    and _active(zone, prev[0])
                    and any(z is zone for z in _version_zones(book, person, prev[0]))
                ):
                    line = LineString([(prev[1], prev[2]), (x, y)])
                base: _ZoneOfAlert = {
                    "person": person,
                    "device": device,
                    "zone": zone.zone_id,
                    "zone_kind": zone.kind.value,
                }

                if inclusion:
                    crossing = None
                    if (
                        state is ZoneState.INSIDE
                        and line is not None
                        and d <= 0
                        and prev is not None
                        and zone.grid.distance(Point(prev[1], prev[2])) <= 0
                    ):
                        buffered = zone.grid.buffer(cfg.exit_margin_m)
                        if not buffered.covers(line):
                            crossing = line.difference(buffered)
                    if crossing is not None:
                        assert line is not None and prev is not None  # a crossing is of the segment
                        length = line.length or 1.0
                        out_at = min(
                            max(Point(prev[1], prev[2]).distance(crossing) / length, 0.0), 1.0
                        )
                        back_at = min(max(1.0 - Point(x, y).distance(crossing) / length, 0.0), 1.0)
                        alerts.append(
                            Alert(
                                kind=AlertKind.EXIT,
                                time_ms=_at(prev, t, out_at),
                                breach=True,
                                inferred=True,
                                **base,
                            )
                        )
                        if d <= 0:
                            alerts.append(
                                Alert(
                                    kind=AlertKind.ENTRY,
                                    time_ms=_at(prev, t, back_at),
                                    inferred=True,
                                    **base,
                                )
                            )
                            state = ZoneState.INSIDE
                        else:
                            state = ZoneState.OUTSIDE
                    elif state is ZoneState.INSIDE:
                        if d > a + cfg.exit_margin_m:
                            alerts.append(
                                Alert(kind=AlertKind.EXIT, time_ms=t, breach=True, **base)
                            )
                            state = ZoneState.OUTSIDE
                    elif d <= 0:
                        alerts.append(Alert(kind=AlertKind.ENTRY, time_ms=t, **base))
                        state = ZoneState.INSIDE
                else:
                    far = d > ap + a + cfg.exit_margin_m
                    if state is ZoneState.INSIDE:
                        if d > a + cfg.exit_margin_m:
                            alerts.append(Alert(kind=AlertKind.EXIT, time_ms=t, **base))
                            state = ZoneState.OUTSIDE if far else ZoneState.APPROACHING
                    elif d <= 0:
                        alerts.append(Alert(kind=AlertKind.ENTRY, time_ms=t, breach=True, **base))
                        state = ZoneState.INSIDE
                    elif line is not None and line.intersects(zone.grid):
                        part = line.intersection(zone.grid)
                        assert prev is not None  # a segment starts at the previous fix
                        length = line.length or 1.0
                        in_at = min(max(Point(prev[1], prev[2]).distance(part) / length, 0.0), 1.0)
                        out_at = min(max(1.0 - Point(x, y).distance(part) / length, 0.0), 1.0)
                        alerts.append(
                            Alert(
                                kind=AlertKind.ENTRY,
                                time_ms=_at(prev, t, in_at),
                                breach=True,
                                inferred=True,
                                **base,
                            )
                        )
                        if d > a + cfg.exit_margin_m:
                            alerts.append(
                                Alert(
                                    kind=AlertKind.EXIT,
                                    time_ms=_at(prev, t, out_at),
                                    inferred=True,
                                    **base,
                                )
                            )
                            state = ZoneState.OUTSIDE if far else ZoneState.APPROACHING
                        else:
                            state = ZoneState.INSIDE
                    elif state is ZoneState.OUTSIDE:
                        if d <= ap:
                            alerts.append(Alert(kind=AlertKind.APPROACH, time_ms=t, **base))
                            state = ZoneState.APPROACHING
                    elif far:
                        state = ZoneState.OUTSIDE
                states[zone.zone_id] = state
            prev = (t, x, y)
    return sorted(alerts, key=lambda al: al.sort_key)
