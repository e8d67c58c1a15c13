"""The geofence engine inside the server: built from the zones and devices on record, fed by the
ingest log, checkpointed to the database, and rebuilt after a crash by replaying the log.

Recovery (docs/EM.md): every committed ingest batch is a row of em_ingest_batch with its
evaluation time, and its new fixes and device events carry its batch number. The engine's state
per person is written to em_engine_state every few seconds (a checkpoint, in the same transaction
as a batch). A runtime that starts (or finds that another process ingested since) restores the
checkpoint and replays the later batches in order: evaluation is deterministic and alert ids are
digests, so replay raises the same alerts, which are stored with ON CONFLICT DO NOTHING.

Late fixes (older than the person's last evaluated message) are evaluated in fix-time order by a
rewind: the person's newest state that predates the late fix (kept for the last UNDO_BATCHES
batches, else the checkpoint, else the empty state before any fix) is restored, and every stored
fix and event after it is evaluated again in time order. Alerts that order raises again keep
their ids; stored alerts it no longer raises are marked superseded (kept, and shown as such), so
the alerts standing never depend on the order in which batches arrived.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import numpy as np
from sqlalchemy import JSON, BigInteger, Table, and_, column, func, insert, select, text, values
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from probation.adapters.db.tables import CaseEventRow
from probation.domain.events import CaseEvent, EventKind
from probation.em.domain.alerts import AlertStatus, is_violation, needs_attention, priority_of
from probation.em.geofence import (
    Alert,
    AlertKind,
    DeviceEvent,
    EngineConfig,
    FixBatch,
    GeofenceEngine,
    OrderVersion,
    PersonState,
    ZoneBook,
    make_zone,
)
from probation.em.geofence.engine import SavedStates
from probation.em.geofence.state import NONE_MS
from probation.em.geofence.times import from_ms
from probation.em.tables import (
    EmAlertRow,
    EmChangeRow,
    EmCheckpointRow,
    EmDeviceEventRow,
    EmDeviceRow,
    EmEngineStateRow,
    EmFixRow,
    EmIngestBatchRow,
    EmZoneRow,
)

CHECKPOINT_EVERY_S = 2.0
CHECKPOINT_EVERY_BATCHES = 200
# Batches whose prior states are kept for late fixes (a few MB at 1,000 persons a batch). A fix
# later than that rewinds from the checkpoint or, failing that, from the first fix on record:
# slower, never wrong.
UNDO_BATCHES = 64
# Alerts the watchdog timers raise or clear: they depend on when the watchdog ran, so a rewind
# over the fixes cannot reproduce them and never supersedes them.
WATCHDOG_KINDS = tuple(str(k) for k in (AlertKind.NO_SIGNAL, AlertKind.NO_COMMUNICATION,
                                         AlertKind.SIGNAL_RESTORED,
                                         AlertKind.COMMUNICATION_RESTORED))
ADVISORY_LOCK_KEY = 7_243_006  # PostgreSQL: one ingest transaction at a time across processes
# SQLite: let the write-ahead log reach ~80 MB (20,000 4-KiB pages) before a commit checkpoints it
# into the database, rather than the default 1,000 pages. A batch rewrites the same hot index
# pages (each device's newest fixes), so a checkpoint every few dozen batches writes each page
# once instead of once a batch: ingest runs about twice as fast on a large em_fix table.
# Commits stay atomic and survive a crash of the process (the log is read back on open).
WAL_AUTOCHECKPOINT_PAGES = 20_000
SYSTEM = "em-monitoring-centre"


def person_key(case_id: int) -> str:
    return f"C{case_id}"


def case_of(person: str) -> int:
    return int(person[1:])


def upsert(session: Session, table: Any) -> Any:
    """INSERT for the session's dialect, with on_conflict_* available (SQLite and PostgreSQL)."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_rows(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows known to be new (the ingest lock serialises their writers). On PostgreSQL a
    COPY: a pipelined statement a row cost several times more once a batch raised a few hundred
    alerts and case events. Elsewhere one executemany on the Core table."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    names = list(rows[0])
    copy_in(session.connection(), table, names, ([r[n] for n in names] for r in rows))


def copy_insert_new(conn: Any, table: Any, names: Sequence[str], rows: Iterable[Sequence[Any]],
                    *, returning: str | None = None) -> list[Any]:
    """PostgreSQL: store the rows whose key is not stored yet. COPY into a temporary twin of the
    table, emptied as it is read (a replay stores several batches in one transaction), then one
    INSERT ... SELECT ... ON CONFLICT DO NOTHING: the conflict check always goes through the
    primary key, whatever plan the planner would pick for a lookup. (Asking first which alert
    ids were stored, by a list of ids, cost 25-56 ms a batch once the driver had prepared it:
    a generic plan fixed while em_alert was small scanned it.) Returns `returning` of the rows
    stored, or nothing."""
    twin = f"{table.name}_in"
    # Every time, not once a connection: a rolled-back first use takes the table with it.
    conn.exec_driver_sql(f"CREATE TEMPORARY TABLE IF NOT EXISTS {twin} "
                         f"(LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
    copy_in(conn, table, names, rows, into=twin)
    listed = ", ".join(names)
    result = conn.exec_driver_sql(
        f"WITH moved AS (DELETE FROM {twin} RETURNING {listed}) "
        f"INSERT INTO {table.name} ({listed}) SELECT {listed} FROM moved ON CONFLICT DO NOTHING"
        + (f" RETURNING {returning}" if returning else ""))
    return list(result.scalars()) if returning else []


def _insert_new_alerts(session: Session, rows: list[dict[str, Any]]) -> set[str]:
    """Store the alerts not stored before; return their ids. On PostgreSQL `copy_insert_new`;
    elsewhere the ingest lock serialises every writer of alerts, so the new ones are those not
    found before a plain executemany."""
    table = EmAlertRow.__table__
    names = list(rows[0])
    if session.get_bind().dialect.name == "postgresql":
        return set(copy_insert_new(session.connection(), table, names,
                                   ([r[n] for n in names] for r in rows), returning="id"))
    ids = sorted({r["id"] for r in rows})
    stored: set[str] = set()
    for i in range(0, len(ids), 500):  # the id alone: answered from the primary key's index
        stored.update(session.execute(select(table.c.id).where(
            table.c.id.in_(ids[i:i + 500]))).scalars())
    new = set(ids) - stored
    insert_rows(session, table, [r for r in rows if r["id"] in new])
    return new


def copy_in(conn: Any, table: Any, names: Sequence[str], rows: Iterable[Sequence[Any]], *,
            into: str | None = None) -> None:
    """PostgreSQL COPY ... FROM STDIN (into `table`, or a twin of it named `into`) through the
    driver: rows are formatted by its C code; JSON columns are wrapped for it here."""
    json_at = {k for k, n in enumerate(names) if isinstance(table.c[n].type, JSON)}
    if json_at:
        from psycopg.types.json import Json

        rows = ([Json(v) if k in json_at else v for k, v in enumerate(r)] for r in rows)
    raw = conn.connection.driver_connection
    sql = f"COPY {into or table.name} ({', '.join(names)}) FROM STDIN"
    with raw.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def build_book(session: Session) -> tuple[ZoneBook, dict[str, int]]:
    """Zones of every case with an active device, and device -> case id."""
    device_case = {d: c for d, c in session.execute(
        select(EmDeviceRow.device_id, EmDeviceRow.case_id).where(EmDeviceRow.status == "active"))}
    cases = set(device_case.values())
    grouped: dict[int, dict[int, list[EmZoneRow]]] = defaultdict(lambda: defaultdict(list))
    if cases:
        for z in session.scalars(select(EmZoneRow).where(EmZoneRow.case_id.in_(cases))
                                 .order_by(EmZoneRow.case_id, EmZoneRow.version, EmZoneRow.id)):
            grouped[z.case_id][z.version].append(z)
    versions: dict[str, tuple[OrderVersion, ...]] = {}
    for case_id, by_version in grouped.items():
        person = person_key(case_id)
        out = []
        for number in sorted(by_version):
            rows = by_version[number]
            zones = tuple(zone_from_row(person, r) for r in rows)
            out.append(OrderVersion(version=number, effective_from=rows[0].effective_from,
                                    zones=zones))
        versions[person] = tuple(out)
    devices = {d: person_key(c) for d, c in device_case.items()}
    return ZoneBook(versions=versions, devices=devices), device_case


def zone_from_row(person: str, r: EmZoneRow) -> Any:
    af, at = r.active_from, r.active_to
    return make_zone(zone_id=r.zone_id, person=person, kind=r.kind, geometry=r.geometry,
                     approach_m=r.approach_m, schedule=r.schedule,
                     active_from=af.isoformat() if af else None,
                     active_to=at.isoformat() if at else None, name=r.name)


@dataclass(kw_only=True)
class Evaluated:
    alerts: list[Alert] = field(default_factory=list)
    late_lines: list[tuple[int, str]] = field(default_factory=list)  # not evaluated, with reason
    rewound: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Undo:
    """The states of the persons a batch touched, as they were before it (the base a late fix
    rewinds to); `valid` is cleared for a person once a late fix shows the state incomplete."""

    saved: SavedStates
    valid: np.ndarray


class EmRuntime:
    """One per database URL in a process. Every use holds `lock` and runs inside a transaction
    that has already taken the database's ingest lock (see `begin_batch`)."""

    def __init__(self, config: EngineConfig) -> None:
        self.lock = threading.Lock()
        self.config = config
        self.engine: GeofenceEngine | None = None
        self.book = ZoneBook()
        self.device_case: dict[str, int] = {}
        self.generation = -1
        self.batch_no = 0
        self.saved: dict[str, dict[str, Any]] = {}
        self.last_checkpoint = time.monotonic()
        self.batches_since_checkpoint = 0
        self.force_checkpoint = False
        self.position_days: set[tuple[int, Any]] = set()
        self.undo: deque[Undo] = deque(maxlen=UNDO_BATCHES)

    def invalidate(self) -> None:
        """Forget everything in memory; the next use rebuilds from the checkpoint and the log."""
        self.engine = None
        self.generation = -1
        self.position_days.clear()
        self.undo.clear()

    # ------------------------------------------------------------------ batches
    def begin_batch(self, session: Session, *, now: datetime, tick: bool = False) -> EmIngestBatchRow:
        """Take the ingest lock, log the batch, and bring the engine up to the batch before it."""
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
        elif dialect == "sqlite":
            conn = session.connection()
            if conn.info.get("em_wal_autocheckpoint") != WAL_AUTOCHECKPOINT_PAGES:
                conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
                conn.info["em_wal_autocheckpoint"] = WAL_AUTOCHECKPOINT_PAGES
        batch = EmIngestBatchRow(received_at=now, now_ms=_ms(now), fixes=0, events=0,
                                 rewound=["tick"] if tick else [])
        session.add(batch)
        session.flush()  # SQLite: the first write takes the database's write lock
        self.sync(session, upto=batch.batch_no)
        return batch

    def sync(self, session: Session, *, upto: int) -> None:
        generation = session.scalar(select(func.max(EmChangeRow.id))) or 0
        if self.engine is None:
            self.book, self.device_case = build_book(session)
            self.engine = GeofenceEngine(self.book, self.config)
            self.undo.clear()
            states = list(session.scalars(select(EmEngineStateRow)))
            self.engine.restore(PersonState.from_dict(s.state) for s in states)
            self.saved = {s.person: s.state for s in states}
            checkpoint = session.get(EmCheckpointRow, 1)
            self.batch_no = checkpoint.batch_no if checkpoint else 0
            self.generation = generation
        elif generation != self.generation:
            self.book, self.device_case = build_book(session)
            self.engine.replace_zones(self.book)
            self.undo.clear()  # person indices may have changed
            self.generation = generation
            self.force_checkpoint = True
        for batch in session.scalars(select(EmIngestBatchRow).where(
                EmIngestBatchRow.batch_no > self.batch_no, EmIngestBatchRow.batch_no < upto)
                .order_by(EmIngestBatchRow.batch_no)):
            self.replay(session, batch)

    def replay(self, session: Session, batch: EmIngestBatchRow) -> None:
        now = from_ms(batch.now_ms)
        if "tick" in (batch.rewound or []):
            self.store_alerts(session, self.loaded_engine().tick(now), batch_no=batch.batch_no, now=now)
        else:
            fixes = session.execute(select(EmFixRow.device_id, EmFixRow.t_ms, EmFixRow.lat,
                                           EmFixRow.lon, EmFixRow.accuracy_m)
                                    .where(EmFixRow.batch_no == batch.batch_no)
                                    .order_by(EmFixRow.device_id, EmFixRow.t_ms, EmFixRow.source)).all()
            events = session.execute(select(EmDeviceEventRow.device_id, EmDeviceEventRow.t_ms,
                                            EmDeviceEventRow.event)
                                     .where(EmDeviceEventRow.batch_no == batch.batch_no)
                                     .order_by(EmDeviceEventRow.device_id, EmDeviceEventRow.t_ms,
                                               EmDeviceEventRow.event)).all()
            batch_fixes = FixBatch.from_rows((d, t, la, lo, a, i + 1)
                                             for i, (d, t, la, lo, a) in enumerate(fixes))
            dev_events = [DeviceEvent(device=d, time_ms=t, event=e, line=len(fixes) + i + 1)
                          for i, (d, t, e) in enumerate(events)]
            result = self.evaluate(session, batch_fixes, dev_events, now=now, upto=batch.batch_no)
            self.store_alerts(session, result.alerts, batch_no=batch.batch_no, now=now)
        self.batch_no = batch.batch_no

    def loaded_engine(self) -> GeofenceEngine:
        assert self.engine is not None, "sync() builds the engine first"
        return self.engine

    # ------------------------------------------------------------------ evaluation
    def evaluate(self, session: Session, fixes: FixBatch, events: Sequence[DeviceEvent], *,
                 now: datetime, upto: int) -> Evaluated:
        """Evaluate a batch; rewind the persons whose fixes arrived late. A fix sharing device and
        time with another of the batch is reported by the engine, not rewound."""
        engine = self.loaded_engine()
        devices = [fixes.devices[i] for i in np.unique(fixes.device_idx).tolist()]
        touched = engine.person_of_devices(devices + [e.device for e in events])
        self.undo.append(Undo(saved=engine.save(touched), valid=np.ones(len(touched), bool)))
        result = engine.evaluate(fixes, events, now=now)
        out = Evaluated()
        late: dict[str, int] = {}
        line_info: dict[int, tuple[str, int]] = {}
        same_time: set[int] = set()
        if result.late:  # built only when needed: a dict a fix costs more than the check
            same_time = fixes.same_time_lines()
            line_info = {n: (fixes.devices[d], t) for n, d, t in zip(
                fixes.line.tolist(), fixes.device_idx.tolist(), fixes.t_ms.tolist(), strict=True)}
            line_info.update({e.line: (e.device, e.time_ms) for e in events})
        for rej in result.late:
            if rej.line in same_time or rej.line not in line_info:
                out.late_lines.append((rej.line, rej.reason))
                continue
            device, t = line_info[rej.line]
            person = self.book.person_for(device) or ""
            late[person] = min(late.get(person, t), t)
        out.alerts = [a for a in result.alerts if a.person not in late]
        if late:
            rewound, out.superseded = self.rewind(session, late, now=now, upto=upto)
            out.alerts += rewound
            out.rewound = sorted(late)
        out.alerts.sort(key=lambda a: a.sort_key)
        return out

    def rewind(self, session: Session, late: dict[str, int], *, now: datetime,
               upto: int) -> tuple[list[Alert], list[str]]:
        """Evaluate again, in fix-time order, everything stored for these persons since a state
        that predates their earliest late message (`late`: person -> that time). The state is
        the newest that qualifies of: the undo records, the checkpoint, the empty state before
        any fix. Returns the alerts, and the ids of stored alerts the new order no longer
        raises (marked superseded)."""
        engine = self.loaded_engine()
        pairs = sorted((i, late[p]) for p in late if (i := engine.index_of(p)) is not None)
        idx = np.array([i for i, _ in pairs], dtype=np.int64)
        earliest = np.array([t for _, t in pairs], dtype=np.int64)
        persons = [engine.persons[i] for i in idx.tolist()]
        base = np.full(len(idx), NONE_MS, dtype=np.int64)
        found = np.zeros(len(idx), dtype=bool)
        for rec in reversed(self.undo):  # newest first
            if found.all() or not len(rec.saved.idx):
                break
            pos = np.minimum(np.searchsorted(rec.saved.idx, idx), len(rec.saved.idx) - 1)
            hit = (rec.saved.idx[pos] == idx) & rec.valid[pos] & ~found
            before = rec.saved.horizon[pos] < earliest
            # A state that has seen past the late message was computed without it: never a base.
            rec.valid[pos[hit & ~before]] = False
            take = hit & before
            if take.any():
                engine.load(rec.saved, pos[take])
                base[take] = rec.saved.horizon[pos[take]]
                found |= take
        if not found.all():
            rest = {persons[k]: k for k in np.flatnonzero(~found).tolist()}
            for row in session.scalars(select(EmEngineStateRow)
                                       .where(EmEngineStateRow.person.in_(list(rest)))):
                state = PersonState.from_dict(row.state)
                k = rest[row.person]
                horizon = max(NONE_MS if t is None else t
                              for t in (state.last_fix_ms, state.last_message_ms))
                if horizon < earliest[k]:
                    engine.restore([state])
                    base[k], found[k] = horizon, True
            engine.reset(idx[~found])  # from the first fix on record
        base_of = dict(zip(persons, base.tolist(), strict=True))
        case_base = {case_of(p): h for p, h in base_of.items()}
        cases, since = list(case_base), int(base.min())
        device_person = {d: p for d, p in self.book.devices.items() if p in base_of}
        fixes = [r for r in session.execute(
            select(EmFixRow.device_id, EmFixRow.t_ms, EmFixRow.lat, EmFixRow.lon,
                   EmFixRow.accuracy_m, EmFixRow.case_id)
            .where(case_fixes(session, cases), EmFixRow.t_ms > since, EmFixRow.batch_no <= upto)
            .order_by(EmFixRow.device_id, EmFixRow.t_ms, EmFixRow.source))
            if r[0] in device_person and r[1] > case_base[r[5]]]
        events = [r for r in session.execute(
            select(EmDeviceEventRow.device_id, EmDeviceEventRow.t_ms, EmDeviceEventRow.event,
                   EmDeviceEventRow.case_id)
            .where(EmDeviceEventRow.case_id.in_(cases), EmDeviceEventRow.t_ms > since,
                   EmDeviceEventRow.batch_no <= upto)
            .order_by(EmDeviceEventRow.device_id, EmDeviceEventRow.t_ms, EmDeviceEventRow.event))
            if r[0] in device_person and r[1] > case_base[r[3]]]
        batch = FixBatch.from_rows((d, t, la, lo, a, i + 1)
                                   for i, (d, t, la, lo, a, _) in enumerate(fixes))
        result = engine.evaluate(batch, [DeviceEvent(device=d, time_ms=t, event=e, line=0)
                                         for d, t, e, _ in events], now=now)
        alerts = list(result.alerts)
        return alerts, self._supersede(session, base_of, alerts, now=now, upto=upto)

    def _supersede(self, session: Session, base_of: dict[str, int], alerts: list[Alert], *,
                   now: datetime, upto: int) -> list[str]:
        """Stored alerts after the rewound persons' base states that evaluation in fix-time order
        no longer raises (an entry first seen between sparse fixes, then placed earlier by a late
        fix): marked superseded, never deleted. Watchdog alerts depend on when the watchdog ran,
        not on the fixes, so they stand. An alert superseded earlier that this order raises again
        (a later fix put it back) stands again."""
        table = cast(Table, EmAlertRow.__table__)  # declared mapping: always a Table
        since = min(base_of.values())
        query = select(table.c.id, table.c.person, table.c.alert_at, table.c.superseded_at).where(
            table.c.case_id.in_([case_of(p) for p in base_of]), table.c.batch_no <= upto,
            table.c.kind.notin_(WATCHDOG_KINDS))
        if since != NONE_MS:
            query = query.where(table.c.alert_at > from_ms(since))
        raised = {a.id for a in alerts}
        stale, revived = [], []
        for i, person, at, gone in session.execute(query):
            if _ms(at) <= base_of[person]:
                continue
            if gone is None and i not in raised:
                stale.append(i)
            elif gone is not None and i in raised:
                revived.append(i)
        for ids, value in ((sorted(stale), now), (sorted(revived), None)):
            for k in range(0, len(ids), 500):
                session.execute(table.update().where(table.c.id.in_(ids[k:k + 500]))
                                .values(superseded_at=value))
        return sorted(stale)

    # ------------------------------------------------------------------ storage
    def store_alerts(self, session: Session, alerts: Iterable[Alert], *, batch_no: int,
                     now: datetime) -> list[str]:
        """Insert alerts not stored before; for new ones needing attention, append the case events
        the obligations engine reads (em_violation_detected, em_alert_raised)."""
        rows: list[dict[str, Any]] = []
        for a in alerts:
            breach, kind = a.breach, str(a.kind)
            rows.append({
                "id": a.id, "case_id": case_of(a.person), "person": a.person, "device_id": a.device,
                "kind": kind, "zone_id": a.zone, "zone_kind": a.zone_kind, "breach": breach,
                "violation": is_violation(kind, breach=breach), "inferred": a.inferred,
                "detail": a.detail[:200], "alert_at": from_ms(a.time_ms), "raised_at": now,
                "batch_no": batch_no, "status": AlertStatus.RAISED.value,
                "priority": priority_of(kind, breach=breach).value})
        if not rows:
            return []
        new = _insert_new_alerts(session, rows)
        events: dict[int, list[CaseEvent]] = defaultdict(list)
        for r in rows:
            if r["id"] not in new or not needs_attention(r["kind"], breach=r["breach"]):
                continue
            data = {"alert_id": r["id"], "alert": r["kind"], "zone": r["zone_id"],
                    "device": r["device_id"]}
            if r["violation"]:
                events[r["case_id"]].append(CaseEvent(
                    kind=EventKind.EM_VIOLATION_DETECTED, occurred_at=r["alert_at"], actor=SYSTEM,
                    data=data))
            events[r["case_id"]].append(CaseEvent(kind=EventKind.EM_ALERT_RAISED, occurred_at=now,
                                                  actor=SYSTEM, data=data))
        append_case_events(session, events, now=now)
        return sorted(new)

    def maybe_checkpoint(self, session: Session, batch_no: int, *, now: datetime) -> bool:
        self.batches_since_checkpoint += 1
        due = self.force_checkpoint or self.batches_since_checkpoint >= CHECKPOINT_EVERY_BATCHES \
            or time.monotonic() - self.last_checkpoint >= CHECKPOINT_EVERY_S
        if not due:
            return False
        self.checkpoint(session, batch_no, now=now)
        return True

    def checkpoint(self, session: Session, batch_no: int, *, now: datetime) -> None:
        changed: list[dict[str, Any]] = []
        for person, state in self.loaded_engine().snapshot().items():
            d = state.as_dict()
            if self.saved.get(person) != d:
                changed.append({"person": person, "state": d, "batch_no": batch_no})
        if changed:
            # Core table, not the ORM entity: the ORM bulk path costs more than the upsert.
            stmt = upsert(session, EmEngineStateRow.__table__)
            stmt = stmt.on_conflict_do_update(index_elements=["person"], set_={
                "state": stmt.excluded.state, "batch_no": stmt.excluded.batch_no})
            session.execute(stmt, changed)
        stmt = upsert(session, EmCheckpointRow)
        stmt = stmt.on_conflict_do_update(index_elements=["id"], set_={
            "batch_no": stmt.excluded.batch_no, "saved_at": stmt.excluded.saved_at})
        session.execute(stmt.values(id=1, batch_no=batch_no, saved_at=now))
        for c in changed:
            self.saved[c["person"]] = c["state"]
        self.last_checkpoint = time.monotonic()
        self.batches_since_checkpoint = 0
        self.force_checkpoint = False


def append_case_events(session: Session, by_case: dict[int, list[CaseEvent]], *,
                       now: datetime) -> None:
    """Append case events for many cases at once: one max(seq) query for all of them and one
    executemany insert (repository.append_events costs a query and a flush per case). Safe
    because ingest holds the ingest lock and the cases' other writers number after max(seq)."""
    ids = sorted(c for c, evs in by_case.items() if evs)
    if not ids:
        return
    session.flush()  # pending ORM case events are counted by max(seq)
    last: dict[int, int] = {}
    for i in range(0, len(ids), 500):
        # max(seq) per case as a correlated subquery: one descent of the (case_id, seq) index a
        # case, where GROUP BY over case_id IN (...) reads every event those cases ever had.
        chunk = values(column("case_id", BigInteger), name="cases") \
            .data([(c,) for c in ids[i:i + 500]]).cte("cases")
        last_seq = select(func.max(CaseEventRow.seq)).where(
            CaseEventRow.case_id == chunk.c.case_id).scalar_subquery()
        last.update({int(c): int(s or 0) for c, s in session.execute(
            select(chunk.c.case_id, last_seq))})
    rows = []
    for c in ids:
        base = last.get(c, 0)
        for n, e in enumerate(by_case[c], start=1):
            rows.append({"case_id": c, "seq": base + n, "kind": e.kind.value,
                         "occurred_at": e.occurred_at, "recorded_at": now, "actor": e.actor,
                         "reason": e.reason, "data": dict(e.data)})
    insert_rows(session, CaseEventRow.__table__, rows)


def case_fixes(session: Session, case_ids: Iterable[int]) -> Any:
    """The condition selecting these cases' fixes through em_fix's primary key: the devices each
    case has worn, and the case (a device may be worn by another person later)."""
    ids = sorted(set(case_ids))
    devices = sorted(set(session.scalars(select(EmDeviceRow.device_id)
                                         .where(EmDeviceRow.case_id.in_(ids)))))
    return and_(EmFixRow.device_id.in_(devices), EmFixRow.case_id.in_(ids))


def _ms(at: datetime) -> int:
    from probation.em.geofence.times import to_ms

    return to_ms(at)


_RUNTIMES: dict[str, EmRuntime] = {}
_RUNTIMES_LOCK = threading.Lock()


def runtime_for(session: Session, config: EngineConfig) -> EmRuntime:
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    with _RUNTIMES_LOCK:
        rt = _RUNTIMES.get(key)
        if rt is None:
            rt = _RUNTIMES[key] = EmRuntime(config)
        return rt


def reset_runtimes() -> None:
    """Forget every runtime (tests that recreate a database at the same URL)."""
    with _RUNTIMES_LOCK:
        _RUNTIMES.clear()


def note_change(session: Session, what: str, *, now: datetime) -> None:
    """Tell every runtime (in any process) that devices or zones changed."""
    session.add(EmChangeRow(at=now, what=what[:100]))
