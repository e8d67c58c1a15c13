"""End-to-end EM ingest: HTTP POST of position batches to `probation serve` until the alerts are
stored (the response is sent after the commit), on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.em_ingest [--cases 1000] [--batch 2000] [--seconds 10]
                                        [--backends sqlite,postgresql]

Figures: sustained fixes/s (two client threads sending batches back to back) and, paced at
2,500 fixes/s (batches of 500 every 0.2 s), the latency from sending a batch to its
acknowledgement, which is after its fixes and alerts are committed: p50 and p99. Client and
server share the machine's cores. Both databases run durably: SQLite with synchronous=FULL,
PostgreSQL with fsync and synchronous_commit on (its defaults).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import orjson
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, func, select, text

from probation.adapters.db import load_all_tables, migrate
from probation.adapters.db.engine import make_engine, make_session_factory
from probation.em.tables import EmAlertRow, EmFixRow

console = Console(width=120)
PROBATION = str(Path(sys.executable).parent / "probation")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(url: str, cases: int) -> list[str]:
    from tests.em.factories import em_case
    from tests.factories import seed_reference

    load_all_tables()
    engine = make_engine(url)
    migrate.upgrade(engine)
    devices = []
    with make_session_factory(engine).begin() as s:
        seed_reference(s)
        for i in range(cases):
            device = f"B-{i:05d}"
            em_case(s, crn=f"B{i:06d}", device=device, zone_half_m=120.0)
            devices.append(device)
    engine.dispose()
    return devices


def batches(devices: list[str], size: int, start: datetime, count: int) -> list[bytes]:
    """Each device walks a line across its zone (at Leeds centre, as in the tests) a little at a
    time; successive batches carry successive fixes, one every 15 s per device."""
    from tests.em.factories import CENTRE, offset

    out = []
    per = len(devices)
    k = 0
    for _ in range(count):
        recs = []
        for _ in range(size):
            d = k % per
            step = k // per
            north = -900 + (step * 25 + d * 37) % 1800
            lat, lon = offset(*CENTRE, north, (d % 7) * 15)
            t = start + timedelta(seconds=15 * step)
            recs.append({"device": devices[d], "time": t.isoformat().replace("+00:00", "Z"),
                         "lat": lat, "lon": lon, "accuracy_m": 8.0})
            k += 1
        out.append(orjson.dumps({"positions": recs}))
    return out


def serve(url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "PROBATION_DATABASE_URL": url, "PROBATION_ENV": "test"}
    proc = subprocess.Popen([PROBATION, "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def run(url: str, name: str, args: argparse.Namespace) -> dict[str, str]:
    devices = prepare(url, args.cases)
    proc, base = serve(url)
    try:
        token = httpx.post(f"{base}/api/token", json={"username": "em", "password": "test-password"})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}",
                   "Content-Type": "application/json"}
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
        n_batches = max(4, int(args.seconds * 40_000 / args.batch))
        data = batches(devices, args.batch, start, n_batches)
        # Sustained: two senders, batches back to back, in order per sender.
        done, rewound = [0], [0]
        lock = threading.Lock()
        it = iter(data)

        def sender() -> None:
            with httpx.Client(timeout=60, headers=headers) as c:
                while True:
                    with lock:
                        body = next(it, None)
                    if body is None:
                        return
                    r = c.post(f"{base}/api/em/ingest", content=body)
                    r.raise_for_status()
                    answer = r.json()
                    with lock:
                        done[0] += answer["accepted"]
                        rewound[0] += bool(answer["rewound_cases"])

        t0 = time.perf_counter()
        threads = [threading.Thread(target=sender) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        sustained = done[0] / (time.perf_counter() - t0)
        # Paced at 2,500 fixes/s: 500 fixes every 0.2 s, fresh times after the sustained run.
        paced = batches(devices, 500, start + timedelta(days=1), int(args.seconds * 5))
        latencies = []
        with httpx.Client(timeout=60, headers=headers) as c:
            next_at = time.perf_counter()
            for body in paced:
                now = time.perf_counter()
                if now < next_at:
                    time.sleep(next_at - now)
                sent = time.perf_counter()
                c.post(f"{base}/api/em/ingest", content=body).raise_for_status()
                latencies.append(time.perf_counter() - sent)
                next_at += 0.2
        latencies.sort()

        def pct(p: float) -> float:
            return latencies[min(len(latencies) - 1, math.ceil(p * len(latencies)) - 1)] * 1000

        engine = create_engine(url)
        with engine.connect() as conn:
            fixes = conn.scalar(select(func.count()).select_from(EmFixRow))
            alerts = conn.scalar(select(func.count()).select_from(EmAlertRow)
                                 .where(EmAlertRow.superseded_at.is_(None)))
            superseded = conn.scalar(select(func.count()).select_from(EmAlertRow)
                                     .where(EmAlertRow.superseded_at.is_not(None)))
        engine.dispose()
        return {"backend": name, "cases": str(args.cases), "batch": str(args.batch),
                "sustained fixes/s": f"{sustained:,.0f}",
                "batches late": f"{rewound[0]}/{len(data)}", "p50 ms @2,500/s": f"{pct(0.5):.0f}",
                "p99 ms @2,500/s": f"{pct(0.99):.0f}", "fixes stored": f"{fixes:,}",
                "alerts standing": f"{alerts:,}", "superseded": f"{superseded:,}"}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    rows = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            tmp = Path(tempfile.mkdtemp(prefix="bench-em-"))
            try:
                rows.append(run(f"sqlite:///{tmp / 'em.sqlite3'}", "SQLite", args))
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        elif backend == "postgresql":
            from tests import pg

            # PostgreSQL's own durability settings (the test cluster turns fsync off): a fix is
            # on disk before it is acknowledged, as SQLite's synchronous=FULL gives.
            server = pg.start(durable=True)
            try:
                admin = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text("CREATE DATABASE bench_em"))
                admin.dispose()
                rows.append(run(server.url("bench_em"), "PostgreSQL", args))
            finally:
                server.stop()
    table = Table(title="EM ingest, HTTP to alert stored (python -m bench.em_ingest)")
    for col in rows[0]:
        table.add_column(col, justify="right")
    for r in rows:
        table.add_row(*r.values())
    console.print(table)


if __name__ == "__main__":
    main()
