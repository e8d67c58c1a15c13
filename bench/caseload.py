"""Caseload list and case page latency on a national-scale database, one user, from a local client.

    .venv/bin/python -m bench.caseload [--people 250000] [--requests 1000] [--database-url URL]

Seeds the database with `probation seed` unless --database-url names one already seeded, starts
`probation serve` on a free local port, signs in as the demo practitioner and times sequential
requests (keep-alive) for the caseload page, caseload searches and case pages, web and API.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

console = Console()
PROBATION = str(Path(sys.executable).with_name("probation"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def timed(client: httpx.Client, paths: list[str], label: str, progress: Progress, **kw: object) -> list[float]:
    task = progress.add_task(label, total=len(paths))
    out = []
    for path in paths:
        t = time.perf_counter()
        r = client.get(path, **kw)  # type: ignore[arg-type]
        out.append((time.perf_counter() - t) * 1000)
        if r.status_code != 200:
            raise RuntimeError(f"{path}: {r.status_code} {r.text[:200]}")
        progress.advance(task)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--people", type=int, default=250_000)
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--database-url", default=None)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-caseload-")
    url = args.database_url or f"sqlite:///{tmp}/caseload.sqlite3"
    env = {**os.environ, "PROBATION_DATABASE_URL": url, "PROBATION_ENV": "development"}
    if args.database_url is None:
        console.print(f"seeding {args.people:,} people into {url}")
        subprocess.run([PROBATION, "seed", "--people", str(args.people), "--seed", "7"], env=env, check=True)
    port = free_port()
    server = subprocess.Popen([PROBATION, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.time() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.2)
        results = run(base, args.requests)
    finally:
        server.terminate()
        server.wait(timeout=20)
    table = Table("request", "n", "p50 ms", "p95 ms", "max ms")
    for label, values in results.items():
        table.add_row(label, str(len(values)), f"{percentile(values, 50):.1f}", f"{percentile(values, 95):.1f}",
                      f"{max(values):.1f}")
    console.print(f"caseload latency, {args.people:,} people, {url.split(':')[0]}, one user, sequential")
    console.print(table)


def run(base: str, n: int) -> dict[str, list[float]]:
    rng = random.Random(11)
    with httpx.Client(base_url=base, timeout=30) as web, httpx.Client(base_url=base, timeout=30) as api:
        page = web.get("/sign-in").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        web.post("/sign-in", data={"username": "practitioner", "password": "demo", "csrf_token": csrf})
        token = api.post("/api/token", json={"username": "practitioner", "password": "demo"}).json()["access_token"]
        api.headers["Authorization"] = f"Bearer {token}"
        team = api.get("/api/caseload", params={"scope": "all", "size": 200}).json()
        crns = [i["crn"] for i in team["items"]]
        names = sorted({i["name"].split()[-1][:3].lower() for i in team["items"]})
        pages = max(1, team["pages"])
        with Progress(console=console, transient=True) as progress:
            return {
                "web caseload page": timed(web, [f"/caseload?scope=all&page={rng.randint(1, pages)}"
                                                 for _ in range(n)], "caseload", progress),
                "web caseload search": timed(web, [f"/caseload?scope=all&q={rng.choice(names)}" for _ in range(n)],
                                             "search", progress),
                "web case page": timed(web, [f"/cases/{rng.choice(crns)}" for _ in range(n)], "case page", progress),
                "api caseload": timed(api, [f"/api/caseload?scope=all&page={rng.randint(1, pages)}"
                                            for _ in range(n)], "api caseload", progress),
                "api person record": timed(api, [f"/api/people/{rng.choice(crns)}" for _ in range(n)],
                                           "api person", progress),
            }


if __name__ == "__main__":
    main()
