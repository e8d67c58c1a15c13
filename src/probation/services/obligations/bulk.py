"""The whole caseload's facts as Polars frames, in a few set-based queries (never a query per
case), for the bulk engine (rules/bulk.py) and the assurance report.

The columns match rules.bulk's input frames, plus the dimensions assurance breaks down by
(provider, team, offender manager, sex, ethnicity, date of birth, disability).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import String, case, cast, select
from sqlalchemy.orm import Session

from probation.adapters.db import arrow
from probation.adapters.db.tables import CaseEventRow, CaseRow, PersonRow, RequirementRow
from probation.adapters.db.tables_release import ReleaseDatesRow
from probation.catalogue.conditions import Characteristic, SupervisionPeriod
from probation.domain.people import Disability
from probation.rules.bulk import CASE_SCHEMA, EVENT_SCHEMA, REQUIREMENT_SCHEMA
from probation.rules.obligations import ObligationsEngine
from probation.services.obligations.facts import available_readers

DIMENSIONS: dict[str, Any] = {"crn": pl.String, "organisation_code": pl.String, "team_code": pl.String,
                              "offender_manager_code": pl.String, "status": pl.String,
                              "date_of_birth": pl.Date, "ethnicity": pl.String, "disability": pl.String}


def load_frames(session: Session, as_of: date, engine: ObligationsEngine, *,
                where: Sequence[Any] = (), bulk: bool = False) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(cases with dimensions, requirements, events) for every case matching `where`; `bulk` for
    whole-caseload reads (adapters/db/arrow.py chooses how to read)."""
    with arrow.reader(session, bulk=bulk) as rd:
        return _load_frames(rd, as_of, engine, where)


def _load_frames(rd: arrow.FrameReader, as_of: date, engine: ObligationsEngine,
                 where: Sequence[Any]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    cases_raw = rd.read(select(
        CaseRow.id, CaseRow.sentence_type, PersonRow.sex, CaseRow.sentence_date, CaseRow.end_date,
        CaseRow.supervision_period_months, CaseRow.terminated_on, PersonRow.interpreter_required,
        PersonRow.learning_difficulty, CaseRow.crn, CaseRow.organisation_code, CaseRow.team_code,
        CaseRow.offender_manager_code, CaseRow.status, PersonRow.date_of_birth, PersonRow.ethnicity,
        PersonRow.disability).join(PersonRow, PersonRow.id == CaseRow.person_id).where(*where),
        {"case_id": pl.Int64, "sentence_type": pl.String, "sex": pl.String, "sentence_date": pl.Date,
         "end_date": pl.Date, "supervision_months": pl.Int32, "terminated_on": pl.Date,
         "interpreter_required": pl.Boolean, "learning_difficulty": pl.Boolean, **DIMENSIONS})
    sso = pl.col("sentence_type") == "suspended_sentence_order"
    order_end = (pl.when(pl.col("sentence_type") == "custodial").then(pl.lit(None, pl.Date))
                 .when(sso & pl.col("supervision_months").is_not_null())
                 .then(pl.col("sentence_date").dt.offset_by(pl.format("{}mo", pl.col("supervision_months"))))
                 .otherwise(pl.col("end_date")))
    disabled = ~pl.col("disability").is_in([Disability.NONE.value, Disability.PREFER_NOT_TO_SAY.value]) \
        & pl.col("disability").is_not_null()
    characteristics = pl.concat_list(
        pl.when(pl.col("interpreter_required").fill_null(False))
        .then(pl.lit(Characteristic.NON_ENGLISH_SPEAKING.value)),
        pl.when(disabled).then(pl.lit(Characteristic.DISABILITY.value)),
        pl.when(pl.col("learning_difficulty").fill_null(False))
        .then(pl.lit(Characteristic.LEARNING_DIFFICULTY.value)),
    ).list.drop_nulls().list.sort()
    empty = pl.lit([], LIST_STR)
    cases = _with_release_dates(rd, cases_raw, as_of, where).with_columns(
        order_end=order_end, em_responsible_officer=pl.lit(False), registers=empty,
        rosh=pl.lit(None, pl.String), ogrs3_band=pl.lit(None, pl.String), characteristics=characteristics,
        enhanced_contact_groups=empty, referred_to_nps=pl.lit(False), at_risk_of_enforcement=pl.lit(False),
        flags=empty)
    cases = _with_reader_facts(rd, cases, as_of)
    extra = [d for d in DIMENSIONS if d not in CASE_SCHEMA]  # date_of_birth is both (level of contact)
    # polars types a cast's column keys invariantly (str | Selector | dtype): a str-keyed schema is refused
    cases = cases.select(*CASE_SCHEMA, *extra).cast({**CASE_SCHEMA, **DIMENSIONS})  # type: ignore[dict-item]

    case_ids = select(CaseRow.id).join(PersonRow, PersonRow.id == CaseRow.person_id).where(*where)
    reqs = rd.read(select(RequirementRow.case_id, RequirementRow.type,
                                  RequirementRow.electronically_monitored, RequirementRow.start_date,
                                  RequirementRow.length_months, RequirementRow.length_days)
                  .where(RequirementRow.case_id.in_(case_ids)),
                  {"case_id": pl.Int64, "type": pl.String, "electronically_monitored": pl.Boolean,
                   "start": pl.Date, "months": pl.Int32, "days": pl.Int32})
    own_end = (pl.when(pl.col("months").is_not_null())
               .then(pl.col("start").dt.offset_by(pl.format("{}mo", pl.col("months"))))
               .when(pl.col("days").is_not_null()).then(pl.col("start") + pl.duration(days=pl.col("days"))))
    reqs = (reqs.join(cases.select("case_id", limit="order_end"), on="case_id", how="left")
            .with_columns(end=pl.when(own_end.is_null()).then(pl.col("limit"))
                          .otherwise(pl.min_horizontal(own_end, pl.col("limit"))))
            .select(*REQUIREMENT_SCHEMA).cast(REQUIREMENT_SCHEMA))  # type: ignore[arg-type]  # as above

    data_kinds = sorted({str(k) for p in engine.rows if p.rule.evidence_data for k in p.rule.evidence})
    data = case((CaseEventRow.kind.in_(data_kinds), cast(CaseEventRow.data, String)), else_=None)
    events = rd.read(select(CaseEventRow.case_id, CaseEventRow.id, CaseEventRow.seq, CaseEventRow.kind,
                                    CaseEventRow.occurred_at, data).where(CaseEventRow.case_id.in_(case_ids)),
                    {"case_id": pl.Int64, "id": pl.Int64, "seq": pl.Int64, "kind": pl.String,
                     "occurred_at": pl.Datetime("us", "UTC"), "data": pl.String})
    events = events.cast(EVENT_SCHEMA)  # type: ignore[arg-type]  # as above
    return cases, reqs, events


LIST_STR = pl.List(pl.String)


def _with_release_dates(rd: arrow.FrameReader, cases: pl.DataFrame, as_of: date, where: Sequence[Any]) -> pl.DataFrame:
    """Release, licence end (SLED) and TUSED of custodial cases, and the supervision period on as_of
    (the same rule as facts.supervision_period_on: the last period reached)."""
    r = ReleaseDatesRow
    frame = rd.read(select(r.case_id, r.release_day, r.sentence_expiry, r.licence_start, r.licence_end,
                                   r.tused, r.pss_start, r.pss_end)
                   .join(CaseRow, CaseRow.id == r.case_id).join(PersonRow, PersonRow.id == CaseRow.person_id)
                   .where(*where),
                   {"case_id": pl.Int64, "release_date": pl.Date, "sentence_expiry": pl.Date,
                    "licence_start": pl.Date, "licence_stop": pl.Date, "supervision_end": pl.Date,
                    "pss_start": pl.Date, "pss_stop": pl.Date})
    day = pl.lit(as_of)
    period = (pl.when(pl.col("pss_start") <= day).then(pl.lit(SupervisionPeriod.POST_SENTENCE_SUPERVISION.value))
              .when(pl.col("licence_start") <= day).then(pl.lit(SupervisionPeriod.LICENCE.value))
              .otherwise(pl.lit(None, pl.String)))
    frame = frame.with_columns(
        licence_end=pl.when(pl.col("licence_start").is_not_null()).then(pl.col("sentence_expiry")),
        supervision_period=period,
    ).select("case_id", "release_date", "licence_end", "supervision_end", "supervision_period")
    return cases.join(frame, on="case_id", how="left")


def _with_reader_facts(rd: arrow.FrameReader, cases: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """One query per fact reader over every case; missing tables leave the defaults (unknown)."""
    for reader, table in available_readers():
        q = reader.query(table, as_of).subquery()
        got = rd.read(select(q.c.case_id, q.c.value), ["case_id", "value"])
        if reader.flag:
            col = got.select(pl.col("case_id").cast(pl.Int64)).unique().with_columns(value=pl.lit(True))
            cases = (cases.drop(reader.fact).join(col, on="case_id", how="left")
                     .with_columns(pl.col("value").fill_null(False).alias(reader.fact)).drop("value"))
            continue
        got = got.cast({"case_id": pl.Int64, "value": pl.String})
        if reader.allowed is not None:
            got = got.filter(pl.col("value").is_in(sorted(reader.allowed)))
        if reader.many:
            col = got.group_by("case_id").agg(pl.col("value").unique().sort())
            cases = (cases.drop(reader.fact).join(col, on="case_id", how="left")
                     .with_columns(pl.col("value").fill_null(pl.lit([], LIST_STR)).alias(reader.fact))
                     .drop("value"))
        else:
            col = got.unique(subset="case_id", keep="first")
            cases = cases.drop(reader.fact).join(col.rename({"value": reader.fact}), on="case_id", how="left")
    return cases

