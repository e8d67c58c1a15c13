"""The assurance report: the bulk obligations engine over every case in scope, aggregated per
specification row, provider, team and equalities group (analytics/assurance.py).

Commissioners and administrators only. Commissioners see aggregates with small cells suppressed
in the equalities breakdowns; administrators may see them unsuppressed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import CaseRow
from probation.analytics.assurance import AssuranceReport, build_report, dimensions
from probation.domain.errors import Forbidden, InvalidValue
from probation.domain.roles import Role
from probation.rules.bulk import BulkEngine
from probation.rules.obligations import ObligationsEngine
from probation.services import audit
from probation.services.context import Actor
from probation.services.obligations import per_case as obligations
from probation.services.obligations.bulk import load_frames

ASSURERS = {Role.COMMISSIONER, Role.ADMINISTRATOR}
Progress = Callable[[str], None]


def ensure_can_assure(actor: Actor) -> None:
    if actor.role not in ASSURERS:
        raise Forbidden(f"the {actor.role.label} role cannot see the assurance report", field="role",
                        value=actor.role.value, rule="assurance is for commissioners and administrators")


@dataclass(frozen=True, kw_only=True)
class AssuranceQuery:
    as_of: date
    provider: str | None = None
    team: str | None = None
    period_from: date | None = None  # obligations due on or after
    period_to: date | None = None  # obligations due on or before

    def __post_init__(self) -> None:
        if self.period_from and self.period_to and self.period_from > self.period_to:
            raise InvalidValue(f"period from {self.period_from} is after period to {self.period_to}",
                               field="from", value=self.period_from.isoformat(),
                               rule="a period starts on or before it ends")

    def filters(self) -> dict[str, str | None]:
        return {"provider": self.provider, "team": self.team,
                "from": self.period_from.isoformat() if self.period_from else None,
                "to": self.period_to.isoformat() if self.period_to else None}


@dataclass(frozen=True, kw_only=True)
class AssuranceResult:
    report: AssuranceReport
    titles: dict[tuple[str, int], str]
    cases: int
    obligations: int
    seconds: dict[str, float]


def run(session: Session, actor: Actor, query: AssuranceQuery, *, now: datetime, suppress: bool | None = None,
        contract_file: str | None = None, progress: Progress | None = None) -> AssuranceResult:
    import time

    ensure_can_assure(actor)
    say = progress or (lambda _: None)
    eng = obligations.engine(contract_file)
    where = []
    if query.provider:
        where.append(CaseRow.organisation_code == query.provider)
    if query.team:
        where.append(CaseRow.team_code == query.team)
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    say("reading the caseload")
    cases, reqs, events = load_frames(session, query.as_of, eng, where=where, bulk=True)
    seconds["read"] = time.perf_counter() - t
    t = time.perf_counter()
    say(f"evaluating {len(eng.rows)} rows over {cases.height:,} cases")
    result = _evaluate_by_contract(session, eng, cases, reqs, events, query.as_of, per_provider=contract_file is None)
    if query.period_from:
        result = result.filter(pl.col("due") >= query.period_from)
    if query.period_to:
        result = result.filter(pl.col("due") <= query.period_to)
    seconds["evaluate"] = time.perf_counter() - t
    t = time.perf_counter()
    say("aggregating")
    report = build_report(result, dimensions(cases, query.as_of), query.as_of,
                          suppress=actor.role is Role.COMMISSIONER if suppress is None else suppress,
                          filters=query.filters())
    seconds["aggregate"] = time.perf_counter() - t
    audit.record(session, actor, "read", None, f"assurance report as of {query.as_of} {query.filters()}", at=now)
    titles = {key: row.output for key, row in eng.catalogue.rows.items()}
    return AssuranceResult(report=report, titles=titles, cases=cases.height, obligations=result.height,
                           seconds=seconds)


def _evaluate_by_contract(session: Session, default: ObligationsEngine, cases: pl.DataFrame, reqs: pl.DataFrame,
                          events: pl.DataFrame, as_of: date, *, per_provider: bool) -> pl.DataFrame:
    """Each provider's cases under its own stored contract (options bought, timescale overrides);
    providers without one, and every case when a contract file is named, under `default`."""
    from probation.adapters.db.tables_admin import ProviderContractRow

    providers = set(session.scalars(select(ProviderContractRow.organisation_code))) if per_provider else set()
    providers &= set(cases["organisation_code"].unique().to_list())
    if not providers:
        return BulkEngine(default).evaluate(cases, reqs, events, as_of)
    parts = []
    own = pl.col("organisation_code").is_in(sorted(providers))
    groups = [(default, cases.filter(~own))] + [
        (obligations.engine_for_provider(session, code), cases.filter(pl.col("organisation_code") == code))
        for code in sorted(providers)]
    for eng, subset in groups:
        if subset.height:
            ids = subset["case_id"].to_list()
            parts.append(BulkEngine(eng).evaluate(subset, reqs.filter(pl.col("case_id").is_in(ids)),
                                                  events.filter(pl.col("case_id").is_in(ids)), as_of))
    return pl.concat(parts, how="vertical")
