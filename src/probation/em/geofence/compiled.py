"""Zones compiled to columns for the vectorised engine.

One row per zone per order version, rows grouped by person (`row_start`, `row_count`). A `slot` is
one (person, zone_id): the unit that holds state, shared by the versions of the same zone. Each
row has its version's validity (outside it the row is ignored), its own active period and
schedule (outside them the zone is inactive: state returns to compliant, silently), a
prepared BNG geometry, a geometry buffered by the exit margin (for inclusion segments), and a
WGS84 bounding box expanded by the approach distance and margins so the engine can discard far
fixes before projecting them."""

# A row's scalar (inclusion, approach, validity) and the column built from the rows share a name.
# mypy: allow-redefinition

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from probation.domain.errors import InvalidValue
from probation.em.geofence.config import EngineConfig
from probation.em.geofence.schedule import MINUTES_PER_WEEK, Schedule
from probation.em.geofence.times import to_ms
from probation.em.geofence.zones import ZoneBook, ZoneKind

MAX_MS = 2**62
MIN_MS = -(2**62)
# Degrees of latitude and of longitude (at the north edge of the grid, 61.1 N) per metre, taken
# low so that boxes expanded by a distance in metres are never too small.
M_PER_DEG_LAT = 110_000.0
M_PER_DEG_LON_MIN = 111_000.0 * math.cos(math.radians(61.1))
PAD_FACTOR = 1.02  # grid scale factor and degree-length slack, with room to spare
PAD_CONST_M = 20.0


@dataclass(frozen=True, kw_only=True, eq=False)
class CompiledZones:
    persons: tuple[str, ...]  # sorted; a person's index is its position
    person_index: dict[str, int]
    device_person: dict[str, int]
    row_start: np.ndarray  # per person
    row_count: np.ndarray  # per person
    row_slot: np.ndarray
    row_inclusion: np.ndarray  # bool
    row_approach: np.ndarray  # metres; 0 for inclusion zones (no approach alerts)
    row_ver_from: np.ndarray
    row_ver_to: np.ndarray
    row_act_from: np.ndarray
    row_act_to: np.ndarray
    row_sched: np.ndarray  # index into sched_masks
    sched_masks: np.ndarray  # (n schedules, minutes of the week) bool
    row_box: tuple[np.ndarray, ...]  # expanded min lon, min lat, max lon, max lat, per row
    person_box: tuple[np.ndarray, ...]  # the union of the person's row boxes
    person_simple: np.ndarray  # only exclusion zones, always active, one version
    row_geom: np.ndarray  # prepared BNG polygons
    row_buffered: np.ndarray  # BNG polygons buffered by the exit margin (inclusion segments)
    row_boundary: np.ndarray  # BNG boundaries of inclusion zones (depth of a fix inside)
    slot_person: np.ndarray
    slot_zone: tuple[str, ...]
    slot_inclusion: np.ndarray
    versioned: bool  # some row has a bounded version validity
    scheduled: bool  # some row has a schedule or active period

    @property
    def n_slots(self) -> int:
        return len(self.slot_zone)


def compile_zones(book: ZoneBook, config: EngineConfig) -> CompiledZones:
    persons = tuple(book.persons)
    person_index = {p: i for i, p in enumerate(persons)}
    schedules: dict[Schedule, int] = {Schedule(): 0}
    rows: list[dict[str, object]] = []
    slots: dict[tuple[str, str], int] = {}
    slot_incl: list[bool] = []
    for person in persons:
        versions = book.versions.get(person, ())
        for i, version in enumerate(versions):
            nxt = versions[i + 1].effective_from if i + 1 < len(versions) else None
            ver_from = to_ms(version.effective_from) if version.effective_from else MIN_MS
            ver_to = to_ms(nxt) if nxt else MAX_MS
            if ver_to <= ver_from:
                raise InvalidValue(
                    f"person {person!r} version {versions[i + 1].version} takes "
                    f"effect before version {version.version}",
                    field="effective_from",
                    value=str(nxt),
                    rule="each variation takes effect after the one before",
                )
            seen: set[str] = set()
            for zone in version.zones:
                if zone.zone_id in seen:
                    raise InvalidValue(
                        f"person {person!r} has zone {zone.zone_id!r} twice in "
                        f"version {version.version}",
                        field="zone_id",
                        value=zone.zone_id,
                        rule="zone ids are unique in an order",
                    )
                seen.add(zone.zone_id)
                key = (person, zone.zone_id)
                inclusion = zone.kind is ZoneKind.INCLUSION
                if key not in slots:
                    slots[key] = len(slots)
                    slot_incl.append(inclusion)
                elif slot_incl[slots[key]] != inclusion:
                    raise InvalidValue(
                        f"zone {zone.zone_id!r} of {person!r} changes kind between versions",
                        field="kind",
                        value=zone.kind.value,
                        rule="a zone keeps its kind; vary with a new zone_id",
                    )
                approach = (
                    0.0
                    if inclusion
                    else (zone.approach_m if zone.approach_m is not None else config.approach_m)
                )
                rows.append(
                    {
                        "person": person_index[person],
                        "slot": slots[key],
                        "inclusion": inclusion,
                        "approach": approach,
                        "ver_from": ver_from,
                        "ver_to": ver_to,
                        "act_from": to_ms(zone.active_from) if zone.active_from else MIN_MS,
                        "act_to": to_ms(zone.active_to) if zone.active_to else MAX_MS,
                        "sched": schedules.setdefault(zone.schedule, len(schedules)),
                        "bounds": zone.area.bounds,
                        "geom": zone.grid,
                    }
                )
    n = len(rows)
    row_person = np.array([r["person"] for r in rows], dtype=np.int64)
    count = np.bincount(row_person, minlength=len(persons)).astype(np.int64)
    start = np.cumsum(count) - count
    approach = np.array([r["approach"] for r in rows], dtype=float)
    pad_m = (approach + config.exit_margin_m) * PAD_FACTOR + PAD_CONST_M
    bounds = np.array([r["bounds"] for r in rows], dtype=float).reshape(n, 4)
    box = (
        np.column_stack(
            [
                bounds[:, 0] - pad_m / M_PER_DEG_LON_MIN,
                bounds[:, 1] - pad_m / M_PER_DEG_LAT,
                bounds[:, 2] + pad_m / M_PER_DEG_LON_MIN,
                bounds[:, 3] + pad_m / M_PER_DEG_LAT,
            ]
        )
        if n
        else np.zeros((0, 4))
    )
    simple = np.ones(len(persons), dtype=bool)
    if n:
        unconditional = np.array(
            [
                not r["inclusion"]
                and r["sched"] == 0
                and r["act_from"] == MIN_MS
                and r["act_to"] == MAX_MS
                and r["ver_from"] == MIN_MS
                and r["ver_to"] == MAX_MS
                for r in rows
            ]
        )
        simple = np.bincount(row_person, weights=~unconditional, minlength=len(persons)) == 0
    person_box = (
        np.full(len(persons), np.inf),
        np.full(len(persons), np.inf),
        np.full(len(persons), -np.inf),
        np.full(len(persons), -np.inf),
    )
    if n:
        np.minimum.at(person_box[0], row_person, box[:, 0])
        np.minimum.at(person_box[1], row_person, box[:, 1])
        np.maximum.at(person_box[2], row_person, box[:, 2])
        np.maximum.at(person_box[3], row_person, box[:, 3])
    geom = np.array([r["geom"] for r in rows], dtype=object)
    shapely.prepare(geom)
    inclusion = np.array([r["inclusion"] for r in rows], dtype=bool)
    buffered = np.empty(n, dtype=object)
    boundary = np.empty(n, dtype=object)
    if inclusion.any():
        buffered[inclusion] = shapely.buffer(geom[inclusion], config.exit_margin_m)
        shapely.prepare(buffered[inclusion])
        boundary[inclusion] = shapely.boundary(geom[inclusion])
    masks = np.zeros((len(schedules), MINUTES_PER_WEEK), dtype=bool)
    for schedule, index in schedules.items():
        masks[index] = schedule.week_mask()
    ver_from = np.array([r["ver_from"] for r in rows], dtype=np.int64)
    ver_to = np.array([r["ver_to"] for r in rows], dtype=np.int64)
    act_from = np.array([r["act_from"] for r in rows], dtype=np.int64)
    act_to = np.array([r["act_to"] for r in rows], dtype=np.int64)
    sched = np.array([r["sched"] for r in rows], dtype=np.int64)
    device_person = {d: person_index[p] for d, p in book.devices.items() if p in person_index}
    return CompiledZones(
        persons=persons,
        person_index=person_index,
        device_person=device_person,
        row_start=start,
        row_count=count,
        row_slot=np.array([r["slot"] for r in rows], dtype=np.int64),
        row_inclusion=inclusion,
        row_approach=approach,
        row_ver_from=ver_from,
        row_ver_to=ver_to,
        row_act_from=act_from,
        row_act_to=act_to,
        row_sched=sched,
        sched_masks=masks,
        row_box=tuple(np.ascontiguousarray(box[:, i]) for i in range(4)),
        person_box=person_box,
        person_simple=simple,
        row_geom=geom,
        row_buffered=buffered,
        row_boundary=boundary,
        slot_person=np.array([person_index[p] for p, _ in slots], dtype=np.int64),
        slot_zone=tuple(z for _, z in slots),
        slot_inclusion=np.array(slot_incl, dtype=bool),
        versioned=bool(((ver_from != MIN_MS) | (ver_to != MAX_MS)).any()),
        scheduled=bool(((act_from != MIN_MS) | (act_to != MAX_MS) | (sched != 0)).any()),
    )
