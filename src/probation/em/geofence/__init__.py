"""Geofencing for electronic monitoring: zones, schedules, the vectorised engine, trails.

Use: `book, rejected = parse_zones_geojson(data)`, `engine = GeofenceEngine(book, EngineConfig())`,
then `engine.evaluate(fix_batch, events, now=...)` per batch and `engine.tick(now)` for watchdogs.
See docs/GEOFENCE.md."""

from probation.em.geofence.alerts import Alert, AlertKind
from probation.em.geofence.config import EngineConfig
from probation.em.geofence.engine import BatchResult, GeofenceEngine
from probation.em.geofence.rejections import Rejection
from probation.em.geofence.state import PersonState, ZoneState
from probation.em.geofence.trail import DeviceEvent, FixBatch, Trail, parse_trail
from probation.em.geofence.zones import (
    OrderVersion,
    Zone,
    ZoneBook,
    ZoneKind,
    make_zone,
    parse_zones_geojson,
)

__all__ = [
    "Alert",
    "AlertKind",
    "BatchResult",
    "DeviceEvent",
    "EngineConfig",
    "FixBatch",
    "GeofenceEngine",
    "OrderVersion",
    "PersonState",
    "Rejection",
    "Trail",
    "Zone",
    "ZoneBook",
    "ZoneKind",
    "ZoneState",
    "make_zone",
    "parse_trail",
    "parse_zones_geojson",
]
