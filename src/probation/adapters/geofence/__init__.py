"""Geofencing for electronic monitoring: zones, schedules, the vectorised engine, trails.

Use: `book, rejected = parse_zones_geojson(data)`, `engine = GeofenceEngine(book, EngineConfig())`,
then `engine.evaluate(fix_batch, events, now=...)` per batch and `engine.tick(now)` for watchdogs.
See docs/GEOFENCE.md."""

from probation.adapters.geofence.alerts import Alert, AlertKind
from probation.adapters.geofence.config import EngineConfig
from probation.adapters.geofence.engine import BatchResult, GeofenceEngine
from probation.adapters.geofence.rejections import Rejection
from probation.adapters.geofence.state import PersonState, ZoneState
from probation.adapters.geofence.trail import DeviceEvent, FixBatch, Trail, parse_trail
from probation.adapters.geofence.zones import (
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
