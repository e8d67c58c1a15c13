"""Seeding a national-scale caseload: time and peak memory, SQLite and PostgreSQL.

    .venv/bin/python -m bench.seed [--people 250000] [--seed 1] [--database-url URL]
                                   [--workers N] [--backends sqlite,postgresql]

Without --database-url it seeds a temporary SQLite file and then a throwaway PostgreSQL server
started from the machine's binaries (tests/pg.py; fsync off, as in the tests). With
--database-url it seeds that (empty) database only. Peak memory is the resident set size high
-water mark of this process and, separately, of the largest generator worker process.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from probation.adapters.db.engine import make_engine
from probation.adapters.db.migrate import upgrade
from probation.services.seed.loader import SeedSummary, progress_bar, seed_database

console = Console(width=120)
AS_OF = date(2026, 5, 1)  # fixed, so every run seeds the same caseload


def _maxrss_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def seed_once(url: str, *, people: int, seed: int, workers: int | None) -> tuple[SeedSummary, float]:
    engine = make_engine(url)
    try:
        upgrade(engine)
        started = time.perf_counter()
        with progress_bar(people) as on_progress:
            summary = seed_database(engine, people=people, seed=seed, as_of=AS_OF, workers=workers,
                                    on_progress=on_progress)
        return summary, time.perf_counter() - started
    finally:
        engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=int, default=250_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--workers", type=int, default=None, help="generator processes (default: CPUs)")
    ap.add_argument("--backends", default="sqlite,postgresql")
    args = ap.parse_args()

    targets: list[tuple[str, str]] = []
    cleanup: list[Callable[[], object]] = []
    if args.database_url:
        targets.append((args.database_url.split(":", 1)[0], args.database_url))
    else:
        backends = set(args.backends.split(","))
        if "sqlite" in backends:
            tmp = Path(tempfile.mkdtemp(prefix="bench-seed-"))
            cleanup.append(lambda: shutil.rmtree(tmp, ignore_errors=True))
            targets.append(("sqlite", f"sqlite:///{tmp / 'seed.sqlite3'}"))
        if "postgresql" in backends:
            try:
                from tests import pg
                server = pg.start()
            except Exception as exc:  # no binaries on this machine: say so, measure the rest
                console.print(f"[yellow]PostgreSQL not measured:[/yellow] {exc}")
            else:
                cleanup.append(server.stop)
                server.run(str(server.bin / "createdb"), "-h", "127.0.0.1", "-p", str(server.port),
                           "-U", "postgres", "bench_seed")
                targets.append(("postgresql", server.url("bench_seed")))

    table = Table(title=f"Seeding {args.people:,} people (seed {args.seed})")
    for column in ("database", "seconds", "people/s", "requirements", "events", "peak RSS MiB",
                   "worker peak RSS MiB", "file MiB"):
        table.add_column(column, justify="right")
    try:
        for name, url in targets:
            console.print(f"seeding {args.people:,} people into {name}")
            summary, seconds = seed_once(url, people=args.people, seed=args.seed, workers=args.workers)
            size = ""
            if url.startswith("sqlite:///"):
                path = Path(url.removeprefix("sqlite:///"))
                size = f"{sum(p.stat().st_size for p in path.parent.glob(path.name + '*')) / 2**20:,.0f}"
            table.add_row(name, f"{seconds:.1f}", f"{summary.people / seconds:,.0f}",
                          f"{summary.requirements:,}", f"{summary.events:,}",
                          f"{_maxrss_mib(resource.RUSAGE_SELF):,.0f}",
                          f"{_maxrss_mib(resource.RUSAGE_CHILDREN):,.0f}", size)
    finally:
        for step in reversed(cleanup):
            step()
    console.print(table)
    console.print("peak RSS is cumulative over the run (the highest of the databases seeded so far)")


if __name__ == "__main__":
    main()
