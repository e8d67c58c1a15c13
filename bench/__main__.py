"""Run every benchmark in turn (`make bench`); each prints its own figures.

    .venv/bin/python -m bench [seed caseload assurance geofence em_ingest] [--people N]

The caseload and assurance benchmarks share one national-scale SQLite database, seeded once here.
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCHMARKS = ["seed", "caseload", "assurance", "geofence", "em_ingest"]
SHARED_DB = {"caseload", "assurance"}
PROBATION = str(Path(sys.executable).with_name("probation"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("only", nargs="*", help="benchmarks to run (default: all)")
    ap.add_argument("--people", type=int, default=250_000)
    args = ap.parse_args()
    chosen = [b for b in BENCHMARKS if not args.only or b in args.only]
    shared_url = None
    if SHARED_DB & set(chosen):
        shared_url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-')}/national.sqlite3"
        print(f"== seeding {args.people:,} people once for {', '.join(sorted(SHARED_DB & set(chosen)))}", flush=True)
        started = time.perf_counter()
        env = {**os.environ, "PROBATION_DATABASE_URL": shared_url, "PROBATION_ENV": "development"}
        subprocess.run([PROBATION, "seed", "--people", str(args.people), "--seed", "7", "--as-of", "2026-11-23"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"   seeded in {time.perf_counter() - started:.1f} s", flush=True)
    for name in chosen:
        module = importlib.import_module(f"bench.{name}")
        print(f"\n== bench.{name}", flush=True)
        started = time.perf_counter()
        saved = sys.argv
        argv = [f"bench.{name}"]
        if name in SHARED_DB:
            argv += ["--database-url", str(shared_url)]
        elif name in ("seed",):
            argv += ["--people", str(args.people)]
        sys.argv = argv
        try:
            module.main()
        finally:
            sys.argv = saved
        print(f"== bench.{name} finished in {time.perf_counter() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
