"""Run every benchmark in turn (`make bench`). Each prints its own figures."""

from __future__ import annotations

import importlib
import sys
import time

# Order matters little; the caseload benchmark seeds its own 250,000-person databases.
BENCHMARKS = ["bench.seed", "bench.caseload", "bench.geofence", "bench.assurance"]


def main() -> None:
    only = set(sys.argv[1:])
    for name in BENCHMARKS:
        if only and name.split(".")[-1] not in only:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            print(f"== {name}: not available ({exc})")
            continue
        print(f"\n== {name}", flush=True)
        started = time.perf_counter()
        saved = sys.argv
        sys.argv = [name]
        try:
            module.main()
        finally:
            sys.argv = saved
        print(f"== {name} finished in {time.perf_counter() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
