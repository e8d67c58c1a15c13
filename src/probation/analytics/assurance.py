"""The assurance report for commissioners: per specification and output row, how many cases it
applies to and how many obligations were met, met on time and are overdue; by provider and team;
and broken down by sex, ethnicity (five groups), age band and disability for the Equality Act 2010
public sector equality duty (s.149).

Input: the bulk engine's obligations frame and a frame of case dimensions. Counts are of
obligations (one per case for once-only rows, one per period or occurrence otherwise), except
`applicable_cases`. On time % = met on time / (met + overdue): of the obligations whose outcome is
known (met, on time or late, or past their deadline), the share delivered on time.

Small numbers: in the equalities breakdowns a cell (row x group) covering fewer than 5 cases is
suppressed for commissioners (its counts are withheld and `suppressed` is true), so no one can be
singled out from an aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from probation.domain.people import Disability, Ethnicity

SUPPRESS_BELOW = 5
EQUALITIES = ("sex", "ethnicity_group", "age_band", "disability_group")
BREAKDOWNS = ("organisation_code", "team_code", *EQUALITIES)
COUNTS = ("applicable_cases", "obligations", "met", "met_on_time", "met_late", "overdue", "due", "not_yet_due",
          "awaiting_evidence")
AGE_BANDS = ((18, "18-24"), (25, "25-34"), (35, "35-44"), (45, "45-54"), (55, "55-64"), (65, "65+"))


def dimensions(cases: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """case_id, provider, team and the equalities groups, from the loader's case frame."""
    dob = pl.col("date_of_birth")
    age = (pl.lit(as_of.year) - dob.dt.year()
           - ((pl.lit(as_of.month) < dob.dt.month())
              | ((pl.lit(as_of.month) == dob.dt.month()) & (pl.lit(as_of.day) < dob.dt.day()))).cast(pl.Int32))
    band = pl.lit("Under 18")
    for low, label in AGE_BANDS:
        band = pl.when(age >= low).then(pl.lit(label)).otherwise(band)
    groups = {e.value: e.group for e in Ethnicity}
    disability = (pl.when(pl.col("disability").is_null()).then(pl.lit("Not recorded"))
                  .when(pl.col("disability") == Disability.NONE.value).then(pl.lit("Not disabled"))
                  .when(pl.col("disability") == Disability.PREFER_NOT_TO_SAY.value).then(pl.lit("Not stated"))
                  .otherwise(pl.lit("Disabled")))
    return cases.select(
        "case_id", "organisation_code", "team_code",
        sex=pl.col("sex").str.to_titlecase(),
        ethnicity_group=pl.col("ethnicity").replace_strict(groups, default="Not recorded", return_dtype=pl.String),
        age_band=pl.when(dob.is_null()).then(pl.lit("Not recorded")).otherwise(band),
        disability_group=disability)


def _per_case_counts() -> list[pl.Expr]:
    s = pl.col("status")
    return [pl.len().cast(pl.UInt32).alias("obligations"),
            s.is_in(["met", "met_late"]).sum().cast(pl.UInt32).alias("met"),
            (s == "met").sum().cast(pl.UInt32).alias("met_on_time"),
            (s == "met_late").sum().cast(pl.UInt32).alias("met_late"),
            (s == "overdue").sum().cast(pl.UInt32).alias("overdue"),
            (s == "due").sum().cast(pl.UInt32).alias("due"),
            (s == "not_yet_due").sum().cast(pl.UInt32).alias("not_yet_due"),
            (s == "awaiting_evidence").sum().cast(pl.UInt32).alias("awaiting_evidence")]


def _sums() -> list[pl.Expr]:
    # One input row per case and output row, so the number of rows is the number of cases.
    return [pl.len().alias("applicable_cases"), *(pl.col(c).sum().cast(pl.Int64) for c in COUNTS[1:])]


def _with_pct(df: pl.LazyFrame) -> pl.LazyFrame:
    known = pl.col("met") + pl.col("overdue")
    return df.with_columns(on_time_pct=pl.when(known > 0)
                           .then((100 * pl.col("met_on_time") / known).round(1)).otherwise(None))


@dataclass(frozen=True, kw_only=True)
class AssuranceReport:
    as_of: date
    filters: dict[str, str | None]
    rows: pl.DataFrame  # spec_id, row + counts, whole caseload in scope
    breakdowns: dict[str, pl.DataFrame]  # name -> spec_id, row, group + counts (+ suppressed)
    suppressed: bool

    def to_json(self, titles: dict[tuple[str, int], str]) -> dict[str, Any]:
        def records(df: pl.DataFrame) -> list[dict[str, Any]]:
            return [{**r, "output": titles.get((r["spec_id"], r["row"]), "")} for r in df.iter_rows(named=True)]

        return {"as_of": self.as_of.isoformat(), "filters": self.filters,
                "suppression": {"applied": self.suppressed, "below_cases": SUPPRESS_BELOW,
                                "breakdowns": list(EQUALITIES)},
                "rows": records(self.rows),
                "breakdowns": {name: records(df) for name, df in self.breakdowns.items()}}

    def to_csv(self, titles: dict[tuple[str, int], str]) -> str:
        """One long table: breakdown, group, then the row's figures (the whole caseload is 'all')."""
        frames = [self.rows.with_columns(breakdown=pl.lit("all"), group=pl.lit("all"),
                                         suppressed=pl.lit(False))]
        for name, df in self.breakdowns.items():
            frames.append(df.with_columns(breakdown=pl.lit(name)))
        cols = ["breakdown", "group", "spec_id", "row", *COUNTS, "on_time_pct", "suppressed"]
        long = pl.concat([f.select(cols).cast({c: pl.Int64 for c in COUNTS}) for f in frames], how="vertical")
        title = pl.Series("output", [titles.get((s, r), "") for s, r in long.select("spec_id", "row").iter_rows()])
        return long.with_columns(title).write_csv()


def build_report(obligations: pl.DataFrame, dims: pl.DataFrame, as_of: date, *, suppress: bool,
                 filters: dict[str, str | None] | None = None) -> AssuranceReport:
    keys = ["spec_id", "row"]
    # First one row per case and output row (a recurring row has one obligation per period): the
    # breakdowns then count cases with a plain count and sum far fewer rows. Lazy, so Polars plans
    # the whole report at once (its eager multi-expression group_by is several times slower).
    joined = (obligations.lazy().with_columns(pl.col("spec_id").cast(pl.Categorical))
              .group_by([*keys, "case_id"]).agg(_per_case_counts())
              .join(dims.lazy(), on="case_id", how="inner")
              .with_columns(pl.col("spec_id").cast(pl.String))).cache()
    plans = [_with_pct(joined.group_by(keys).agg(_sums())).sort(keys)]
    for name in BREAKDOWNS:
        df = _with_pct(joined.group_by([*keys, name]).agg(_sums())).rename({name: "group"})
        df = df.with_columns(pl.col("group").fill_null("Not recorded"))
        small = pl.col("applicable_cases") < SUPPRESS_BELOW
        if suppress and name in EQUALITIES:
            df = df.with_columns([pl.when(small).then(None).otherwise(pl.col(c)).alias(c)
                                  for c in (*COUNTS, "on_time_pct")] + [small.alias("suppressed")])
        else:
            df = df.with_columns(suppressed=pl.lit(False))
        plans.append(df.sort([*keys, "group"]))
    rows, *parts = pl.collect_all(plans)
    return AssuranceReport(as_of=as_of, filters=filters or {}, rows=rows,
                           breakdowns=dict(zip(BREAKDOWNS, parts, strict=True)), suppressed=suppress)
