"""The end-of-sentence comparison of needs, risk and objectives (Manage row 34), and the RAR
information for sentencers, report writers and partners (RAR row 4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters import documents
from probation.adapters.db.tables_interventions import OutcomeReviewRow, RarInformationSentRow
from probation.adapters.db.tables_protection import (
    PlanReviewRow,
    PredictorScoreRow,
    RoshAssessmentRow,
    SentencePlanRow,
)
from probation.domain.errors import Conflict, InvalidValue, NotFound, require
from probation.domain.events import EventKind
from probation.domain.interventions import outcomes as oc
from probation.domain.risk.ogrs3 import OGRS3
from probation.domain.risk.rosh import RoshLevel
from probation.domain.roles import Role
from probation.services import audit
from probation.services.case_commands import RECORDERS, ensure_role, event, load, occurred, record
from probation.services.context import Actor
from probation.services.interventions.needs import assessment_rows, plan_need_areas, to_assessment

RAR_FILE = Path(__file__).resolve().parents[2] / "domain" / "interventions" / "rar_information.yaml"
DOCUMENTS = documents.Renderer()
SENDERS = RECORDERS | {Role.PROVIDER_STAFF}


# End-of-sentence comparison ----------------------------------------------------------------------

def _risk(session: Session, case_id: int) -> oc.RiskComparison:
    rosh = list(session.scalars(select(RoshAssessmentRow.overall).where(
        RoshAssessmentRow.case_id == case_id).order_by(RoshAssessmentRow.assessed_on, RoshAssessmentRow.id)))
    ogrs = list(session.scalars(select(PredictorScoreRow.two_year).where(
        PredictorScoreRow.case_id == case_id, PredictorScoreRow.model_name == OGRS3.name)
        .order_by(PredictorScoreRow.scored_on, PredictorScoreRow.id)))
    return oc.RiskComparison(rosh_start=RoshLevel(rosh[0]) if rosh else None,
                             rosh_end=RoshLevel(rosh[-1]) if rosh else None,
                             ogrs3_start=ogrs[0] if ogrs else None, ogrs3_end=ogrs[-1] if ogrs else None)


def compare_outcomes(session: Session, actor: Actor, case_id: int, *, reviewed_on: date,
                     notes: str | None, now: datetime) -> OutcomeReviewRow:
    """Needs at the start against the end, RoSH and OGRS3 first against latest, and each plan
    objective with the outcome the protection end-of-sentence review gave it."""
    ensure_role(actor, RECORDERS, "compare outcomes at the end of the sentence")
    loaded = load(session, actor, case_id)
    plan = session.scalar(select(SentencePlanRow).where(SentencePlanRow.case_id == case_id))
    review = None if plan is None else session.scalar(select(PlanReviewRow).where(
        PlanReviewRow.plan_id == plan.id, PlanReviewRow.kind == "end_of_sentence"))
    if review is None:
        raise Conflict(f"case {case_id} has no end-of-sentence review of its plan", field="case_id",
                       value=case_id, rule="record the end-of-sentence review (outcome of each "
                       "objective) before comparing needs and risk")
    if session.scalar(select(OutcomeReviewRow.id).where(OutcomeReviewRow.case_id == case_id)):
        raise Conflict(f"case {case_id} already has its outcome comparison", field="case_id",
                       value=case_id, rule="one end-of-sentence comparison per case")
    iso = reviewed_on.isoformat()
    require(review.reviewed_on <= reviewed_on <= now.date(), f"date {iso} is outside "
            f"{review.reviewed_on.isoformat()} (the end-of-sentence review) to today",
            field="reviewed_on", value=iso, rule="the comparison follows the end-of-sentence review")
    result = oc.compare(assessments=[to_assessment(r) for r in assessment_rows(session, case_id)],
                        plan_areas=plan_need_areas(session, case_id), risk=_risk(session, case_id),
                        objectives=review.objectives, outcomes=review.outcomes)
    risk = result.risk
    row = OutcomeReviewRow(
        case_id=case_id, plan_review_id=review.id, reviewed_on=reviewed_on,
        needs=[{"need_area": c.area.value, "start": int(c.first), "end": int(c.latest),
                "change": c.change, "direction": c.direction.value, "in_plan": c.in_plan}
               for c in result.needs],
        needs_direction=result.needs_direction.value,
        rosh_start=risk.rosh_start.value if risk.rosh_start else None,
        rosh_end=risk.rosh_end.value if risk.rosh_end else None,
        ogrs3_start=risk.ogrs3_start, ogrs3_end=risk.ogrs3_end, objectives=list(result.objectives),
        outcome_counts=result.outcome_counts, notes=notes, recorded_at=now, recorded_by=actor.username)
    session.add(row)
    session.flush()
    ev = event(EventKind.OUTCOMES_COMPARED, occurred(reviewed_on, now), actor, notes,
               outcome_review_id=row.id, plan_review_id=review.id,
               needs_direction=row.needs_direction, rosh_start=row.rosh_start, rosh_end=row.rosh_end,
               rosh_direction=risk.rosh_direction.value if risk.rosh_direction else None,
               ogrs3_start=row.ogrs3_start, ogrs3_end=row.ogrs3_end, outcomes=row.outcome_counts,
               rows={"manage": [34], "supervision": [10, 11], "post_release": [6]})
    record(session, actor, loaded, [ev], what="end-of-sentence outcome comparison", now=now)
    return row


def get_outcomes(session: Session, actor: Actor, case_id: int, *, now: datetime) -> OutcomeReviewRow:
    loaded = load(session, actor, case_id)
    row = session.scalar(select(OutcomeReviewRow).where(OutcomeReviewRow.case_id == case_id))
    if row is None:
        raise NotFound(f"case {case_id} has no outcome comparison", field="case_id", value=case_id,
                       rule="outcomes are compared at the end of the sentence")
    audit.record(session, actor, "read", loaded.row.crn, f"case {case_id}: outcome comparison", at=now)
    return row


# RAR information ---------------------------------------------------------------------------------

class RecipientRole(StrEnum):
    SENTENCER = "sentencer"
    REPORT_WRITER = "report_writer"  # pre-sentence report writers
    PARTNER_AGENCY = "partner_agency"


class SentFormat(StrEnum):
    PDF = "pdf"
    LINK = "link"
    PRINTED = "printed"


@lru_cache(maxsize=4)
def _read(path: Path, mtime: float) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("version", "reviewed_on", "title", "summary", "purposes", "activities",
                "assessment_criteria"):
        if key not in data:
            raise InvalidValue(f"{path.name} has no {key}", field=key, value=None,
                               rule="the RAR information names its version, review date, "
                               "purposes, activities and assessment criteria")
    data["version"] = str(data["version"])
    return dict(data)


def rar_information(path: Path = RAR_FILE) -> dict[str, Any]:
    """The maintained description, reloaded when the file changes."""
    return _read(path, path.stat().st_mtime)


def rar_information_pdf() -> bytes:
    return DOCUMENTS.pdf(DOCUMENTS.html("interventions/rar_information_pdf.html", info=rar_information()))


@dataclass(frozen=True, kw_only=True)
class Recipient:
    name: str
    role: str
    organisation: str | None
    email: str | None
    sent_on: date
    format: str


def record_sent(session: Session, actor: Actor, recipient: Recipient, *,
                now: datetime) -> RarInformationSentRow:
    ensure_role(actor, SENDERS, "record who was sent the RAR information")
    require(bool(recipient.name.strip()), "the recipient has no name", field="name",
            value=recipient.name, rule="name who was sent the information")
    try:
        role, fmt = RecipientRole(recipient.role), SentFormat(recipient.format)
    except ValueError:
        bad = "role" if recipient.role not in {r.value for r in RecipientRole} else "format"
        options = RecipientRole if bad == "role" else SentFormat
        raise InvalidValue(f"{bad} {getattr(recipient, bad)!r} is not known", field=bad,
                           value=getattr(recipient, bad),
                           rule="one of " + ", ".join(x.value for x in options)) from None
    iso = recipient.sent_on.isoformat()
    require(recipient.sent_on <= now.date(), f"date {iso} is after today", field="sent_on",
            value=iso, rule="record the information once sent")
    row = RarInformationSentRow(version=rar_information()["version"], recipient_name=recipient.name.strip(),
                                recipient_role=role.value, organisation=recipient.organisation,
                                email=recipient.email, sent_on=recipient.sent_on, format=fmt.value,
                                sent_by=actor.username, recorded_at=now)
    session.add(row)
    audit.record(session, actor, "write", None, f"RAR information sent to {row.recipient_name} "
                 f"({role.value})", at=now)
    session.flush()
    return row


def list_sent(session: Session, actor: Actor) -> list[RarInformationSentRow]:
    ensure_role(actor, SENDERS | {Role.COMMISSIONER}, "see who was sent the RAR information")
    return list(session.scalars(select(RarInformationSentRow).order_by(RarInformationSentRow.sent_on,
                                                                       RarInformationSentRow.id)))
