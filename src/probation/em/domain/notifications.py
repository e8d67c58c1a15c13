"""Court notifications to the monitoring centre (exclusion rows 7 and 8).

A notification is received whenever it arrives (row 7: the facility is continuously available)
and stored as received. It is then checked: each item of incorrect or incomplete information, or
a potential implementation difficulty, becomes a query that must be resolved within the
em_notification_query timescale (platform default: one working day, catalogue timescales.yaml).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from probation.domain.calendar import LONDON, add_working_days

REQUIRED = ("crn", "court_code", "order_date", "requirement_start", "requirement_end",
            "exclusion_places", "address")


@dataclass(frozen=True, kw_only=True)
class Problem:
    field: str
    problem: str


@dataclass(frozen=True, kw_only=True)
class OrderOnRecord:
    """What the case record says about the EM exclusion requirement the notification is about."""

    court_code: str
    sentence_date: date
    requirement_start: date
    requirement_end: date  # exclusive
    places: tuple[str, ...]
    electronically_monitored: bool


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def check_notification(payload: Mapping[str, Any], order: OrderOnRecord | None) -> list[Problem]:
    """Problems with a notification: missing items, items that are not valid, and items that
    disagree with the case record (or no matching EM exclusion requirement on record)."""
    problems: list[Problem] = []
    for name in REQUIRED:
        value = payload.get(name)
        if value is None or value == "" or value == []:
            problems.append(Problem(field=name, problem=f"{name} is missing"))
    for name in ("order_date", "requirement_start", "requirement_end"):
        raw = payload.get(name)
        if raw not in (None, "") and _date(raw) is None:
            problems.append(Problem(field=name, problem=f"{name} {raw!r} is not a date (YYYY-MM-DD)"))
    start, end = _date(payload.get("requirement_start")), _date(payload.get("requirement_end"))
    if start and end and end <= start:
        problems.append(Problem(field="requirement_end", problem=(
            f"requirement_end {end.isoformat()} is not after requirement_start {start.isoformat()}")))
    places = payload.get("exclusion_places")
    if places not in (None, "", []) and (not isinstance(places, Sequence) or isinstance(places, str)
                                         or not all(isinstance(p, str) and p.strip() for p in places)):
        problems.append(Problem(field="exclusion_places",
                                problem="exclusion_places is not a list of place descriptions"))
    if payload.get("crn") and order is None:
        problems.append(Problem(field="crn", problem=(
            f"no electronically monitored exclusion requirement on record for {payload['crn']}")))
    if order is not None:
        if payload.get("court_code") and payload["court_code"] != order.court_code:
            problems.append(Problem(field="court_code", problem=(
                f"court {payload['court_code']} differs from the sentencing court on record "
                f"{order.court_code}")))
        od = _date(payload.get("order_date"))
        if od and od != order.sentence_date:
            problems.append(Problem(field="order_date", problem=(
                f"order date {od.isoformat()} differs from the sentence date on record "
                f"{order.sentence_date.isoformat()}")))
        if start and start != order.requirement_start:
            problems.append(Problem(field="requirement_start", problem=(
                f"requirement start {start.isoformat()} differs from the record "
                f"{order.requirement_start.isoformat()}")))
        if end and end != order.requirement_end:
            problems.append(Problem(field="requirement_end", problem=(
                f"requirement end {end.isoformat()} differs from the record "
                f"{order.requirement_end.isoformat()}")))
    return problems


def query_due_on(raised_at: datetime, working_days: int) -> date:
    """Last day to resolve a query: `working_days` working days after the day it was raised
    (England and Wales), so a query raised on Friday evening is due on Monday."""
    return add_working_days(raised_at.astimezone(LONDON).date(), working_days)
