"""What electronic monitoring holds about a person, for the core's map of a person's records
(services/personal_data.py): its tables, how a person's positions and engine state are found,
and the positions summarised by day in the subject access bundle (never listed fix by fix).
Registered at start-up by the package's entry point (probation/em/__init__.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session

from probation.domain.calendar import LONDON
from probation.domain.data_protection.retention import RecordKind
from probation.em.services.runtime import case_fixes, person_key
from probation.em.tables import EmFixRow
from probation.services.personal_data import Extension, Holding, Link, Section, Subject, condition, tables

FIXES = Holding(table="em_fix", section=Section.EM, kind=RecordKind.EM_FIXES, link=Link.FOUND, summarised=True)


def _engine_state(session: Session, case_ids: Sequence[int]) -> ColumnElement[bool]:
    """em_engine_state is keyed by the case's engine person key."""
    return tables()["em_engine_state"].c.person.in_([person_key(c) for c in case_ids])


def _fixes(session: Session, case_ids: Sequence[int]) -> ColumnElement[bool]:
    """em_fix: by the devices the cases wore (its primary key)."""
    return case_fixes(session, case_ids) if case_ids else false()


def positions_by_day(session: Session, who: Subject) -> list[dict[str, Any]]:
    """Each London day with positions: how many fixes, the first and last fix time, the devices."""
    days: dict[date, dict[str, Any]] = {}
    if not who.case_ids:
        return []
    stmt = (select(EmFixRow.t_ms, EmFixRow.device_id).where(condition(session, FIXES, who))
            .order_by(EmFixRow.t_ms).execution_options(yield_per=5000))
    for t_ms, device in session.execute(stmt):
        at = datetime.fromtimestamp(t_ms / 1000, tz=LONDON)
        day = days.get(at.date())
        if day is None:
            days[at.date()] = {"day": at.date().isoformat(), "fixes": 1, "first": at.isoformat(),
                               "last": at.isoformat(), "devices": [device]}
            continue
        day["fixes"] += 1
        day["last"] = at.isoformat()
        if device not in day["devices"]:
            day["devices"].append(device)
    return list(days.values())


# Within a kind, children come before their parents: retention deletes in this order.
EXTENSION = Extension(
    holdings=(
        FIXES,
        Holding(table="em_alert_action", section=Section.EM, kind=RecordKind.EM_RECORDS,
                parent=("alert_id", "em_alert")),
        Holding(table="em_alert", section=Section.EM, kind=RecordKind.EM_RECORDS),
        Holding(table="em_notification_query", section=Section.EM, kind=RecordKind.EM_RECORDS,
                parent=("notification_id", "em_notification")),
        Holding(table="em_notification", section=Section.EM, kind=RecordKind.EM_RECORDS),
        Holding(table="em_delivery", section=Section.EM, kind=RecordKind.EM_RECORDS, parent=("notice_id", "em_notice")),
        Holding(table="em_notice", section=Section.EM, kind=RecordKind.EM_RECORDS),
        Holding(table="em_police_report", section=Section.EM, kind=RecordKind.EM_RECORDS),
        Holding(table="em_visit", section=Section.EM, kind=RecordKind.EM_RECORDS),
        Holding(table="em_court_request", section=Section.EM, kind=RecordKind.EM_RECORDS),
        Holding(table="em_enquiry", section=Section.EM, kind=RecordKind.EM_RECORDS),
        Holding(table="em_zone", section=Section.EM, kind=RecordKind.EM_RECORDS),
        Holding(table="em_device_event", section=Section.EM, kind=RecordKind.EM_RECORDS),
        Holding(table="em_position_day", section=Section.EM, kind=RecordKind.EM_RECORDS),
        Holding(table="em_engine_state", section=Section.EM, kind=RecordKind.EM_RECORDS, link=Link.FOUND),
        Holding(table="em_device", section=Section.EM, kind=RecordKind.EM_RECORDS),
    ),
    excluded={
        "em_ingest_batch": "the ingest log: counts and internal engine keys of cases re-evaluated, no record content",
        "em_change": "change counter for the zone book", "em_checkpoint": "the engine's checkpoint position",
    },
    finders={"em_fix": _fixes, "em_engine_state": _engine_state},
    summaries={"em_positions_by_day": positions_by_day},
)
