"""Per-person engine state: a small value that serialises to JSON, so a crashed engine can be
restored from its last snapshot (or rebuilt by replaying stored fixes) and raise the same alerts.

Zone states: outside, approaching (within the approach distance of an exclusion zone), inside.
A zone with no entry is in its compliant state: outside an exclusion zone, inside an inclusion
zone (so the first fix of an active period found outside an inclusion zone raises an exit)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

NONE_MS = -(2**62)  # "never": before any real time, and safe to subtract from


class ZoneState(IntEnum):
    OUTSIDE = 0
    APPROACHING = 1
    INSIDE = 2


@dataclass(frozen=True, kw_only=True)
class PersonState:
    person: str
    last_fix_ms: int | None = None
    last_lon: float | None = None
    last_lat: float | None = None
    last_message_ms: int | None = None  # fix or device event
    last_event_ms: int | None = None
    no_signal: bool = False  # a no_signal alert is open
    no_communication: bool = False  # a no_communication alert is open
    zones: Mapping[str, ZoneState] = field(default_factory=dict)  # zone_id -> state

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "last_fix_ms": self.last_fix_ms,
            "last_lon": self.last_lon,
            "last_lat": self.last_lat,
            "last_message_ms": self.last_message_ms,
            "last_event_ms": self.last_event_ms,
            "no_signal": self.no_signal,
            "no_communication": self.no_communication,
            "zones": {zone: state.name.lower() for zone, state in sorted(self.zones.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PersonState:
        return cls(
            person=str(data["person"]),
            last_fix_ms=data.get("last_fix_ms"),
            last_lon=data.get("last_lon"),
            last_lat=data.get("last_lat"),
            last_message_ms=data.get("last_message_ms"),
            last_event_ms=data.get("last_event_ms"),
            no_signal=bool(data.get("no_signal")),
            no_communication=bool(data.get("no_communication")),
            zones={z: ZoneState[s.upper()] for z, s in (data.get("zones") or {}).items()},
        )
