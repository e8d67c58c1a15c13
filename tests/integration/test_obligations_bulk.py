"""The bulk path from the database (set-based loader + Polars engine) gives the same obligations as
the per-case path (per-case loader + engine) on a seeded caseload, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from probation.adapters.db.engine import make_engine, make_session_factory
from probation.rules.bulk import BulkEngine
from probation.rules.statuses import ObligationStatus
from probation.services.obligations import per_case as obligations
from probation.services.obligations.bulk import load_frames
from probation.services.seed.loader import seed_database

AS_OF = date(2026, 11, 23)


def test_bulk_from_the_database_equals_per_case_on_a_seeded_caseload(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        seed_database(engine, people=60, seed=3, as_of=AS_OF, workers=1)
        eng = obligations.engine()
        with make_session_factory(engine)() as session:
            cases, reqs, events = load_frames(session, AS_OF, eng)
            bulk = BulkEngine(eng).evaluate(cases, reqs, events, AS_OF)
            from_bulk = {tuple(r) for r in bulk.select("case_id", "spec_id", "row", "occurrence", "status",
                                                       "opens", "due", "met_on", "evidence_id",
                                                       "trigger_id").iter_rows()}
            per_case = set()
            for case_id in cases["case_id"].to_list():
                result = obligations.evaluate_case(session, case_id, AS_OF, include_not_applicable=False)
                per_case |= {(o.case_id, o.spec_id, o.row, o.occurrence, o.status.value, o.opens, o.due, o.met_on,
                              o.evidence.id if o.evidence else None, o.trigger.id if o.trigger else None)
                             for o in result.obligations if o.status is not ObligationStatus.NOT_APPLICABLE}
    finally:
        engine.dispose()
    assert cases.height == 60
    assert from_bulk == per_case
    assert {r[4] for r in from_bulk} >= {"met", "overdue"}
