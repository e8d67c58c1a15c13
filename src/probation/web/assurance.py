"""The assurance page for commissioners and administrators: filters, SVG charts, CSV download."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import polars as pl
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from probation.analytics.assurance import AssuranceReport
from probation.api.deps import get_now, get_session
from probation.services import assurance
from probation.services.obligations import per_case as obligations
from probation.web.pages import TEMPLATES, render
from probation.web.session import web_actor

router = APIRouter(include_in_schema=False)
BREAKDOWNS = [("organisation_code", "provider"), ("team_code", "team"), ("sex", "sex"),
              ("ethnicity_group", "ethnicity"), ("age_band", "age band"), ("disability_group", "disability")]


def summaries(report: AssuranceReport) -> dict[str, list[dict[str, Any]]]:
    """Each breakdown summed over the rows: one bar per group. A group is withheld when any of its
    cells is suppressed (adding unsuppressed cells could reveal a withheld one)."""
    out = {}
    for name, _ in BREAKDOWNS:
        df = report.breakdowns[name]
        agg = df.group_by("group").agg(pl.col("met_on_time").sum(), pl.col("met").sum(), pl.col("overdue").sum(),
                                       pl.col("suppressed").any()).sort("group")
        rows = []
        for g in agg.iter_rows(named=True):
            known = (g["met"] or 0) + (g["overdue"] or 0)
            pct = round(100 * (g["met_on_time"] or 0) / known, 1) if known and not g["suppressed"] else None
            rows.append({"group": g["group"], "on_time_pct": pct, "known": known, "suppressed": g["suppressed"]})
        out[name] = rows
    return out


def _query(request: Request, now: datetime, provider: str | None, team: str | None, period_from: str | None,
           period_to: str | None) -> assurance.AssuranceQuery:
    return assurance.AssuranceQuery(
        as_of=obligations.today(now), provider=provider or None, team=team or None,
        period_from=obligations.parse_as_of(period_from, now, "from") if period_from else None,
        period_to=obligations.parse_as_of(period_to, now, "to") if period_to else None)


@router.get("/assurance")
def assurance_page(request: Request, provider: str | None = Query(None, max_length=16),
                   team: str | None = Query(None, max_length=16),
                   period_from: str | None = Query(None, alias="from", max_length=10),
                   period_to: str | None = Query(None, alias="to", max_length=10),
                   session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = web_actor(request, session)
    assurance.ensure_can_assure(actor)
    query = _query(request, now, provider, team, period_from, period_to)
    result = assurance.run(session, actor, query, now=now)
    return render(request, "assurance/assurance.html", actor=actor, report=result.report, titles=result.titles,
                  summaries=summaries(result.report), breakdowns=BREAKDOWNS, q=query.filters(),
                  query_string=request.url.query)


@router.get("/assurance.csv")
def assurance_csv(request: Request, provider: str | None = Query(None, max_length=16),
                  team: str | None = Query(None, max_length=16),
                  period_from: str | None = Query(None, alias="from", max_length=10),
                  period_to: str | None = Query(None, alias="to", max_length=10),
                  session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = web_actor(request, session)
    query = _query(request, now, provider, team, period_from, period_to)
    result = assurance.run(session, actor, query, now=now)
    return Response(result.report.to_csv(result.titles), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="assurance-{query.as_of}.csv"'})


def report_html(report: AssuranceReport, titles: dict[tuple[str, int], str]) -> str:
    """The report as one self-contained HTML file (for `probation assurance --format html`)."""
    return TEMPLATES.env.get_template("assurance/standalone.html").render(
        report=report, titles=titles, summaries=summaries(report), breakdowns=BREAKDOWNS)
