"""Reliability of ingest: `probation serve` is killed with SIGKILL while a stream of fixes is being
sent; after a restart and a retry of every batch not acknowledged, each fix is stored exactly once
and the alerts are exactly those of a clean run (none lost, none doubled)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from probation.adapters.db import migrate
from probation.adapters.db.engine import make_engine, make_session_factory
from probation.em.tables import EmAlertRow, EmFixRow
from tests.em.factories import CENTRE, em_case, fix, offset
from tests.factories import PASSWORD, seed_reference

DEVICES = [f"REL-{i}" for i in range(4)]
BATCH = 150
PROBATION = str(Path(sys.executable).parent / "probation")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stream(start: datetime) -> list[list[dict[str, Any]]]:
    """Each device walks a figure through and around its zone (with jitter and a gap), one fix
    every 20 s; fixes are interleaved across devices and cut into batches."""
    fixes = []
    for d, device in enumerate(DEVICES):
        for i in range(300):
            if 140 <= i < 150:
                continue  # a gap in the signal
            phase = (i % 60) / 60.0
            north = -700 + 1400 * abs(2 * phase - 1) * (1 if d % 2 else -1) * 0.9
            east = 40 * ((i * 7 + d) % 5 - 2)  # jitter
            lat, lon = offset(*CENTRE, north, east)
            fixes.append((i, d, fix(device, start + timedelta(seconds=20 * i), lat, lon, accuracy_m=8)))
    fixes.sort(key=lambda x: (x[0], x[1]))
    flat = [f for _, _, f in fixes]
    return [flat[k:k + BATCH] for k in range(0, len(flat), BATCH)]


class Server:
    def __init__(self, db: Path) -> None:
        self.port = _free_port()
        self.env = {**os.environ, "PROBATION_DATABASE_URL": f"sqlite:///{db}", "PROBATION_ENV": "test"}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen([PROBATION, "serve", "--port", str(self.port)], env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def _prepare(db: Path) -> None:
    engine = make_engine(f"sqlite:///{db}")
    migrate.upgrade(engine)
    with make_session_factory(engine).begin() as s:
        seed_reference(s)
        for i, device in enumerate(DEVICES):
            em_case(s, crn=f"R10000{i}", device=device, zone_half_m=150.0)
    engine.dispose()


def _token(url: str) -> dict[str, str]:
    r = httpx.post(f"{url}/api/token", json={"username": "em", "password": PASSWORD}, timeout=10)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _send(url: str, headers: dict[str, str], batch: list[dict[str, Any]]) -> dict[str, Any]:
    r = httpx.post(f"{url}/api/em/ingest", json={"positions": batch}, headers=headers, timeout=30)
    r.raise_for_status()
    return dict(r.json())


def _stored(db: Path) -> tuple[set[tuple[str, int, str]], list[tuple[str, str, str | None, Any]]]:
    engine = make_engine(f"sqlite:///{db}")
    with make_session_factory(engine)() as s:
        fixes = {tuple(r) for r in s.execute(select(EmFixRow.device_id, EmFixRow.t_ms, EmFixRow.source))}
        alerts = sorted((a.id, a.kind, a.zone_id, a.alert_at) for a in s.scalars(select(EmAlertRow)))
        total = len(list(s.execute(select(EmFixRow.device_id))))
    engine.dispose()
    assert total == len(fixes)
    return fixes, alerts  # type: ignore[return-value]


def test_a_killed_server_loses_and_doubles_nothing(tmp_path: Path) -> None:
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    batches = _stream(start)
    # Clean run.
    clean_db = tmp_path / "clean.sqlite3"
    _prepare(clean_db)
    server = Server(clean_db)
    server.start()
    try:
        headers = _token(server.url)
        for b in batches:
            _send(server.url, headers, b)
    finally:
        server.stop()
    # Killed run: a sender thread streams; the server is killed mid-stream.
    db = tmp_path / "killed.sqlite3"
    _prepare(db)
    server = Server(db)
    server.start()
    acked: set[int] = set()
    headers = _token(server.url)

    def sender() -> None:
        for k, b in enumerate(batches):
            try:
                _send(server.url, headers, b)
                acked.add(k)
            except httpx.HTTPError:
                return

    thread = threading.Thread(target=sender)
    thread.start()
    while len(acked) < len(batches) // 2:
        time.sleep(0.01)
    server.kill()
    thread.join(timeout=60)
    assert len(acked) < len(batches), "the kill must land mid-stream"
    server.start()
    try:
        headers = _token(server.url)
        for k, b in enumerate(batches):
            if k not in acked:  # the client retries what was not acknowledged
                _send(server.url, headers, b)
        # A retry of an acknowledged batch (a lost response) is harmless too.
        again = _send(server.url, headers, batches[0])
        assert again["accepted"] == 0 and again["alerts"] == []
    finally:
        server.stop()
    clean_fixes, clean_alerts = _stored(clean_db)
    fixes, alerts = _stored(db)
    assert len(clean_fixes) == sum(len(b) for b in batches)
    assert fixes == clean_fixes
    assert len(clean_alerts) > 0
    assert alerts == clean_alerts
