"""Alerts the geofence engine raises, and the device events that raise them.

An alert's id is a digest of person, zone, kind and time (milliseconds), so replaying the same
fixes raises alerts with the same ids: a store can insert them idempotently after a crash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from probation.em.geofence.times import iso


class AlertKind(StrEnum):
    APPROACH = "approach"  # within the approach distance of an exclusion zone
    ENTRY = "entry"  # into a zone (exclusion: breach starts; inclusion: back in)
    EXIT = "exit"  # out of a zone (exclusion: breach ends; inclusion: breach starts)
    TAMPER = "tamper"  # strap tamper or cut
    CASE_OPENED = "case_opened"
    BATTERY_LOW = "battery_low"
    BATTERY_CRITICAL = "battery_critical"
    CHARGER_ON = "charger_on"
    CHARGER_OFF = "charger_off"
    NO_SIGNAL = "no_signal"  # watchdog: no GPS fix while the device still communicates
    SIGNAL_RESTORED = "signal_restored"
    NO_COMMUNICATION = "no_communication"  # watchdog: nothing at all received
    COMMUNICATION_RESTORED = "communication_restored"


# Device event names accepted in a trail, and the alert each raises (None: no alert, the event
# only shows the device is communicating).
DEVICE_EVENTS: dict[str, AlertKind | None] = {
    "tamper": AlertKind.TAMPER,
    "strap_tamper": AlertKind.TAMPER,
    "strap_cut": AlertKind.TAMPER,
    "case_opened": AlertKind.CASE_OPENED,
    "battery_low": AlertKind.BATTERY_LOW,
    "battery_critical": AlertKind.BATTERY_CRITICAL,
    "charger_on": AlertKind.CHARGER_ON,
    "charger_connected": AlertKind.CHARGER_ON,
    "charger_off": AlertKind.CHARGER_OFF,
    "charger_disconnected": AlertKind.CHARGER_OFF,
    "heartbeat": None,
}


def alert_id(person: str, zone: str | None, kind: str, time_ms: int) -> str:
    text = f"{person}\x1f{zone or ''}\x1f{kind}\x1f{int(time_ms)}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass(frozen=True, kw_only=True)
class Alert:
    kind: AlertKind
    person: str
    device: str
    time_ms: int  # UTC epoch milliseconds
    zone: str | None = None
    zone_kind: str | None = None
    breach: bool = False  # the alert starts a breach of the order
    inferred: bool = False  # raised from the segment between two fixes, time interpolated
    detail: str = ""

    @property
    def id(self) -> str:
        return alert_id(self.person, self.zone, self.kind, self.time_ms)

    @property
    def sort_key(self) -> tuple[int, str, str, str]:
        return (self.time_ms, self.person, self.zone or "", self.kind)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "kind": str(self.kind),
            "person": self.person,
            "device": self.device,
            "zone": self.zone,
            "time": iso(self.time_ms),
        }
        if self.zone_kind:
            out["zone_kind"] = self.zone_kind
        out["breach"] = self.breach
        if self.inferred:
            out["inferred"] = True
        if self.detail:
            out["detail"] = self.detail
        return out
