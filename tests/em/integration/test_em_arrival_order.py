"""The alerts standing after ingest do not depend on the order in which batches arrive (issue 6
item 3: late and out-of-order fixes are evaluated in fix-time order per person).

Each order is ingested into its own fresh database through the service the HTTP endpoint
calls; the standing alerts (not superseded) must be those of the in-order delivery, whatever
base state the rewind starts from: the undo records, the checkpoint, or the first fix."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from probation.adapters.db import load_all_tables, migrate
from probation.adapters.db.engine import make_engine, make_session_factory
from probation.em.geofence import (
    DeviceEvent,
    EngineConfig,
    FixBatch,
    GeofenceEngine,
    ZoneBook,
)
from probation.em.geofence.times import parse_time, to_ms
from probation.em.services import runtime as em_runtime
from probation.em.services.ingest import ingest
from probation.em.tables import EmAlertRow
from probation.services.context import Actor
from tests.conftest import NOW
from tests.em.factories import CENTRE, em_case, fix, offset
from tests.factories import seed_reference

START = NOW - timedelta(hours=3)
# Three people crossing the same 100 m exclusion zone: straight through, clipping a corner, and
# passing 160 m east of it (approach only); a fix a minute, 100 m apart, with a strap tamper.
PATHS = {"DEV-A": 0.0, "DEV-B": 90.0, "DEV-C": 160.0}


def trail() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    fixes = []
    for device, east in PATHS.items():
        for i in range(13):
            lat, lon = offset(*CENTRE, -600 + i * 100, east)
            fixes.append(fix(device, START + timedelta(minutes=i), lat, lon))
    events = [{"device": "DEV-B", "time": fixes[20]["time"], "event": "strap_tamper"}]
    return fixes, events


def batches() -> list[bytes]:
    """Two minutes of every device's fixes a batch: seven batches in fix-time order."""
    fixes, events = trail()

    def window(r: dict[str, object]) -> int:
        return int((parse_time(r["time"]) - START).total_seconds() // 120)

    return [orjson.dumps({"positions": [f for f in fixes if window(f) == k],
                          "events": [e for e in events if window(e) == k]}) for k in range(7)]


@pytest.fixture
def fresh_db(new_database: Callable[[], str]) -> Callable[[], str]:
    """Each arrival order needs its own database; PostgreSQL stores new alerts by its own path
    (COPY and INSERT ... SELECT), so both backends run."""
    return new_database


def standing_after(url: str, bodies: list[bytes], history: list[tuple[set[str], set[str]]]
                   | None = None) -> tuple[set[str], set[str]]:
    """Ingest `bodies` in this order into the fresh database at `url`: the standing and
    superseded ids. After every batch, the standing alerts are those a fresh engine raises from
    everything delivered so far, evaluated at once in fix-time order."""
    em_runtime.reset_runtimes()
    load_all_tables()
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        sessions = make_session_factory(engine)
        with sessions.begin() as s:
            seed_reference(s)
            for n, device in enumerate(PATHS):
                em_case(s, crn=f"E10000{n}", device=device)
        with sessions() as s:
            book, _ = em_runtime.build_book(s)
        for n, body in enumerate(bodies, start=1):
            ingest(sessions, Actor.system(channel="api"), body, "application/json", now=NOW,
                   config=EngineConfig())
            standing, superseded = alerts_in(sessions)
            assert standing == fix_time_order(book, bodies[:n]), f"after {n} batches"
            if history is not None:
                history.append((standing, superseded))
        return standing, superseded
    finally:
        engine.dispose()
        em_runtime.reset_runtimes()


def alerts_in(sessions: Any) -> tuple[set[str], set[str]]:
    with sessions() as s:
        rows = s.execute(select(EmAlertRow.id, EmAlertRow.superseded_at)).all()
    return {i for i, gone in rows if gone is None}, {i for i, gone in rows if gone is not None}


def fix_time_order(book: ZoneBook, bodies: list[bytes]) -> set[str]:
    fixes, events = [], []
    for body in bodies:
        data = orjson.loads(body)
        fixes += [(f["device"], to_ms(parse_time(f["time"])), f["lat"], f["lon"], f["accuracy_m"])
                  for f in data["positions"]]
        events += [DeviceEvent(device=e["device"], time_ms=to_ms(parse_time(e["time"])),
                               event=e["event"], line=0) for e in data.get("events", [])]
    batch = FixBatch.from_rows((*f, n) for n, f in enumerate(sorted(fixes), start=1))
    result = GeofenceEngine(book, EngineConfig()).evaluate(batch, events, now=NOW)
    return {a.id for a in result.alerts}


@pytest.fixture
def in_order(fresh_db: Callable[[], str]) -> tuple[str, set[str]]:
    """The database of the in-order delivery and its standing alerts."""
    url = fresh_db()
    standing, superseded = standing_after(url, batches())
    assert not superseded
    return url, standing


def orders() -> Iterator[list[int]]:
    rng = random.Random(20261123)
    yield [6, 5, 4, 3, 2, 1, 0]  # everything late but the first to arrive
    yield [0, 2, 1, 3, 5, 4, 6]  # neighbours swapped
    for _ in range(4):
        order = list(range(7))
        rng.shuffle(order)
        yield order


@pytest.mark.parametrize("base", ["undo records", "checkpoint", "first fix on record"])
def test_any_arrival_order_leaves_the_alerts_of_fix_time_order(
        fresh_db: Callable[[], str], in_order: tuple[str, set[str]], base: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if base == "checkpoint":  # no undo records; a checkpoint after every batch
        monkeypatch.setattr(em_runtime, "UNDO_BATCHES", 0)
        monkeypatch.setattr(em_runtime, "CHECKPOINT_EVERY_BATCHES", 1)
    elif base == "first fix on record":  # neither: replay from the empty state
        monkeypatch.setattr(em_runtime, "UNDO_BATCHES", 0)
        monkeypatch.setattr(em_runtime, "CHECKPOINT_EVERY_BATCHES", 10**9)
        monkeypatch.setattr(em_runtime, "CHECKPOINT_EVERY_S", 10**9)
    bodies = batches()
    superseded_somewhere = False
    url, expected = in_order
    assert {"entry", "approach", "tamper"} <= kinds_of(expected, url)
    for order in orders():
        standing, superseded = standing_after(fresh_db(), [bodies[k] for k in order])
        assert standing == expected, f"arrival order {order}"
        superseded_somewhere |= bool(superseded)
    # The walk has sparse fixes, so an early gap raises inferred crossings a late batch replaces.
    assert superseded_somewhere


def kinds_of(ids: set[str], url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as s:
            return set(s.scalars(select(EmAlertRow.kind).where(EmAlertRow.id.in_(ids))))
    finally:
        engine.dispose()


def test_a_state_computed_before_a_late_fix_is_never_a_base_for_a_later_rewind(
        fresh_db: Callable[[], str]) -> None:
    """m1 (inside) arrives after m2 and m3 (5 m outside, 30 m accuracy: not clearly out). The
    state saved before m3 said "outside": after m1 it is wrong, so when m2.5 arrives late it
    must not be the base, or m4 (inside) would raise an entry that fix-time order does not."""
    bodies = [at(0, 600), at(2, 105, 30), at(3, 105, 30), at(1, 0), at(4, 0), at(2.5, 105, 30),
              at(5, 600), at(6, 0)]
    standing, _ = standing_after(fresh_db(), bodies)
    assert len(standing) >= 3  # entries at m1 and m6, the exit before m5


def at(minutes: float, north: float, accuracy: float = 5.0) -> bytes:
    lat, lon = offset(*CENTRE, north, 0)
    return orjson.dumps({"positions": [fix("DEV-A", START + timedelta(minutes=minutes), lat, lon,
                                           accuracy_m=accuracy)]})


def test_an_alert_superseded_by_one_late_fix_stands_again_when_another_puts_it_back(
        fresh_db: Callable[[], str]) -> None:
    """Approach at m2 (150 m north, within the 100 m approach distance of the 100 m zone).
    m1 at the same place arrives late: the approach is at m1, the one at m2 is superseded. Then
    m1.5, far away, arrives late: the person left between, so the approach at m2 is raised again
    and must stand again (the same id: person, zone, kind, time)."""
    history: list[tuple[set[str], set[str]]] = []
    standing_after(fresh_db(), [at(0, 600), at(2, 150), at(1, 150), at(1.5, 600)], history)
    (after_m2, _), (_, superseded), (final, final_superseded) = history[1], history[2], history[3]
    approach_m2 = after_m2 - history[0][0]
    assert len(approach_m2) == 1 and approach_m2 <= superseded
    assert approach_m2 <= final and not approach_m2 & final_superseded
