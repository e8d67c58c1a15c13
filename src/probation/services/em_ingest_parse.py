"""Device data in: batches of positions and device events as JSON or NDJSON.

JSON: `{"positions": [...], "events": [...]}` (either may be absent) or a bare list of records.
NDJSON: one record a line; a record with an `event` is a device event, otherwise a position.

    position: {"device": "D1", "time": "2026-03-01T21:00:00Z", "lat": 51.5, "lon": -0.12,
               "accuracy_m": 8, "source": "gps"}          (accuracy_m optional, source gps|other)
    event:    {"device": "D1", "time": "2026-03-01T21:05:00Z", "event": "strap_tamper"}

Every record has a number: its NDJSON line, or for JSON its position in the request (positions
first, then events), so a rejection names where it was and why; the rest of the batch is kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import orjson

from probation.adapters.geofence.alerts import DEVICE_EVENTS
from probation.adapters.geofence.projection import coordinate_problems, coordinate_reason
from probation.adapters.geofence.rejections import Rejection
from probation.adapters.geofence.times import EPOCH
from probation.domain.errors import InvalidValue

SOURCES = ("gps", "other")
MAX_RECORDS = 20_000
# Device events the ingest endpoint takes (issue 6 item 3): strap tamper, case opened, battery
# low and critical, charger on and off; the engine's aliases and heartbeats are accepted too.
EVENT_NAMES = frozenset(DEVICE_EVENTS)


@dataclass(kw_only=True)
class ParsedBatch:
    devices: list[str] = field(default_factory=list)
    t_ms: list[int] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    accuracy: list[float | None] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    line: list[int] = field(default_factory=list)
    events: list[tuple[str, int, str, int]] = field(default_factory=list)  # device, t_ms, event, line
    rejections: list[Rejection] = field(default_factory=list)
    records: int = 0


def _time_ms(value: Any) -> int:
    if not isinstance(value, str):
        raise ValueError(f"time {value!r} is not an ISO 8601 text")
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"time {value!r} is not an ISO 8601 time") from None
    if at.tzinfo is None:
        raise ValueError(f"time {value!r} has no UTC offset (Z or +01:00)")
    delta = at - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} {value!r} is not a number")
    return float(value)


def _add(out: ParsedBatch, record: Any, number: int, want: str | None) -> None:
    """Add one record (want: 'position', 'event' or None for either) or raise ValueError."""
    if not isinstance(record, dict):
        raise ValueError("is not a JSON object")
    device = record.get("device")
    if not isinstance(device, str) or not device.strip() or len(device) > 40:
        raise ValueError(f"device {device!r} is not a device identifier (1-40 characters)")
    if "time" not in record:
        raise ValueError("has no time")
    t = _time_ms(record["time"])
    if "event" in record or want == "event":
        name = record.get("event")
        if name not in EVENT_NAMES:
            raise ValueError(f"event {name!r} is not one of {', '.join(sorted(EVENT_NAMES))}")
        out.events.append((device, t, str(name), number))
        return
    if "lat" not in record or "lon" not in record:
        raise ValueError("has neither lat and lon nor an event")
    lat, lon = _number(record["lat"], "lat"), _number(record["lon"], "lon")
    acc = record.get("accuracy_m")
    if acc is not None:
        acc = _number(acc, "accuracy_m")
        if not math.isfinite(acc) or acc < 0:
            raise ValueError(f"accuracy_m {acc} is not a distance of 0 metres or more")
    source = record.get("source", "gps")
    if source not in SOURCES:
        raise ValueError(f"source {source!r} is neither gps nor other")
    out.devices.append(device)
    out.t_ms.append(t)
    out.lat.append(lat)
    out.lon.append(lon)
    out.accuracy.append(acc)
    out.source.append(source)
    out.line.append(number)


def _records(out: ParsedBatch, items: list[tuple[int, Any, str | None]]) -> None:
    if len(items) > MAX_RECORDS:
        raise InvalidValue(f"batch of {len(items)} records exceeds {MAX_RECORDS}", field="body",
                           value=len(items), rule=f"at most {MAX_RECORDS} records a request")
    out.records = len(items)
    for number, record, want in items:
        try:
            _add(out, record, number, want)
        except ValueError as exc:
            out.rejections.append(Rejection(line=number, reason=str(exc)))
    # Positions the British National Grid cannot hold, checked over the whole batch at once.
    if out.t_ms:
        bad = coordinate_problems(np.array(out.lon), np.array(out.lat))
        if bad.any():
            for i in sorted(np.flatnonzero(bad), reverse=True):
                out.rejections.append(Rejection(line=out.line[i],
                                                reason=coordinate_reason(out.lon[i], out.lat[i])))
                for column in (out.devices, out.t_ms, out.lat, out.lon, out.accuracy, out.source,
                               out.line):
                    del column[i]


def parse_body(body: bytes, content_type: str) -> ParsedBatch:
    out = ParsedBatch()
    ndjson = "ndjson" in content_type or "jsonl" in content_type or "x-ndjson" in content_type
    if ndjson:
        items: list[tuple[int, Any, str | None]] = []
        for number, raw in enumerate(body.split(b"\n"), start=1):
            if not raw.strip():
                continue
            try:
                items.append((number, orjson.loads(raw), None))
            except orjson.JSONDecodeError as exc:
                out.rejections.append(Rejection(line=number, reason=(
                    f"malformed JSON ({exc.args[0].split(':')[0]})")))
        _records(out, items)
    else:
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise InvalidValue(f"body is not JSON: {exc.args[0]}", field="body", value=None,
                               rule="send JSON, or NDJSON with Content-Type application/x-ndjson") \
                from None
        if isinstance(data, list):
            _records(out, [(i, r, None) for i, r in enumerate(data, start=1)])
        elif isinstance(data, dict) and set(data) <= {"positions", "events"}:
            positions = data.get("positions") or []
            events = data.get("events") or []
            if not isinstance(positions, list) or not isinstance(events, list):
                raise InvalidValue("positions and events are JSON arrays", field="body", value=None,
                                   rule='{"positions": [...], "events": [...]}')
            items = [(i, r, "position") for i, r in enumerate(positions, start=1)]
            items += [(len(positions) + i, r, "event") for i, r in enumerate(events, start=1)]
            _records(out, items)
        else:
            raise InvalidValue("body is neither a list of records nor {positions, events}",
                               field="body", value=None,
                               rule='{"positions": [...], "events": [...]} or a JSON array')
    out.rejections.sort(key=lambda r: r.line)
    return out
