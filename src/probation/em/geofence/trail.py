"""Trails as NDJSON: one position fix or device event a line.

    {"device": "D1", "time": "2026-03-01T21:00:00Z", "lat": 51.5, "lon": -0.12, "accuracy_m": 8}
    {"device": "D1", "time": "2026-03-01T21:05:00Z", "event": "strap_tamper"}

Fixes become a columnar `FixBatch` (numpy arrays, devices dictionary-encoded) for the engine.
A malformed line is rejected with its number and reason; the other lines are kept.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson

from probation.domain.errors import DomainError
from probation.em.geofence.alerts import DEVICE_EVENTS
from probation.em.geofence.projection import coordinate_problems, coordinate_reason
from probation.em.geofence.rejections import Rejection
from probation.em.geofence.times import parse_time, to_ms


@dataclass(frozen=True, kw_only=True, eq=False)
class FixBatch:
    """Position fixes as columns. `device_idx` indexes `devices`; accuracy is NaN when unknown;
    `line` is where each fix came from (NDJSON line, or any caller's reference)."""

    devices: tuple[str, ...]
    device_idx: np.ndarray  # int32
    t_ms: np.ndarray  # int64, UTC epoch milliseconds
    lon: np.ndarray  # float64 degrees
    lat: np.ndarray  # float64 degrees
    accuracy_m: np.ndarray  # float64 metres, NaN unknown
    line: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.t_ms)

    @classmethod
    def empty(cls) -> FixBatch:
        return cls.from_rows([])

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[str, int, float, float, float | None, int]]
    ) -> FixBatch:
        """From (device, time_ms, lat, lon, accuracy_m or None, line) tuples."""
        rows = list(rows)
        index: dict[str, int] = {}
        codes = [index.setdefault(r[0], len(index)) for r in rows]
        return cls(
            devices=tuple(index),
            device_idx=np.array(codes, dtype=np.int32),
            t_ms=np.array([r[1] for r in rows], dtype=np.int64),
            lat=np.array([r[2] for r in rows], dtype=float),
            lon=np.array([r[3] for r in rows], dtype=float),
            accuracy_m=np.array([np.nan if r[4] is None else r[4] for r in rows], dtype=float),
            line=np.array([r[5] for r in rows], dtype=np.int64),
        )

    def same_time_lines(self) -> set[int]:
        """Lines of fixes sharing device and time with another fix of the batch (a GPS and an
        other-source fix at the same instant): the engine evaluates one and reports the others."""
        order = np.lexsort((self.t_ms, self.device_idx))
        d, t, line = self.device_idx[order], self.t_ms[order], self.line[order]
        twin = (d[1:] == d[:-1]) & (t[1:] == t[:-1])
        return set(line[1:][twin].tolist()) | set(line[:-1][twin].tolist())

    def take(self, idx: np.ndarray) -> FixBatch:
        return FixBatch(
            devices=self.devices,
            device_idx=self.device_idx[idx],
            t_ms=self.t_ms[idx],
            lon=self.lon[idx],
            lat=self.lat[idx],
            accuracy_m=self.accuracy_m[idx],
            line=self.line[idx],
        )


@dataclass(frozen=True, kw_only=True)
class DeviceEvent:
    device: str
    time_ms: int
    event: str  # a key of DEVICE_EVENTS
    line: int = 0


@dataclass(frozen=True, kw_only=True)
class Trail:
    fixes: FixBatch
    events: tuple[DeviceEvent, ...] = ()
    rejections: tuple[Rejection, ...] = field(default_factory=tuple)


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} {value!r} is not a number")
    return float(value)


def parse_line(raw: str | bytes) -> tuple[str, int, dict[str, Any]]:
    """(device, time_ms, record) of one line; raises ValueError or DomainError with the reason."""
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"malformed JSON ({exc.args[0].split(':')[0]})") from None
    if not isinstance(record, dict):
        raise ValueError("is not a JSON object")
    device = record.get("device")
    if not isinstance(device, str) or not device.strip():
        raise ValueError(f"device {device!r} is not a device identifier")
    if "time" not in record:
        raise ValueError("has no time")
    time_ms = to_ms(parse_time(record["time"]))
    return device, time_ms, record


def parse_trail(lines: Iterable[str | bytes]) -> Trail:
    rows: list[tuple[str, int, float, float, float | None, int]] = []
    events: list[DeviceEvent] = []
    rejections: list[Rejection] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            device, time_ms, record = parse_line(raw)
            if "event" in record:
                name = record["event"]
                if name not in DEVICE_EVENTS:
                    raise ValueError(
                        f"event {name!r} is not one of {', '.join(sorted(DEVICE_EVENTS))}"
                    )
                events.append(DeviceEvent(device=device, time_ms=time_ms, event=name, line=number))
                continue
            if "lat" not in record or "lon" not in record:
                raise ValueError("has neither lat and lon nor an event")
            lat, lon = _number(record["lat"], "lat"), _number(record["lon"], "lon")
            if coordinate_problems(np.array([lon]), np.array([lat]))[0]:
                raise ValueError(coordinate_reason(lon, lat))
            acc = record.get("accuracy_m")
            if acc is not None:
                acc = _number(acc, "accuracy_m")
                if not math.isfinite(acc) or acc < 0:
                    raise ValueError(f"accuracy_m {acc} is not a distance of 0 metres or more")
            rows.append((device, time_ms, lat, lon, acc, number))
        except DomainError as exc:
            rejections.append(Rejection(line=number, reason=exc.message))
        except ValueError as exc:
            rejections.append(Rejection(line=number, reason=str(exc)))
    return Trail(fixes=FixBatch.from_rows(rows), events=tuple(events), rejections=tuple(rejections))
