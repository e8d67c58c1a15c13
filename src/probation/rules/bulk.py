"""The obligations engine over a whole caseload, column-wise in Polars.

The same declarations and the same decisions as the per-case engine (rules/obligations.py), never
a Python loop over cases: for each catalogue row, the condition becomes one boolean expression over
the case frame; triggers and evidence are joined from the event frame (first event of a kind per
case, or an as-of join forward in time for "the first evidence at or after"); due dates are
vectorised date arithmetic, with working days from a precomputed working-day calendar. The output
lists every obligation of every case a row applies to (not-applicable rows are left out).

Input frames (see `frames_from_facts`, which builds them from per-case facts for tests):
- cases: case_id, sentence_type, sex, sentence_date, order_end, release_date, licence_end,
  supervision_end, terminated_on, em_responsible_officer, registers (list), rosh, ogrs3_band,
  characteristics (list), enhanced_contact_groups (list), supervision_period, referred_to_nps,
  at_risk_of_enforcement, flags (list), date_of_birth
- requirements: case_id, type, electronically_monitored, start, end
- events: case_id, id, seq, kind, occurred_at (UTC), data (JSON text or null)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl

from probation.catalogue.conditions import Condition, Register
from probation.catalogue.models import Scope, SpecId
from probation.catalogue.timescales import CaseDate, DayUnit, DueRule, Offset, TriggerKind
from probation.domain.calendar import is_working_day
from probation.domain.contact_level import ContactGroup, contact_level
from probation.domain.risk.ogrs3 import Ogrs3Band
from probation.domain.risk.rosh import RoshLevel
from probation.rules.facts import CaseRecordFacts, EventRecord
from probation.rules.obligations import ObligationsEngine, PreparedRow
from probation.rules.statuses import ObligationStatus as S

LIST = pl.List(pl.String)
CASE_SCHEMA: dict[str, Any] = {
    "case_id": pl.Int64, "sentence_type": pl.String, "sex": pl.String, "sentence_date": pl.Date,
    "order_end": pl.Date, "release_date": pl.Date, "licence_end": pl.Date, "supervision_end": pl.Date,
    "terminated_on": pl.Date, "em_responsible_officer": pl.Boolean, "registers": LIST, "rosh": pl.String,
    "ogrs3_band": pl.String, "characteristics": LIST, "enhanced_contact_groups": LIST,
    "supervision_period": pl.String, "referred_to_nps": pl.Boolean, "at_risk_of_enforcement": pl.Boolean,
    "flags": LIST, "date_of_birth": pl.Date,
}
REQUIREMENT_SCHEMA: dict[str, Any] = {"case_id": pl.Int64, "type": pl.String,
                                      "electronically_monitored": pl.Boolean, "start": pl.Date, "end": pl.Date}
EVENT_SCHEMA: dict[str, Any] = {"case_id": pl.Int64, "id": pl.Int64, "seq": pl.Int64, "kind": pl.String,
                                "occurred_at": pl.Datetime("us", "UTC"), "data": pl.String}
OUTPUT_SCHEMA: dict[str, Any] = {
    "case_id": pl.Int64, "spec_id": pl.String, "row": pl.Int32, "occurrence": pl.Int32, "status": pl.String,
    "opens": pl.Date, "due": pl.Date, "met_on": pl.Date, "evidence_id": pl.Int64, "trigger_id": pl.Int64,
}
_EPOCH = date(1970, 1, 1)


# Working days ----------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def working_calendar(first_year: int, last_year: int) -> tuple[int, np.ndarray, np.ndarray]:
    """(epoch day of 1 January first_year, working days up to and including each day, the working
    days as epoch days): add_working_days becomes two array look-ups."""
    start, end = date(first_year, 1, 1), date(last_year, 12, 31)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    working = np.array([is_working_day(d) for d in days], dtype=np.int64)
    base = (start - _EPOCH).days
    cumulative = np.cumsum(working)
    ordinals = np.nonzero(working)[0].astype(np.int64) + base
    return base, cumulative, ordinals


def _shift(series: pl.Series, days: int, forward: bool, years: tuple[int, int]) -> pl.Series:
    base, cumulative, ordinals = working_calendar(*years)
    values = series.cast(pl.Int32).to_numpy(allow_copy=True)
    mask = np.isnan(values) if values.dtype.kind == "f" else np.zeros(len(values), dtype=bool)
    ints = np.where(mask, base, values).astype(np.int64)
    # Backwards is the mirror: `days` working days strictly before the date.
    out = (ordinals[cumulative[ints - base] + days - 1] if forward
           else ordinals[cumulative[ints - 1 - base] - days])
    result = pl.Series(series.name, out, dtype=pl.Int32).cast(pl.Date)
    if not mask.any():
        return result
    return pl.DataFrame({"v": result, "m": mask}).select(
        pl.when(pl.col("m")).then(None).otherwise(pl.col("v")).alias(series.name)).to_series()


def offset_expr(expr: pl.Expr, offset: Offset, *, forward: bool, years: tuple[int, int]) -> pl.Expr:
    """Offset.after / Offset.before, column-wise."""
    if offset.days == 0:
        return expr
    if offset.unit is DayUnit.CALENDAR:
        delta = pl.duration(days=offset.days)
        return expr + delta if forward else expr - delta
    days = offset.days
    return expr.map_batches(lambda s: _shift(s, days, forward, years), return_dtype=pl.Date)


# Conditions ------------------------------------------------------------------------------------

def _selector(condition: Condition, *, with_em: bool) -> tuple[tuple[str, ...] | None, bool | None]:
    types = condition.requirement_types_any
    return (tuple(sorted(str(t) for t in types)) if types else None,
            condition.electronically_monitored if with_em else None)


def _req_prefix(sel: tuple[tuple[str, ...] | None, bool | None]) -> str:
    types, em = sel
    return "rq_" + ("all" if types is None else "_".join(types)) + ("" if em is None else f"_em{int(em)}")


def _requirement_columns(requirements: pl.DataFrame,
                         selectors: Iterable[tuple[tuple[str, ...] | None, bool | None]]) -> pl.DataFrame | None:
    """Per case and selector: has a matching requirement, earliest start, latest end."""
    frames = []
    for sel in selectors:
        types, em = sel
        df = requirements
        if types is not None:
            df = df.filter(pl.col("type").is_in(list(types)))
        if em is not None:
            df = df.filter(pl.col("electronically_monitored") == em)
        p = _req_prefix(sel)
        frames.append(df.group_by("case_id").agg(pl.lit(True).alias(f"{p}_has"), pl.col("start").min()
                                                 .alias(f"{p}_start"), pl.col("end").max().alias(f"{p}_end")))
    if not frames:
        return None
    out = frames[0]
    for f in frames[1:]:
        out = out.join(f, on="case_id", how="full", coalesce=True)
    return out


def _any_of(column: str, values: Iterable[object]) -> pl.Expr:
    wanted = sorted(str(v) for v in values)
    return pl.col(column).list.eval(pl.element().is_in(wanted)).list.any().fill_null(False)


def condition_expr(condition: Condition) -> pl.Expr:
    """Condition.matches as one boolean expression over the case frame (with requirement columns)."""
    c = condition
    scope: list[pl.Expr] = []
    others: list[pl.Expr] = []
    if c.sentence_types is not None:
        scope.append(pl.col("sentence_type").is_in(sorted(str(v) for v in c.sentence_types)))
    if c.requirement_types_any is not None:
        scope.append(pl.col(f"{_req_prefix(_selector(c, with_em=False))}_has").fill_null(False))
    if c.electronically_monitored is not None:
        scope.append(pl.col(f"{_req_prefix(_selector(c, with_em=True))}_has").fill_null(False))
    if c.supervision_periods is not None:
        scope.append(pl.col("supervision_period").is_in(sorted(str(v) for v in c.supervision_periods))
                     .fill_null(False))
    if c.sex is not None:
        others.append(pl.col("sex") == str(c.sex))
    if c.registers_any is not None:
        others.append(_any_of("registers", c.registers_any))
    if c.rosh_levels is not None:
        others.append(pl.col("rosh").is_in(sorted(str(v) for v in c.rosh_levels)).fill_null(False))
    if c.ogrs3_bands is not None:
        others.append(pl.col("ogrs3_band").is_in(sorted(str(v) for v in c.ogrs3_bands)).fill_null(False))
    if c.characteristics_any is not None:
        others.append(_any_of("characteristics", c.characteristics_any))
    if c.enhanced_contact_groups_any is not None:
        others.append(_any_of("enhanced_contact_groups", c.enhanced_contact_groups_any))
    if c.referred_to_nps is not None:
        others.append(pl.col("referred_to_nps") == c.referred_to_nps)
    if c.at_risk_of_enforcement is not None:
        others.append(pl.col("at_risk_of_enforcement") == c.at_risk_of_enforcement)
    scope_ok = pl.all_horizontal(scope) if scope else pl.lit(True)
    others_ok = pl.all_horizontal(others) if others else pl.lit(True)
    if c.or_when_flagged is not None:
        others_ok = others_ok | pl.col("flags").list.contains(str(c.or_when_flagged)).fill_null(False)
    return scope_ok & others_ok


def _data_pattern(pairs: tuple[tuple[str, str], ...]) -> list[str]:
    """Regular expressions over the event's JSON text: data[key] is the value or a list holding it."""
    out = []
    for key, value in pairs:
        k, v = re.escape(json.dumps(key)), re.escape(json.dumps(value))
        out.append(rf'{k}\s*:\s*(?:{v}|\[[^\]]*?{v})')
    return out


# The engine ------------------------------------------------------------------------------------

class BulkEngine:
    def __init__(self, engine: ObligationsEngine) -> None:
        self.engine = engine
        self.rows = [p for p in engine.rows if p.row.scope is Scope.CASE and engine.contract.buys(p.row)]

    def evaluate(self, cases: pl.DataFrame, requirements: pl.DataFrame, events: pl.DataFrame,
                 as_of: date) -> pl.DataFrame:
        years = _years(cases, as_of)
        selectors = {_selector(p.row.applies_when, with_em=w) for p in self.rows for w in (False, True)}
        req = _requirement_columns(requirements, selectors)
        frame = cases if req is None else cases.join(req, on="case_id", how="left")
        if any(p.contact_level for p in self.rows):
            frame = self._with_contact_level(frame, as_of)
        known = (events.with_columns(on=pl.col("occurred_at").dt.convert_time_zone("Europe/London").dt.date())
                 .filter(pl.col("on") <= as_of).sort("case_id", "occurred_at", "seq"))
        ctx = _Context(frame=frame, events=known, as_of=as_of, years=years)
        parts = []
        for p in self.rows:
            mask = condition_expr(p.row.applies_when)
            if p.row.spec_id is SpecId.MANAGE and not p.row.em_responsible_officer:
                mask = mask & ~pl.col("em_responsible_officer").fill_null(False)
            applicable = frame.filter(mask)
            if applicable.height == 0:
                continue
            part = _row(ctx, p, applicable)
            parts.append(part.with_columns(spec_id=pl.lit(p.row.spec_id.value), row=pl.lit(p.row.row, pl.Int32))
                         .select(list(OUTPUT_SCHEMA)).cast(OUTPUT_SCHEMA))  # type: ignore[arg-type]
        if not parts:
            return pl.DataFrame(schema=OUTPUT_SCHEMA)
        return pl.concat(parts)


    def _with_contact_level(self, frame: pl.DataFrame, as_of: date) -> pl.DataFrame:
        """cl_a, cl_l, cl_n: each case's initial interval, initial days and interval (rules/contact.py).
        The groups are column expressions; the level of each distinct (RoSH, band, groups) comes from
        the one pure function, so both engines share it."""
        m = self.engine.contact_matrix
        dob = pl.col("date_of_birth")
        before_birthday = ((pl.lit(as_of.month) < dob.dt.month())
                           | ((pl.lit(as_of.month) == dob.dt.month()) & (pl.lit(as_of.day) < dob.dt.day())))
        age = pl.lit(as_of.year) - dob.dt.year().cast(pl.Int32) - before_birthday.cast(pl.Int32)
        placed = pl.col("enhanced_contact_groups")
        keyed = frame.with_columns(
            g_ppo=pl.col("registers").list.contains(Register.PPO.value).fill_null(False),
            g_female=(pl.col("sex") == "female").fill_null(False) | placed.list.contains("female").fill_null(False),
            g_young=age.is_between(m.young_adult_min, m.young_adult_max).fill_null(False)
            | placed.list.contains("young_adult").fill_null(False),
            g_vulnerable=pl.col("registers").list.contains(Register.VULNERABLE_ADULT.value).fill_null(False)
            | placed.list.contains("vulnerable_adult").fill_null(False))
        keys = ["rosh", "ogrs3_band", "g_ppo", "g_female", "g_young", "g_vulnerable"]
        bought = self.engine.contract.commissioned_options
        rows = []
        for rosh, band, ppo, female, young, vulnerable in keyed.select(keys).unique().iter_rows():
            groups = frozenset(g for g, on in ((ContactGroup.PPO, ppo), (ContactGroup.FEMALE, female),
                                               (ContactGroup.YOUNG_ADULT, young),
                                               (ContactGroup.VULNERABLE_ADULT, vulnerable)) if on)
            level = contact_level(m, rosh=RoshLevel(rosh) if rosh else None,
                                  ogrs3_band=Ogrs3Band(band) if band else None, groups=groups,
                                  commissioned_options=bought)
            rows.append((rosh, band, ppo, female, young, vulnerable, level.initial_interval_days,
                         level.initial_days, level.interval_days))
        table = pl.DataFrame(rows, schema={**{k: keyed.schema[k] for k in keys}, "cl_a": pl.Int32,
                                           "cl_l": pl.Int32, "cl_n": pl.Int32}, orient="row")
        return keyed.join(table, on=keys, how="left", nulls_equal=True).drop(keys[2:])


def _years(cases: pl.DataFrame, as_of: date) -> tuple[int, int]:
    lows = [as_of]
    low = cases.select(pl.col("sentence_date").min()).item() if cases.height else None
    if isinstance(low, date):
        lows.append(low)
    return (min(d.year for d in lows) - 1, max(as_of.year, *(d.year for d in lows)) + 12)


class _Context:
    def __init__(self, *, frame: pl.DataFrame, events: pl.DataFrame, as_of: date, years: tuple[int, int]) -> None:
        self.frame, self.events, self.as_of, self.years = frame, events, as_of, years
        self._cache: dict[object, pl.DataFrame] = {}

    def evidence(self, rule: DueRule) -> pl.DataFrame:
        key = ("evidence", rule.evidence, rule.evidence_data)
        if key not in self._cache:
            df = self.events.filter(pl.col("kind").is_in([str(k) for k in rule.evidence]))
            for pattern in _data_pattern(rule.evidence_data):
                df = df.filter(pl.col("data").str.contains(pattern).fill_null(False))
            self._cache[key] = df
        return self._cache[key]

    def first(self, frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
        return frame.group_by("case_id", maintain_order=True).first().select(
            "case_id", pl.col("id").alias(f"{prefix}_id"), pl.col("on").alias(f"{prefix}_on"))

    def first_of_kind(self, kind: str) -> pl.DataFrame:
        key = ("first", kind)
        if key not in self._cache:
            self._cache[key] = self.first(self.events.filter(pl.col("kind") == kind), "trig")
        return self._cache[key]


def _case_date(which: CaseDate, p: PreparedRow) -> pl.Expr:
    sel = _req_prefix(_selector(p.row.applies_when, with_em=True))
    match which:
        case CaseDate.REQUIREMENT_START:
            return pl.col(f"{sel}_start")
        case CaseDate.REQUIREMENT_END:
            return pl.col(f"{sel}_end")
        case CaseDate.CONTRACT_START:
            return pl.lit(None, pl.Date)
        case _:
            return pl.col(which.value)


def _with_trigger(ctx: _Context, p: PreparedRow, df: pl.DataFrame) -> pl.DataFrame:
    trigger = p.rule.trigger
    if isinstance(trigger, CaseDate):
        return df.with_columns(T=_case_date(trigger, p), trig_id=pl.lit(None, pl.Int64))
    if trigger is None:
        return df.with_columns(T=pl.lit(None, pl.Date), trig_id=pl.lit(None, pl.Int64))
    first = ctx.first_of_kind(str(trigger))
    return df.join(first, on="case_id", how="left").rename({"trig_on": "T"})


def _status(value: S) -> pl.Expr:
    return pl.lit(value.value)


def _row(ctx: _Context, p: PreparedRow, applicable: pl.DataFrame) -> pl.DataFrame:
    rule = p.rule
    if p.awaiting is not None:
        return applicable.select("case_id").with_columns(
            occurrence=pl.lit(0, pl.Int32), status=_status(S.AWAITING_EVIDENCE), opens=pl.lit(None, pl.Date),
            due=pl.lit(None, pl.Date), met_on=pl.lit(None, pl.Date), evidence_id=pl.lit(None, pl.Int64),
            trigger_id=pl.lit(None, pl.Int64))
    if rule.kind in (TriggerKind.ONCE_AFTER_EVENT, TriggerKind.BY_DATE):
        return _once(ctx, p, applicable)
    if rule.kind is TriggerKind.RECURRING:
        return _contact_recurring(ctx, p, applicable) if p.contact_level else _recurring(ctx, p, applicable)
    return _per_occurrence(ctx, p, applicable)


def _once(ctx: _Context, p: PreparedRow, applicable: pl.DataFrame) -> pl.DataFrame:
    rule, as_of = p.rule, ctx.as_of
    df = _with_trigger(ctx, p, applicable.select("case_id", *_date_columns(applicable)))
    if rule.kind is TriggerKind.BY_DATE:
        assert rule.due_date is not None
        df = df.with_columns(due=offset_expr(_case_date(rule.due_date, p), rule.offset, forward=False,
                                             years=ctx.years), opens=pl.col("sentence_date"))
    else:
        df = df.with_columns(due=offset_expr(pl.col("T"), rule.offset, forward=True, years=ctx.years),
                             opens=pl.col("T"))
    ev = ctx.first(ctx.evidence(rule), "ev")
    df = df.join(ev, on="case_id", how="left")
    status = (pl.when(pl.col("ev_id").is_not_null())
              .then(pl.when(pl.col("due").is_null() | (pl.col("ev_on") <= pl.col("due")))
                    .then(_status(S.MET)).otherwise(_status(S.MET_LATE)))
              .when(pl.col("due").is_null()).then(_status(S.NOT_YET_DUE))
              .when(pl.col("opens").is_not_null() & (pl.lit(as_of) < pl.col("opens"))).then(_status(S.NOT_YET_DUE))
              .when(pl.lit(as_of) <= pl.col("due")).then(_status(S.DUE))
              .otherwise(_status(S.OVERDUE)))
    return df.select("case_id", occurrence=pl.lit(0, pl.Int32), status=status, opens="opens", due="due",
                     met_on="ev_on", evidence_id="ev_id", trigger_id="trig_id")


def _date_columns(df: pl.DataFrame) -> list[str]:
    return [c for c in df.columns if c != "case_id" and df.schema[c] == pl.Date]


def _placeholder(df: pl.DataFrame, status: S, opens: pl.Expr, trigger: pl.Expr) -> pl.DataFrame:
    return df.select("case_id", occurrence=pl.lit(0, pl.Int32), status=_status(status), opens=opens,
                     due=pl.lit(None, pl.Date), met_on=pl.lit(None, pl.Date), evidence_id=pl.lit(None, pl.Int64),
                     trigger_id=trigger)


def _open_periods(ctx: _Context, p: PreparedRow, df: pl.DataFrame) -> tuple[list[pl.DataFrame], pl.DataFrame]:
    """Split a recurring row's cases: placeholders for those not yet started (no anchor, or an anchor
    after as_of), and the live cases with T (anchor) and U (end: the rule's end or termination)."""
    assert p.rule.due_date is not None
    until = _case_date(p.rule.due_date, p)
    term = pl.col("terminated_on")
    df = df.with_columns(U=pl.when(term.is_null()).then(until).when(until.is_null()).then(term)
                         .otherwise(pl.min_horizontal(until, term)))
    waiting = df.filter(pl.col("T").is_null())
    live = df.filter(pl.col("T").is_not_null() & (pl.col("U").is_null() | (pl.col("T") < pl.col("U"))))
    future = live.filter(pl.lit(ctx.as_of) < pl.col("T"))
    parts = [_placeholder(waiting, S.NOT_YET_DUE, pl.lit(None, pl.Date), pl.lit(None, pl.Int64)),
             _placeholder(future, S.NOT_YET_DUE, pl.col("T"), pl.col("trig_id"))]
    return parts, live.filter(pl.col("T") <= pl.lit(ctx.as_of))


def _judge_periods(ctx: _Context, rule: DueRule, periods: pl.DataFrame,
                   parts: list[pl.DataFrame]) -> pl.DataFrame:
    """Periods k with start and nxt (the next period's start): each needs evidence inside it; a
    period without any is due until its last day, then overdue."""
    as_of = ctx.as_of
    periods = periods.with_columns(end=pl.when(pl.col("U").is_null()).then(pl.col("nxt"))
                                   .otherwise(pl.min_horizontal("nxt", "U")))
    periods = periods.with_columns(due=pl.col("end") - pl.duration(days=1)).sort("start")
    ev = (ctx.evidence(rule).unique(subset=["case_id", "on"], keep="first", maintain_order=True)
          .select("case_id", ev_on="on", ev_id="id").sort("ev_on"))
    joined = periods.join_asof(ev, left_on="start", right_on="ev_on", by="case_id", strategy="forward",
                               check_sortedness=False)
    hit = pl.col("ev_id").is_not_null() & (pl.col("ev_on") < pl.col("end"))
    status = (pl.when(hit).then(_status(S.MET)).when(pl.lit(as_of) <= pl.col("due")).then(_status(S.DUE))
              .otherwise(_status(S.OVERDUE)))
    parts.append(joined.select("case_id", occurrence=(pl.col("k") + 1).cast(pl.Int32), status=status,
                               opens="start", due="due", met_on=pl.when(hit).then(pl.col("ev_on")),
                               evidence_id=pl.when(hit).then(pl.col("ev_id")), trigger_id="trig_id"))
    return pl.concat([x.cast(_PART_SCHEMA) for x in parts])  # type: ignore[arg-type]


def _recurring(ctx: _Context, p: PreparedRow, applicable: pl.DataFrame) -> pl.DataFrame:
    rule, as_of = p.rule, ctx.as_of
    parts, live = _open_periods(ctx, p, _with_trigger(ctx, p, applicable.select("case_id", *_date_columns(applicable))))
    n = rule.offset.days
    day = pl.col("T").cast(pl.Int32)
    q = (as_of - _EPOCH).days
    if rule.offset.unit is DayUnit.CALENDAR:
        by_as_of = (pl.lit(q) - day) // n + 1
        by_until = (pl.col("U").cast(pl.Int32) - day + n - 1) // n
    else:
        base, cumulative, _ = working_calendar(*ctx.years)
        cum_t = live["T"].cast(pl.Int32).to_numpy() - base
        live = live.with_columns(cum_t=pl.Series(cumulative[cum_t] if len(cum_t) else [], dtype=pl.Int64))
        cum_q = int(cumulative[q - base])
        u_idx = live["U"].cast(pl.Int32).fill_null(q + 1).to_numpy() - 1 - base
        live = live.with_columns(cum_u=pl.Series(cumulative[u_idx] if len(u_idx) else [], dtype=pl.Int64))
        by_as_of = (pl.lit(cum_q) - pl.col("cum_t")) // n + 1
        by_until = (pl.col("cum_u") - pl.col("cum_t")) // n + 1
    count = pl.when(pl.col("U").is_null()).then(by_as_of).otherwise(pl.min_horizontal(by_as_of, by_until))
    periods = (live.with_columns(k=pl.int_ranges(0, count)).explode("k")
               .with_columns(start=_period_start(pl.col("k"), rule.offset, ctx),
                             nxt=_period_start(pl.col("k") + 1, rule.offset, ctx)))
    return _judge_periods(ctx, rule, periods, parts)


def _contact_recurring(ctx: _Context, p: PreparedRow, applicable: pl.DataFrame) -> pl.DataFrame:
    """_recurring with each case's own schedule: every cl_a days for the first cl_l days, then every
    cl_n days (calendar days; cl_l is whole cl_a periods)."""
    parts, live = _open_periods(ctx, p, _with_trigger(
        ctx, p, applicable.select("case_id", "cl_a", "cl_l", "cl_n", *_date_columns(applicable))))
    a, ln, n = pl.col("cl_a").cast(pl.Int64), pl.col("cl_l").cast(pl.Int64), pl.col("cl_n").cast(pl.Int64)
    m = ln // a
    last = pl.when(pl.col("U").is_null()).then(pl.lit(ctx.as_of)).otherwise(
        pl.min_horizontal(pl.lit(ctx.as_of), pl.col("U") - pl.duration(days=1)))
    x = (last - pl.col("T")).dt.total_days()
    count = pl.when(x < ln).then(x // a + 1).otherwise(m + (x - ln) // n + 1)

    def start(k: pl.Expr) -> pl.Expr:
        return pl.col("T") + pl.duration(days=pl.when(k < m).then(k * a).otherwise(ln + (k - m) * n))

    periods = (live.with_columns(k=pl.int_ranges(0, count)).explode("k")
               .with_columns(start=start(pl.col("k")), nxt=start(pl.col("k") + 1)))
    return _judge_periods(ctx, p.rule, periods, parts)


_PART_SCHEMA: dict[str, Any] = {k: v for k, v in OUTPUT_SCHEMA.items() if k not in ("spec_id", "row")}


def _period_start(k: pl.Expr, offset: Offset, ctx: _Context) -> pl.Expr:
    """The start of period k: the anchor plus k intervals."""
    if offset.unit is DayUnit.CALENDAR:
        return pl.col("T") + pl.duration(days=k * offset.days)
    base, _, ordinals = working_calendar(*ctx.years)
    ords = pl.Series("ords", ordinals)
    index = pl.col("cum_t") + k * offset.days - 1
    return (pl.when(k == 0).then(pl.col("T"))
            .otherwise(pl.lit(ords).gather(index.clip(0, len(ordinals) - 1)).cast(pl.Int32).cast(pl.Date)))


def _per_occurrence(ctx: _Context, p: PreparedRow, applicable: pl.DataFrame) -> pl.DataFrame:
    rule, as_of = p.rule, ctx.as_of
    occ = (ctx.events.filter(pl.col("kind") == str(rule.trigger))
           .select("case_id", o_id="id", o_on="on", o_at="occurred_at")
           .with_columns(k=pl.int_range(1, pl.len() + 1).over("case_id")))
    ids = applicable.select("case_id")
    found = ids.join(occ, on="case_id", how="inner")
    none = ids.join(occ.select("case_id").unique(), on="case_id", how="anti")
    found = found.with_columns(due=offset_expr(pl.col("o_on"), rule.offset, forward=True, years=ctx.years))
    ev = (ctx.evidence(rule).unique(subset=["case_id", "occurred_at"], keep="first", maintain_order=True)
          .select("case_id", ev_at="occurred_at", ev_on="on", ev_id="id").sort("ev_at"))
    joined = found.sort("o_at").join_asof(ev, left_on="o_at", right_on="ev_at", by="case_id", strategy="forward",
                               check_sortedness=False)
    status = (pl.when(pl.col("ev_id").is_not_null())
              .then(pl.when(pl.col("ev_on") <= pl.col("due")).then(_status(S.MET)).otherwise(_status(S.MET_LATE)))
              .when(pl.lit(as_of) <= pl.col("due")).then(_status(S.DUE)).otherwise(_status(S.OVERDUE)))
    parts = [_placeholder(none, S.NOT_YET_DUE, pl.lit(None, pl.Date), pl.lit(None, pl.Int64)),
             joined.select("case_id", occurrence=pl.col("k").cast(pl.Int32), status=status, opens="o_on",
                           due="due", met_on="ev_on", evidence_id="ev_id", trigger_id="o_id")]
    return pl.concat([x.cast(_PART_SCHEMA) for x in parts])  # type: ignore[arg-type]


# Frames from per-case facts (tests, and callers holding facts already) ----------------------------

def frames_from_facts(cases: Sequence[CaseRecordFacts], events: Mapping[int, Sequence[EventRecord]]
                      ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    case_rows = [{
        "case_id": c.case_id, "sentence_type": str(c.facts.sentence_type), "sex": str(c.facts.sex),
        "sentence_date": c.sentence_date, "order_end": c.order_end, "release_date": c.release_date,
        "licence_end": c.licence_end, "supervision_end": c.supervision_end, "terminated_on": c.terminated_on,
        "em_responsible_officer": c.em_responsible_officer, "registers": sorted(map(str, c.facts.registers)),
        "rosh": None if c.facts.rosh is None else str(c.facts.rosh),
        "ogrs3_band": None if c.facts.ogrs3_band is None else str(c.facts.ogrs3_band),
        "characteristics": sorted(map(str, c.facts.characteristics)),
        "enhanced_contact_groups": sorted(map(str, c.facts.enhanced_contact_groups)),
        "supervision_period": None if c.facts.supervision_period is None else str(c.facts.supervision_period),
        "referred_to_nps": c.facts.referred_to_nps, "at_risk_of_enforcement": c.facts.at_risk_of_enforcement,
        "flags": sorted(map(str, c.facts.flags)), "date_of_birth": c.date_of_birth,
    } for c in cases]
    req_rows = [{"case_id": c.case_id, "type": str(r.type), "electronically_monitored": r.electronically_monitored,
                 "start": r.start, "end": r.end} for c in cases for r in c.requirements]
    event_rows = [{"case_id": case_id, "id": e.id, "seq": e.seq, "kind": e.kind, "occurred_at": e.occurred_at,
                   "data": json.dumps(dict(e.data)) if e.data else None}
                  for case_id, evs in events.items() for e in evs]
    return (pl.DataFrame(case_rows, schema=CASE_SCHEMA), pl.DataFrame(req_rows, schema=REQUIREMENT_SCHEMA),
            pl.DataFrame(event_rows, schema=EVENT_SCHEMA))
