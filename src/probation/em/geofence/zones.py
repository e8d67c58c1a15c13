"""Zones of an electronic monitoring order: GeoJSON polygons (holes allowed) in WGS84, held with
their British National Grid projection, kind, approach distance, active period and weekly
schedule; versioned when the order is varied.

A variation is a new `OrderVersion` of the person's zones with the time it takes effect; the
version in force at a fix's time is the one evaluated, and a zone keeps its state across versions
when its `zone_id` is unchanged (a variation that moves a boundary does not re-raise an entry).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from probation.domain.errors import DomainError, InvalidValue
from probation.em.geofence.projection import BNG_BOUNDS, transformer
from probation.em.geofence.rejections import Rejection
from probation.em.geofence.schedule import Schedule, parse_schedule
from probation.em.geofence.times import parse_time


class ZoneKind(StrEnum):
    EXCLUSION = "exclusion"  # breach when inside while active
    INCLUSION = "inclusion"  # breach when outside while active (e.g. a curfew address)


@dataclass(frozen=True, kw_only=True)
class Zone:
    zone_id: str
    person: str
    kind: ZoneKind
    area: BaseGeometry  # Polygon or MultiPolygon, WGS84 (longitude, latitude)
    grid: BaseGeometry  # the same in British National Grid metres
    approach_m: float | None = None  # None: the engine's default approach distance
    schedule: Schedule = field(default_factory=Schedule)
    active_from: datetime | None = None  # inclusive
    active_to: datetime | None = None  # exclusive
    name: str = ""


@dataclass(frozen=True, kw_only=True)
class OrderVersion:
    """The person's zones from `effective_from` (None: from the start) until the next version."""

    version: int
    effective_from: datetime | None
    zones: tuple[Zone, ...]


@dataclass(frozen=True, kw_only=True)
class ZoneBook:
    """Every tagged person's order versions, and which device each person wears."""

    versions: Mapping[str, tuple[OrderVersion, ...]] = field(default_factory=dict)
    devices: Mapping[str, str] = field(default_factory=dict)  # device -> person

    @property
    def persons(self) -> list[str]:
        return sorted(set(self.versions) | set(self.devices.values()))

    def person_for(self, device: str) -> str | None:
        return self.devices.get(device)

    def vary(self, person: str, zones: tuple[Zone, ...], effective_from: datetime) -> ZoneBook:
        """A new version of the person's zones, in force from `effective_from`."""
        current = self.versions.get(person, ())
        if (
            current
            and current[-1].effective_from is not None
            and effective_from <= current[-1].effective_from
        ):
            raise InvalidValue(
                f"variation from {effective_from.isoformat()} does not follow version "
                f"{current[-1].version} from {current[-1].effective_from.isoformat()}",
                field="effective_from",
                value=effective_from.isoformat(),
                rule="a variation takes effect after the version it replaces",
            )
        nxt = OrderVersion(
            version=(current[-1].version + 1) if current else 1,
            effective_from=effective_from,
            zones=zones,
        )
        return ZoneBook(versions={**self.versions, person: (*current, nxt)}, devices=self.devices)


def project_geometry(area: BaseGeometry) -> BaseGeometry:
    tr = transformer()

    def fn(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(area, fn)


def make_zone(
    *,
    zone_id: str | None,
    person: str | None,
    kind: str | None,
    geometry: Mapping[str, Any] | BaseGeometry,
    approach_m: Any = None,
    schedule: Any = None,
    active_from: Any = None,
    active_to: Any = None,
    name: str = "",
) -> Zone:
    """A validated zone; raises InvalidValue naming the value and the rule."""
    if not zone_id:
        raise InvalidValue(
            "zone has no zone_id",
            field="zone_id",
            value=zone_id,
            rule="every zone has an identifier",
        )
    if not person:
        raise InvalidValue(
            f"zone {zone_id!r} names no device or person",
            field="device",
            value=None,
            rule="a zone belongs to a tagged person",
        )
    try:
        zone_kind = ZoneKind(str(kind).lower())
    except ValueError:
        raise InvalidValue(
            f"zone kind {kind!r} is neither exclusion nor inclusion",
            field="kind",
            value=str(kind),
            rule="zone kinds are exclusion and inclusion",
        ) from None
    area = _geometry(geometry, zone_id)
    grid = project_geometry(area)
    if not shapely.is_valid(grid):
        raise InvalidValue(
            f"zone {zone_id!r} polygon is not valid once projected: "
            f"{shapely.is_valid_reason(grid)}",
            field="geometry",
            value=zone_id,
            rule="a zone is a valid polygon",
        )
    approach = None
    if approach_m is not None:
        if (
            isinstance(approach_m, bool)
            or not isinstance(approach_m, int | float)
            or not math.isfinite(approach_m)
            or approach_m < 0
        ):
            raise InvalidValue(
                f"zone {zone_id!r} approach_m {approach_m!r} is not a distance",
                field="approach_m",
                value=str(approach_m),
                rule="an approach distance is a number of metres, 0 or more",
            )
        approach = float(approach_m)
    start = parse_time(active_from, "active_from") if active_from is not None else None
    end = parse_time(active_to, "active_to") if active_to is not None else None
    if start is not None and end is not None and end <= start:
        raise InvalidValue(
            f"zone {zone_id!r} is active to {end.isoformat()}, not after {start.isoformat()}",
            field="active_to",
            value=end.isoformat(),
            rule="an active period ends after it starts",
        )
    return Zone(
        zone_id=str(zone_id),
        person=str(person),
        kind=zone_kind,
        area=area,
        grid=grid,
        approach_m=approach,
        schedule=parse_schedule(schedule),
        active_from=start,
        active_to=end,
        name=name,
    )


def _geometry(raw: Mapping[str, Any] | BaseGeometry, zone_id: str) -> BaseGeometry:
    if isinstance(raw, BaseGeometry):
        area = raw
    else:
        kind = raw.get("type") if isinstance(raw, Mapping) else None
        if kind not in ("Polygon", "MultiPolygon"):
            raise InvalidValue(
                f"zone {zone_id!r} geometry {kind!r} is not a Polygon or MultiPolygon",
                field="geometry",
                value=str(kind),
                rule="a zone is a GeoJSON Polygon or MultiPolygon",
            )
        try:
            area = shape(raw)  # type: ignore[arg-type]  # shapely reads any mapping; its stubs say dict
        except Exception as exc:  # shapely raises several types on malformed rings
            raise InvalidValue(
                f"zone {zone_id!r} geometry is malformed: {exc}",
                field="geometry",
                value=zone_id,
                rule="GeoJSON coordinates are [lon, lat] rings",
            ) from None
    if area.geom_type not in ("Polygon", "MultiPolygon") or area.is_empty:
        raise InvalidValue(
            f"zone {zone_id!r} geometry is empty or not a polygon",
            field="geometry",
            value=area.geom_type,
            rule="a zone is a non-empty polygon",
        )
    coords = shapely.get_coordinates(area)
    west, south, east, north = BNG_BOUNDS
    bad = (
        ~np.isfinite(coords).all(axis=1)
        | (coords[:, 0] < west)
        | (coords[:, 0] > east)
        | (coords[:, 1] < south)
        | (coords[:, 1] > north)
    )
    if bad.any():
        lon, lat = coords[np.argmax(bad)]
        raise InvalidValue(
            f"zone {zone_id!r} vertex lon {lon}, lat {lat} is outside the area British National "
            f"Grid covers (lat {south}..{north}, lon {west}..{east}); GeoJSON is [lon, lat]",
            field="geometry",
            value=f"{lon},{lat}",
            rule="zone vertices are WGS84 [lon, lat]",
        )
    if not shapely.is_valid(area):
        raise InvalidValue(
            f"zone {zone_id!r} polygon is not valid: {shapely.is_valid_reason(area)}",
            field="geometry",
            value=zone_id,
            rule="a zone is a valid polygon (no self-intersection)",
        )
    return area


def parse_zones_geojson(
    data: Any, *, default_person_from_device: bool = True
) -> tuple[ZoneBook, list[Rejection]]:
    """Zones from a GeoJSON FeatureCollection. Each feature carries `device` and/or `person`,
    `zone_id`, `kind` and optional `approach_m`, `schedule`, `active_from`, `active_to`, `name`,
    `version` and `effective_from` (a variation). Bad features are returned as rejections with
    their 1-based feature number; good ones are kept."""
    if (
        not isinstance(data, Mapping)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise InvalidValue(
            "zones file is not a GeoJSON FeatureCollection",
            field="type",
            value=str(data.get("type") if isinstance(data, Mapping) else type(data)),
            rule="zones are a GeoJSON FeatureCollection",
        )
    rejections: list[Rejection] = []
    devices: dict[str, str] = {}
    grouped: dict[str, dict[int, list[tuple[datetime | None, Zone]]]] = {}
    for number, feature in enumerate(data["features"], start=1):
        try:
            if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
                raise InvalidValue(
                    "is not a GeoJSON Feature", field="type", value=None, rule="a zone is a Feature"
                )
            props = feature.get("properties") or {}
            device = props.get("device")
            person = props.get("person") or (device if default_person_from_device else None)
            zone = make_zone(
                zone_id=props.get("zone_id"),
                person=person,
                kind=props.get("kind"),
                geometry=feature.get("geometry") or {},
                approach_m=props.get("approach_m"),
                schedule=props.get("schedule"),
                active_from=props.get("active_from"),
                active_to=props.get("active_to"),
                name=str(props.get("name") or ""),
            )
            version = props.get("version", 1)
            if isinstance(version, bool) or not isinstance(version, int) or version < 1:
                raise InvalidValue(
                    f"version {version!r} is not a positive whole number",
                    field="version",
                    value=str(version),
                    rule="versions count from 1",
                )
            effective = props.get("effective_from")
            effective_at = parse_time(effective, "effective_from") if effective else None
            if device is not None:
                if devices.get(str(device), zone.person) != zone.person:
                    raise InvalidValue(
                        f"device {device!r} is already worn by {devices[str(device)]!r}",
                        field="device",
                        value=str(device),
                        rule="a device is worn by one person",
                    )
                devices[str(device)] = zone.person
            grouped.setdefault(zone.person, {}).setdefault(version, []).append((effective_at, zone))
        except DomainError as exc:
            zid = (
                feature.get("properties", {}).get("zone_id")
                if isinstance(feature, Mapping)
                else None
            )
            label = f"feature {number}" + (f" (zone {zid!r})" if zid else "")
            rejections.append(Rejection(line=number, reason=f"{label}: {exc.message}"))
    versions: dict[str, tuple[OrderVersion, ...]] = {}
    for person, by_version in grouped.items():
        ordered = []
        for number in sorted(by_version):
            starts = {e for e, _ in by_version[number] if e is not None}
            if len(starts) > 1:
                rejections.append(
                    Rejection(
                        line=0,
                        reason=f"person {person!r} version {number} "
                        "has more than one effective_from",
                    )
                )
            ordered.append(
                OrderVersion(
                    version=number,
                    effective_from=min(starts) if starts else None,
                    zones=tuple(z for _, z in by_version[number]),
                )
            )
        versions[person] = tuple(ordered)
    # A person wearing a device with the person's own id needs no device property.
    for person in versions:
        devices.setdefault(person, person)
    return ZoneBook(versions=versions, devices=devices), rejections
