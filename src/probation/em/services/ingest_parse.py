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

from probation.domain.calendar import outside_years
from probation.domain.errors import InvalidValue
from probation.em.geofence.alerts import DEVICE_EVENTS
from probation.em.geofence.projection import coordinate_problems, coordinate_reason
from probation.em.geofence.rejections import Rejection
from probation.em.geofence.times import EPOCH

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
    problem = outside_years(at)
    if problem:
        raise ValueError(f"time {problem}")
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


Items = list[tuple[int, Any, str | None]]  # (record number, record, want)
_MISSING = object()
_NUMBER_TYPES = frozenset({float, int})


def _records(out: ParsedBatch, items: Items, *, columnar: bool = True) -> None:
    if len(items) > MAX_RECORDS:
        raise InvalidValue(f"batch of {len(items)} records exceeds {MAX_RECORDS}", field="body",
                           value=len(items), rule=f"at most {MAX_RECORDS} records a request")
    out.records = len(items)
    slow = _columns(out, items) if columnar else items
    if slow:
        one = ParsedBatch() if columnar else out
        for number, record, want in slow:
            try:
                _add(one, record, number, want)
            except ValueError as exc:
                one.rejections.append(Rejection(line=number, reason=str(exc)))
        if one is not out:
            _merge(out, one)
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


def _merge(out: ParsedBatch, one: ParsedBatch) -> None:
    """Add what the per-record path took, keeping positions in record order."""
    out.events += one.events
    out.rejections += one.rejections
    if not one.line:
        return
    columns = ("devices", "t_ms", "lat", "lon", "accuracy", "source", "line")
    both = {c: getattr(out, c) + getattr(one, c) for c in columns}
    order = sorted(range(len(both["line"])), key=both["line"].__getitem__)
    for c in columns:
        setattr(out, c, [both[c][i] for i in order])


def _uniform(values: list[Any], types: frozenset[type]) -> bool:
    return set(map(type, values)) <= types


def _columns(out: ParsedBatch, items: Items) -> Items:
    """Column-wise path for positions: each field of every record is taken and checked a column
    at a time (distinct devices and times once each). A record it cannot vouch for goes back to
    the caller for the per-record path (`_add`), which names the reason; what this path takes,
    `_add` would take with the same values."""
    slow: Items = []
    take = [k for k, (_n, record, want) in enumerate(items)
            if want != "event" and type(record) is dict and "event" not in record]
    if len(take) < len(items):
        taken = set(take)
        slow = [item for k, item in enumerate(items) if k not in taken]
    if not take:
        return slow
    recs = [items[k][1] for k in take]
    ok = np.ones(len(recs), dtype=bool)

    devices = [r.get("device") for r in recs]
    if _uniform(devices, frozenset({str})):
        bad_devices = {d for d in set(devices) if not d.strip() or len(d) > 40}
        if bad_devices:
            ok &= np.array([d not in bad_devices for d in devices], dtype=bool)
    else:
        ok &= np.array([type(d) is str and bool(d.strip()) and len(d) <= 40 for d in devices],
                       dtype=bool)

    times = [r.get("time", _MISSING) for r in recs]
    ms: dict[str, int | None] = {}
    if _uniform(times, frozenset({str})):
        for value in set(times):
            try:
                ms[value] = _time_ms(value)
            except ValueError:
                ms[value] = None
        t_ms = [ms[t] for t in times]
    else:
        t_ms = []
        for t in times:
            if type(t) is str:
                if t not in ms:
                    try:
                        ms[t] = _time_ms(t)
                    except ValueError:
                        ms[t] = None
                t_ms.append(ms[t])
            else:
                t_ms.append(None)
    if None in ms.values() or len(t_ms) and not _uniform(t_ms, frozenset({int})):
        ok &= np.array([t is not None for t in t_ms], dtype=bool)

    def number_column(name: str) -> np.ndarray:
        values = [r.get(name) for r in recs]
        if not _uniform(values, _NUMBER_TYPES):
            good = np.array([type(v) in _NUMBER_TYPES for v in values], dtype=bool)
            ok[:] &= good
            values = [v if g else 0.0 for v, g in zip(values, good.tolist(), strict=True)]
        return np.asarray(values, dtype=float)

    lat, lon = number_column("lat"), number_column("lon")
    accuracy: list[float | None]
    raw_acc = [r.get("accuracy_m") for r in recs]
    if _uniform(raw_acc, _NUMBER_TYPES):
        acc = np.asarray(raw_acc, dtype=float)
        good = np.isfinite(acc) & (acc >= 0)
        ok &= good
        accuracy = acc.tolist()
    elif _uniform(raw_acc, frozenset({type(None)})):
        accuracy = list(raw_acc)
    else:
        accuracy = []
        for i, a in enumerate(raw_acc):
            if a is None:
                accuracy.append(None)
            elif type(a) in _NUMBER_TYPES and math.isfinite(a) and a >= 0:
                accuracy.append(float(a))
            else:
                ok[i] = False
                accuracy.append(None)

    sources = [r.get("source", "gps") for r in recs]
    if not (_uniform(sources, frozenset({str})) and set(sources) <= set(SOURCES)):
        ok &= np.array([type(s) is str and s in SOURCES for s in sources], dtype=bool)

    if ok.all():
        out.devices += devices
        out.t_ms += t_ms  # type: ignore[arg-type]  # all ints when ok
        out.lat += lat.tolist()
        out.lon += lon.tolist()
        out.accuracy += accuracy
        out.source += sources
        out.line += [items[k][0] for k in take]
        return slow
    keep = np.flatnonzero(ok).tolist()
    out.devices += [devices[i] for i in keep]
    out.t_ms += [t_ms[i] for i in keep]  # type: ignore[misc]  # all ints when ok
    out.lat += lat[keep].tolist()
    out.lon += lon[keep].tolist()
    out.accuracy += [accuracy[i] for i in keep]
    out.source += [sources[i] for i in keep]
    out.line += [items[take[i]][0] for i in keep]
    slow += [items[take[i]] for i in np.flatnonzero(~ok).tolist()]
    slow.sort(key=lambda item: item[0])
    return slow


def parse_body(body: bytes, content_type: str, *, columnar: bool = True) -> ParsedBatch:
    """Parse a request body; `columnar=False` takes every record through the per-record path
    (the reference the column-wise path is tested against)."""
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
        _records(out, items, columnar=columnar)
    else:
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise InvalidValue(f"body is not JSON: {exc.args[0]}", field="body", value=None,
                               rule="send JSON, or NDJSON with Content-Type application/x-ndjson") \
                from None
        if isinstance(data, list):
            _records(out, [(i, r, None) for i, r in enumerate(data, start=1)], columnar=columnar)
        elif isinstance(data, dict) and set(data) <= {"positions", "events"}:
            positions = data.get("positions") or []
            events = data.get("events") or []
            if not isinstance(positions, list) or not isinstance(events, list):
                raise InvalidValue("positions and events are JSON arrays", field="body", value=None,
                                   rule='{"positions": [...], "events": [...]}')
            items = [(i, r, "position") for i, r in enumerate(positions, start=1)]
            items += [(len(positions) + i, r, "event") for i, r in enumerate(events, start=1)]
            _records(out, items, columnar=columnar)
        else:
            raise InvalidValue("body is neither a list of records nor {positions, events}",
                               field="body", value=None,
                               rule='{"positions": [...], "events": [...]} or a JSON array')
    out.rejections.sort(key=lambda r: r.line)
    return out
