"""The assurance report's figures against a plain count over the same obligations: per row, per
provider and per equalities group, with small cells suppressed for commissioners."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from probation.analytics.assurance import BREAKDOWNS, COUNTS, SUPPRESS_BELOW, build_report

STATUSES = ["met", "met_late", "overdue", "due", "not_yet_due", "awaiting_evidence"]
AS_OF = date(2026, 11, 23)

obligation = st.tuples(st.integers(1, 12), st.sampled_from(["manage", "rar"]), st.integers(1, 3),
                       st.sampled_from(STATUSES))
person = st.tuples(st.sampled_from(["NPS-NE", "CRC-A"]), st.sampled_from(["T1", "T2", "T3"]),
                   st.sampled_from(["Male", "Female"]), st.sampled_from(["White", "Black", "Not recorded"]),
                   st.sampled_from(["18-24", "25-34"]), st.sampled_from(["Disabled", "Not disabled"]))


def expected(obs: list[tuple[int, str, int, str]], dims: dict[int, tuple[str, ...]],
             by: int | None) -> dict[tuple[Any, ...], dict[str, Any]]:
    out: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(lambda: {c: 0 for c in COUNTS} | {"cases": set()})
    for case_id, spec, row, status in obs:
        key = (spec, row) if by is None else (spec, row, dims[case_id][by])
        cell = out[key]
        cell["cases"].add(case_id)
        cell["obligations"] += 1
        cell["met"] += status in ("met", "met_late")
        cell["met_on_time"] += status == "met"
        for s in ("met_late", "overdue", "due", "not_yet_due", "awaiting_evidence"):
            cell[s] += status == s
    for cell in out.values():
        cell["applicable_cases"] = len(cell.pop("cases"))
        known = cell["met"] + cell["overdue"]
        cell["on_time_pct"] = round(100 * cell["met_on_time"] / known, 1) if known else None
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(obligation, max_size=80), st.lists(person, min_size=12, max_size=12), st.booleans())
def test_the_report_counts_what_a_plain_count_counts(obs: list[tuple[int, str, int, str]],
                                                     people: list[tuple[str, ...]], suppress: bool) -> None:
    dims = dict(enumerate(people, start=1))
    frame = pl.DataFrame(obs, schema={"case_id": pl.Int64, "spec_id": pl.String, "row": pl.Int32,
                                      "status": pl.String}, orient="row")
    dim_frame = pl.DataFrame([(k, *v) for k, v in dims.items()], orient="row",
                             schema={"case_id": pl.Int64, **{b: pl.String for b in BREAKDOWNS}})
    report = build_report(frame, dim_frame, AS_OF, suppress=suppress)

    got = {(r["spec_id"], r["row"]): r for r in report.rows.iter_rows(named=True)}
    want = expected(obs, dims, None)
    assert set(got) == set(want)
    for key, cell in want.items():
        assert {c: got[key][c] for c in cell} == cell

    for i, name in enumerate(BREAKDOWNS):
        got_b = {(r["spec_id"], r["row"], r["group"]): r for r in report.breakdowns[name].iter_rows(named=True)}
        want_b = expected(obs, dims, i)
        assert set(got_b) == set(want_b)
        for key, cell in want_b.items():
            hidden = suppress and name not in ("organisation_code", "team_code") \
                and cell["applicable_cases"] < SUPPRESS_BELOW
            assert got_b[key]["suppressed"] is hidden
            assert {c: got_b[key][c] for c in cell} == ({c: None for c in cell} if hidden else cell)
