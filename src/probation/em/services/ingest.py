"""Device data ingest (issue 6 item 3): store a batch of positions and device events once each,
evaluate the new ones with the geofence engine and store the alerts, all in one transaction that
commits before the caller answers 2xx.

Idempotent: the unique keys (device, fix time, source) and (device, event time, event) with
INSERT ... ON CONFLICT DO NOTHING store a retried fix once; only fixes stored by this request are
evaluated, so a retry after a lost response raises nothing twice, and a retry after a crash
before the commit evaluates exactly what the first attempt would have.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from probation.domain.calendar import LONDON
from probation.domain.errors import Forbidden
from probation.domain.events import CaseEvent, EventKind
from probation.domain.roles import Role
from probation.em.geofence import DeviceEvent, EngineConfig, FixBatch
from probation.em.geofence.rejections import Rejection
from probation.em.geofence.times import from_ms, iso, to_ms
from probation.em.services.ingest_parse import parse_body
from probation.em.services.runtime import (
    SYSTEM,
    EmRuntime,
    append_case_events,
    copy_insert_new,
    runtime_for,
    upsert,
)
from probation.em.tables import (
    EmDeviceEventRow,
    EmDeviceRow,
    EmFixRow,
    EmPositionDayRow,
)
from probation.services.context import Actor

INGEST_ROLES = {Role.EM_OPERATOR, Role.ADMINISTRATOR}


@dataclass(kw_only=True)
class IngestResult:
    batch: int
    positions_accepted: int = 0
    positions_duplicate: int = 0
    events_accepted: int = 0
    events_duplicate: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    not_evaluated: list[Rejection] = field(default_factory=list)
    rewound: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch": self.batch,
            "accepted": self.positions_accepted, "duplicates": self.positions_duplicate,
            "events_accepted": self.events_accepted, "events_duplicates": self.events_duplicate,
            "rejected": [{"line": r.line, "reason": r.reason} for r in self.rejected],
            "not_evaluated": [{"line": r.line, "reason": r.reason} for r in self.not_evaluated],
            "rewound_cases": [int(p[1:]) for p in self.rewound],
            "superseded_alerts": self.superseded,
            "alerts": self.alerts,
        }


def ensure_can_ingest(actor: Actor) -> None:
    if actor.role not in INGEST_ROLES:
        raise Forbidden(f"the {actor.role.label} role cannot send device data", field="role",
                        value=actor.role.value, rule="device data comes from the EM provider")


def ingest(sessions: sessionmaker[Session], actor: Actor, body: bytes, content_type: str, *,
           now: datetime, config: EngineConfig) -> IngestResult:
    """Parse, store, evaluate and commit. Raises before anything is written for a body that is
    not JSON at all; a bad record only rejects its own line."""
    ensure_can_ingest(actor)
    parsed = parse_body(body, content_type)
    session = sessions()
    try:
        rt = runtime_for(session, config)
        with rt.lock:
            try:
                with session.begin():
                    result = _ingest_locked(session, rt, parsed, now=now)
            except BaseException:
                rt.invalidate()  # memory may be ahead of the rolled-back database
                raise
            rt.batch_no = result.batch
            return result
    finally:
        session.close()


def watchdog(sessions: sessionmaker[Session], actor: Actor, *, now: datetime,
             config: EngineConfig) -> list[dict[str, Any]]:
    """Run the no-signal / no-communication watchdogs at `now` (logged as a batch for replay)."""
    ensure_can_ingest(actor)
    session = sessions()
    try:
        rt = runtime_for(session, config)
        with rt.lock:
            try:
                with session.begin():
                    batch = rt.begin_batch(session, now=now, tick=True)
                    alerts = rt.loaded_engine().tick(now)
                    new = set(rt.store_alerts(session, alerts, batch_no=batch.batch_no, now=now))
                    rt.force_checkpoint = bool(alerts) or rt.force_checkpoint
                    rt.maybe_checkpoint(session, batch.batch_no, now=now)
                    batch_no = batch.batch_no
            except BaseException:
                rt.invalidate()
                raise
            rt.batch_no = batch_no
            return [_alert_out(a, new) for a in alerts]
    finally:
        session.close()


def _alert_out(a: Any, new: set[str]) -> dict[str, Any]:
    return {"id": a.id, "case_id": int(a.person[1:]), "kind": str(a.kind), "zone": a.zone,
            "time": iso(a.time_ms), "breach": a.breach, "new": a.id in new}


def _ingest_locked(session: Session, rt: EmRuntime, parsed: Any, *, now: datetime) -> IngestResult:
    batch = rt.begin_batch(session, now=now)
    result = IngestResult(batch=batch.batch_no, rejected=list(parsed.rejections))
    now_ms = to_ms(now)
    limit_ms = now_ms + int(rt.config.future_tolerance_s * 1000)
    device_case = rt.device_case
    unknown: set[str] = set()

    def screen(device: str, t: int, line: int) -> int | None:
        case_id = device_case.get(device)
        if case_id is None:
            unknown.add(device)
            result.rejected.append(Rejection(line=line, reason=f"unknown device {device!r}: no "
                                             "active monitoring uses it"))
            return None
        if t > limit_ms:
            result.rejected.append(Rejection(line=line, reason=(
                f"time {iso(t)} is more than {rt.config.future_tolerance_s:g} s after now "
                f"({iso(now_ms)})")))
            return None
        return case_id

    # Positions, carried as columns: screen, drop repeats within the request, insert, keep what
    # was new.
    case_ids = [device_case.get(d) for d in parsed.devices]
    cols = FixColumns(device=parsed.devices, t_ms=parsed.t_ms, source=parsed.source,
                      lat=parsed.lat, lon=parsed.lon, accuracy=parsed.accuracy,
                      case_id=case_ids, line=parsed.line)  # type: ignore[arg-type]
    if None in case_ids or (cols.t_ms and max(cols.t_ms) > limit_ms):
        cols = cols.take([i for i, (d, t, n) in enumerate(zip(cols.device, cols.t_ms, cols.line,
                                                                strict=True))
                          if screen(d, t, n) is not None])
    keys = list(zip(cols.device, cols.t_ms, cols.source, strict=True))
    if len(set(keys)) != len(keys):
        seen: set[tuple[str, int, str]] = set()
        first = []
        for i, k in enumerate(keys):
            if k not in seen:
                seen.add(k)
                first.append(i)
        result.positions_duplicate += len(keys) - len(first)
        cols = cols.take(first)
    sent = len(cols)
    new_fixes = _insert_fixes(session, cols, batch.batch_no)
    result.positions_accepted = len(new_fixes)
    result.positions_duplicate += sent - len(new_fixes)

    event_rows: list[dict[str, Any]] = []
    seen_events: set[tuple[str, int, str]] = set()
    for device, t, name, line in parsed.events:
        case_id = screen(device, t, line)
        if case_id is None:
            continue
        key = (device, t, name)
        if key in seen_events:
            result.events_duplicate += 1
            continue
        seen_events.add(key)
        event_rows.append({"device_id": device, "t_ms": t, "event": name, "case_id": case_id,
                           "batch_no": batch.batch_no, "_line": line})
    new_event_keys = _insert_new(session, EmDeviceEventRow, event_rows, ("device_id", "t_ms", "event"))
    new_events = [r for r in event_rows if (r["device_id"], r["t_ms"], r["event"]) in new_event_keys]
    result.events_accepted = len(new_events)
    result.events_duplicate += len(event_rows) - len(new_events)
    if unknown:
        _explain_unknown(session, result, unknown)
    result.rejected.sort(key=lambda r: r.line)

    batch.fixes, batch.events = len(new_fixes), len(new_events)
    if new_fixes or new_events:
        # Evaluate in the order replay will use: device, time, source.
        fixes = _fix_batch(new_fixes)
        new_events.sort(key=lambda r: (r["device_id"], r["t_ms"], r["event"]))
        events = [DeviceEvent(device=r["device_id"], time_ms=r["t_ms"], event=r["event"],
                              line=r["_line"]) for r in new_events]
        evaluated = rt.evaluate(session, fixes, events, now=now, upto=batch.batch_no)
        result.not_evaluated = [Rejection(line=n, reason=r) for n, r in sorted(evaluated.late_lines)]
        result.rewound, result.superseded = evaluated.rewound, evaluated.superseded
        if evaluated.rewound:
            batch.rewound = list(evaluated.rewound)
            rt.force_checkpoint = True
        stored = set(rt.store_alerts(session, evaluated.alerts, batch_no=batch.batch_no, now=now))
        result.alerts = [_alert_out(a, stored) for a in evaluated.alerts]
        _positions_received(session, rt, new_fixes, now=now)
    rt.maybe_checkpoint(session, batch.batch_no, now=now)
    session.flush()
    return result


FIX_COLUMNS = ("device_id", "t_ms", "source", "lat", "lon", "accuracy_m", "case_id", "batch_no")


@dataclass(kw_only=True)
class FixColumns:
    """Positions as parallel columns (one list a field), not one dict a fix."""

    device: list[str]
    t_ms: list[int]
    source: list[str]
    lat: list[float]
    lon: list[float]
    accuracy: list[float | None]
    case_id: list[int]
    line: list[int]

    def __len__(self) -> int:
        return len(self.device)

    def take(self, idx: Sequence[int]) -> FixColumns:
        return FixColumns(**{name: [column[i] for i in idx]
                             for name, column in vars(self).items()})


def _insert_fixes(session: Session, cols: FixColumns, batch_no: int) -> FixColumns:
    """Store fixes not stored before; return the ones this batch stored. One statement through
    the driver (plain str/int/float columns, so nothing for SQLAlchemy to convert): on SQLite an
    executemany, on PostgreSQL `copy_insert_new` (COPY, INSERT ... SELECT). No RETURNING:
    the ingest lock serialises batches, so the rows carrying this batch's number are exactly
    the new ones, and when their count equals the rows sent, all of them are."""
    if not len(cols):
        return cols
    conn = session.connection()
    table_name = EmFixRow.__tablename__
    rows = zip(cols.device, cols.t_ms, cols.source, cols.lat, cols.lon, cols.accuracy,
               cols.case_id, repeat(batch_no, len(cols)), strict=True)
    if conn.dialect.name == "postgresql":
        copy_insert_new(conn, EmFixRow.__table__, FIX_COLUMNS, rows)
    else:
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        conn.exec_driver_sql(
            f"INSERT INTO {table_name} ({', '.join(FIX_COLUMNS)}) VALUES "
            f"({', '.join([mark] * len(FIX_COLUMNS))}) ON CONFLICT DO NOTHING", list(rows))
    table = EmFixRow.__table__
    stored = session.execute(select(func.count()).select_from(table)
                             .where(table.c.batch_no == batch_no)).scalar_one()
    if stored == len(cols):
        return cols
    new = {tuple(k) for k in session.execute(
        select(table.c.device_id, table.c.t_ms, table.c.source).where(table.c.batch_no == batch_no))}
    return cols.take([i for i, k in enumerate(zip(cols.device, cols.t_ms, cols.source,
                                                  strict=True)) if k in new])


def _fix_batch(cols: FixColumns) -> FixBatch:
    """The engine's batch, sorted by device, time and source (the order replay uses)."""
    names = sorted(set(cols.device))
    index = {d: i for i, d in enumerate(names)}
    codes = np.array([index[d] for d in cols.device], dtype=np.int32)
    t = np.array(cols.t_ms, dtype=np.int64)
    other = np.array([s != "gps" for s in cols.source], dtype=np.int8)  # "gps" < "other"
    order = np.lexsort((other, t, codes))
    codes, t = codes[order], t[order]
    line = np.array(cols.line, dtype=np.int64)[order]
    accuracy = np.array([np.nan if a is None else a for a in cols.accuracy], dtype=float)
    return FixBatch(devices=tuple(names), device_idx=codes, t_ms=t,
                     lat=np.array(cols.lat, dtype=float)[order],
                     lon=np.array(cols.lon, dtype=float)[order],
                     accuracy_m=accuracy[order], line=line)


def _insert_new(session: Session, table: Any, rows: list[dict[str, Any]],
                key: tuple[str, str, str]) -> set[tuple[Any, ...]]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING the key: the rows this statement stored."""
    if not rows:
        return set()
    cols = [c for c in rows[0] if not c.startswith("_")]
    values = [{c: r[c] for c in cols} for r in rows]
    core = table.__table__  # Core, not the ORM bulk path (several times cheaper per row)
    stmt = upsert(session, core).on_conflict_do_nothing().returning(*(core.c[k] for k in key))
    # One row as a plain execute: a one-element executemany may not return rows on every driver.
    got = session.execute(stmt.values(values[0])).all() if len(values) == 1 \
        else session.execute(stmt, values).all()
    return {tuple(g) for g in got}


def _explain_unknown(session: Session, result: IngestResult, unknown: set[str]) -> None:
    """A device whose monitoring has ended is named as such, not as unknown."""
    ended = {d: at for d, at in session.execute(
        select(EmDeviceRow.device_id, EmDeviceRow.ended_at).where(
            EmDeviceRow.device_id.in_(unknown), EmDeviceRow.status == "ended"))}
    if not ended:
        return
    out = []
    for r in result.rejected:
        for device, at in ended.items():
            if r.reason.startswith(f"unknown device {device!r}"):
                r = Rejection(line=r.line, reason=f"device {device!r} is no longer monitored "
                              f"(monitoring ended {at.isoformat() if at else ''})")
        out.append(r)
    result.rejected = out


def _positions_received(session: Session, rt: EmRuntime, new_fixes: FixColumns, *,
                        now: datetime) -> None:
    """One em_positions_received case event per case per London day with positions (row 13),
    never one per fix."""
    if not len(new_fixes):
        return
    case = np.array(new_fixes.case_id, dtype=np.int64)
    t = np.array(new_fixes.t_ms, dtype=np.int64)
    hour = t // 3_600_000
    # Earliest fix per (case, UTC hour); a London day is a whole number of UTC hours.
    pairs, inverse = np.unique(np.stack([case, hour], axis=1), axis=0, return_inverse=True)
    t_min = np.full(len(pairs), np.iinfo(np.int64).max)
    np.minimum.at(t_min, inverse.ravel(), t)
    firsts: dict[tuple[int, Any], int] = {}
    day_of_hour: dict[int, Any] = {}
    for (c, h), m in zip(pairs.tolist(), t_min.tolist(), strict=True):
        day = day_of_hour.get(h)
        if day is None:
            day = day_of_hour[h] = from_ms(h * 3_600_000).astimezone(LONDON).date()
        k = (c, day)
        if k not in firsts or m < firsts[k]:
            firsts[k] = m
    missing = [k for k in firsts if k not in rt.position_days]
    if not missing:
        return
    table = EmPositionDayRow.__table__
    stmt = upsert(session, table).on_conflict_do_nothing().returning(table.c.case_id, table.c.day)
    rows = [{"case_id": c, "day": d, "first_fix_ms": firsts[(c, d)]} for c, d in missing]
    got = session.execute(stmt, rows).all() if len(rows) > 1 else \
        session.execute(stmt.values(rows[0])).all()
    events: dict[int, list[CaseEvent]] = defaultdict(list)
    for c, d in got:
        events[int(c)].append(CaseEvent(kind=EventKind.EM_POSITIONS_RECEIVED,
                                        occurred_at=from_ms(firsts[(int(c), d)]), actor=SYSTEM,
                                        data={"day": d.isoformat()}))
    append_case_events(session, events, now=now)
    rt.position_days.update(missing)
