"""Assurance over a national-scale caseload: the bulk (Polars) engine from the database to the finished
report, against the same rules evaluated case by case in Python, with identical results.

    .venv/bin/python -m bench.assurance [--people 250000] [--sample 2000] [--database-url URL]

Seeds a temporary SQLite database with `probation seed --people N --seed 7` unless --database-url
names one already seeded. The per-case run is timed on a random sample of cases and extrapolated
to the whole caseload (a full run would take hours); the output says so.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

console = Console()
PROBATION = str(Path(sys.executable).with_name("probation"))
AS_OF = date(2026, 11, 23)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--people", type=int, default=250_000)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--latency", type=int, default=300)
    ap.add_argument("--database-url", default=None)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-assurance-")
    url = args.database_url or f"sqlite:///{tmp}/assurance.sqlite3"
    if args.database_url is None:
        console.print(f"seeding {args.people:,} people into {url}")
        env = {**os.environ, "PROBATION_DATABASE_URL": url, "PROBATION_ENV": "development"}
        subprocess.run([PROBATION, "seed", "--people", str(args.people), "--seed", "7", "--as-of",
                        AS_OF.isoformat(), "--no-progress"], env=env, check=True, stdout=subprocess.DEVNULL)
    run(url, args.sample, args.latency)


def run(url: str, sample: int, latency: int) -> None:
    from probation.adapters.db.engine import make_engine, make_session_factory
    from probation.rules.bulk import BulkEngine
    from probation.rules.statuses import ObligationStatus
    from probation.services import assurance
    from probation.services.context import Actor
    from probation.services.obligations import per_case as obligations
    from probation.services.obligations.bulk import load_frames
    from probation.services.obligations.facts import load_case_facts, load_events

    now = datetime.now(UTC)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    eng = obligations.engine()
    with sessions() as session:
        t = time.perf_counter()
        result = assurance.run(session, Actor.system(), assurance.AssuranceQuery(as_of=AS_OF), now=now,
                               suppress=True)
        report_json = result.report.to_json(result.titles)
        report_csv = result.report.to_csv(result.titles)
        bulk_total = time.perf_counter() - t
        session.rollback()
        cases_n = result.cases
        # The bulk obligations themselves, for the identity check.
        frames = load_frames(session, AS_OF, eng, bulk=True)
        bulk = BulkEngine(eng).evaluate(*frames, AS_OF)
        ids = frames[0]["case_id"].to_list()
        rng = random.Random(7)
        chosen = rng.sample(ids, min(sample, len(ids)))
        chosen_set = set(chosen)
        from_bulk = {tuple(r) for r in bulk.filter(bulk["case_id"].is_in(chosen)).select(
            "case_id", "spec_id", "row", "occurrence", "status", "opens", "due", "met_on", "evidence_id",
            "trigger_id").iter_rows()}
        # Case by case in Python: facts read per case, then the per-case engine.
        per_case: set[tuple[object, ...]] = set()
        facts = []
        t = time.perf_counter()
        for case_id in chosen:
            _, record = load_case_facts(session, case_id, AS_OF)
            events = load_events(session, case_id)
            facts.append((record, events))
            for o in eng.evaluate(record, events, AS_OF, include_not_applicable=False):
                if o.status is not ObligationStatus.NOT_APPLICABLE:
                    per_case.add((o.case_id, o.spec_id, o.row, o.occurrence, o.status.value, o.opens, o.due,
                                  o.met_on, o.evidence.id if o.evidence else None,
                                  o.trigger.id if o.trigger else None))
        with_read = time.perf_counter() - t
        t = time.perf_counter()
        for record, events in facts:
            eng.evaluate(record, events, AS_OF, include_not_applicable=False)
        engine_only = time.perf_counter() - t
        identical = per_case == from_bulk and all(c[0] in chosen_set for c in per_case)
        # One case's obligations, database read included (the API and case page path).
        lat = []
        for case_id in rng.sample(ids, min(latency, len(ids))):
            t = time.perf_counter()
            obligations.evaluate_case(session, case_id, AS_OF)
            lat.append((time.perf_counter() - t) * 1000)
    engine.dispose()
    scale = cases_n / max(1, len(chosen))
    per_case_full = with_read * scale
    engine_full = engine_only * scale
    table = Table("measure", "value")
    table.add_row("cases / obligations (bulk)", f"{cases_n:,} / {result.obligations:,}")
    table.add_row("full assurance, database to finished JSON+CSV report",
                  f"{bulk_total:.1f} s ({', '.join(f'{k} {v:.1f} s' for k, v in result.seconds.items())})")
    table.add_row(f"per case in Python, sample of {len(chosen):,} (facts read per case)", f"{with_read:.1f} s")
    table.add_row("  extrapolated to every case", f"{per_case_full:,.0f} s")
    table.add_row("per case in Python, engine only on the same sample", f"{engine_only:.1f} s")
    table.add_row("  extrapolated to every case", f"{engine_full:,.0f} s")
    table.add_row("speed-up, bulk vs per case with reads", f"{per_case_full / bulk_total:,.0f}x")
    table.add_row("speed-up, bulk vs per-case engine only", f"{engine_full / bulk_total:,.0f}x")
    table.add_row("identical results on the sample", "yes" if identical else "NO")
    table.add_row(f"one case's obligations incl. database read, n={len(lat)}",
                  f"p50 {statistics.median(lat):.1f} ms, p95 {statistics.quantiles(lat, n=100)[94]:.1f} ms")
    table.add_row("report size", f"{len(report_json['rows'])} rows, CSV {len(report_csv):,} bytes")
    console.print(f"assurance as of {AS_OF}, {url.split(':')[0]}; per-case timed on a sample and extrapolated")
    console.print(table)
    if not identical:
        raise SystemExit("bulk and per-case results differ")


if __name__ == "__main__":
    main()
