"""The plan, its reviews and the end-of-sentence review (Manage rows 8, 13, 16-18, 32, 34)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import CaseEventRow
from probation.adapters.db.tables_protection import PlanReviewRow, SentencePlanRow
from probation.domain.case import CaseStatus
from probation.domain.errors import Conflict, InvalidValue, NotFound, require
from probation.domain.events import EventKind
from probation.domain.protection import plans
from probation.domain.requirements import RequirementType
from probation.services import audit
from probation.services.case_commands import (
    RECORDERS,
    Loaded,
    ensure_role,
    event,
    load,
    load_for_change,
    occurred,
    record,
)
from probation.services.context import Actor

# Platform default for "a regular basis" (row 32): the catalogue's plan_review timescale, 16 weeks.
REGULAR_REVIEW = timedelta(days=112)


@dataclass(frozen=True, kw_only=True)
class PlanView:
    plan: SentencePlanRow
    reviews: list[PlanReviewRow]
    review_needed: tuple[plans.ReviewReason, ...]
    next_regular_review: date


def parse_objectives(items: list[dict[str, Any]]) -> list[plans.Objective]:
    out = []
    for i, item in enumerate(items):
        req, need = item.get("requirement"), item.get("need_area")
        try:
            requirement = RequirementType(req) if req else None
        except ValueError:
            raise InvalidValue(f"objective {i + 1}: requirement {req!r} is not known",
                               field=f"objectives.{i}.requirement", value=req,
                               rule="a requirement type of the order") from None
        try:
            need_area = plans.NeedArea(need) if need else None
        except ValueError:
            raise InvalidValue(f"objective {i + 1}: need area {need!r} is not known",
                               field=f"objectives.{i}.need_area", value=need,
                               rule="one of " + ", ".join(n.value for n in plans.NeedArea)) from None
        out.append(plans.Objective(description=str(item.get("description", "")),
                                   requirement=requirement, need_area=need_area))
    return out


def objectives_json(objectives: list[plans.Objective]) -> list[dict[str, Any]]:
    return [{"description": o.description.strip(),
             "requirement": o.requirement.value if o.requirement else None,
             "need_area": o.need_area.value if o.need_area else None} for o in objectives]


def _plan_row(session: Session, case_id: int) -> SentencePlanRow | None:
    return session.scalar(select(SentencePlanRow).where(SentencePlanRow.case_id == case_id))


def _require_plan(session: Session, case_id: int) -> SentencePlanRow:
    row = _plan_row(session, case_id)
    if row is None:
        raise NotFound(f"case {case_id} has no plan", field="case_id", value=case_id,
                       rule="a plan is completed before it is reviewed")
    return row


def _objectives_for(loaded: Loaded, items: list[dict[str, Any]]) -> list[plans.Objective]:
    objectives = parse_objectives(items)
    plans.validate_objectives(objectives, (r.type for r in loaded.case.sentence.requirements))
    return objectives


def create_plan(session: Session, actor: Actor, case_id: int, *, completed_on: date,
                objectives: list[dict[str, Any]], agreed: bool, person_comments: str | None,
                now: datetime) -> SentencePlanRow:
    """Rows 8, 13 and 16: the plan after allocation, meeting the order, made with the person."""
    loaded = load_for_change(session, actor, case_id, RECORDERS, "complete a plan")
    if loaded.case.offender_manager_code is None:
        raise Conflict(f"case {case_id} is not allocated", field="case_id", value=case_id,
                       rule="a plan is completed following allocation (Manage row 8)")
    if _plan_row(session, case_id) is not None:
        raise Conflict(f"case {case_id} already has a plan", field="case_id", value=case_id,
                       rule="one plan per case; change it through a review")
    parsed = _objectives_for(loaded, objectives)
    agreement = plans.Agreement(agreed=agreed, person_comments=person_comments)
    plans.validate_plan_date(completed_on, sentence_date=loaded.case.sentence.sentence_date,
                             as_of=now.date(), field="completed_on")
    at = occurred(completed_on, now)
    row = SentencePlanRow(case_id=case_id, completed_on=completed_on,
                          objectives=objectives_json(parsed), agreed=agreement.agreed,
                          person_comments=agreement.person_comments, last_reviewed_on=None,
                          last_changed_at=now, recorded_at=now, recorded_by=actor.username)
    session.add(row)
    session.flush()
    ev = event(EventKind.PLAN_COMPLETED, at, actor, None, plan_id=row.id,
               completed_on=completed_on.isoformat(), objectives=len(parsed),
               requirements=sorted({o.requirement.value for o in parsed if o.requirement}),
               need_areas=sorted({o.need_area.value for o in parsed if o.need_area}),
               agreed=agreed)
    record(session, actor, loaded, [ev], what=f"plan {row.id} completed", now=now)
    return row


def review_plan(session: Session, actor: Actor, case_id: int, *, reviewed_on: date,
                reasons: list[str], objectives: list[dict[str, Any]] | None, agreed: bool,
                person_comments: str | None, notes: str | None, now: datetime) -> PlanReviewRow:
    """Row 32: checked and adjusted regularly and on a significant change."""
    loaded = load_for_change(session, actor, case_id, RECORDERS, "review the plan")
    plan = _require_plan(session, case_id)
    parsed_reasons = []
    for r in reasons:
        try:
            parsed_reasons.append(plans.ReviewReason(r))
        except ValueError:
            raise InvalidValue(f"review reason {r!r} is not known", field="reasons", value=r,
                               rule="one of " + ", ".join(x.value for x in plans.ReviewReason)) from None
    require(bool(parsed_reasons), "no reason for the review", field="reasons", value=None,
            rule="a review says why it was held (regular or a significant change)")
    new_objectives = _objectives_for(loaded, objectives) if objectives is not None else None
    agreement = plans.Agreement(agreed=agreed, person_comments=person_comments)
    plans.validate_plan_date(reviewed_on, sentence_date=loaded.case.sentence.sentence_date,
                             as_of=now.date(), field="reviewed_on")
    last = plan.last_reviewed_on or plan.completed_on
    require(reviewed_on >= last, f"review on {reviewed_on.isoformat()} is before the last plan "
            f"or review ({last.isoformat()})", field="reviewed_on", value=reviewed_on.isoformat(),
            rule="reviews follow the plan in date order")
    addressed = _review_needed(session, plan)
    at = occurred(reviewed_on, now)
    review = PlanReviewRow(plan_id=plan.id, kind="review", reviewed_on=reviewed_on,
                           reasons=[r.value for r in parsed_reasons],
                           objectives=objectives_json(new_objectives) if new_objectives is not None
                           else plan.objectives, outcomes=[], agreed=agreement.agreed,
                           person_comments=agreement.person_comments, notes=notes,
                           recorded_at=now, recorded_by=actor.username)
    session.add(review)
    if new_objectives is not None:
        plan.objectives = objectives_json(new_objectives)
    plan.agreed, plan.person_comments = agreement.agreed, agreement.person_comments
    plan.last_reviewed_on, plan.last_changed_at = reviewed_on, now
    session.flush()
    ev = event(EventKind.PLAN_REVIEWED, at, actor, notes, plan_id=plan.id, review_id=review.id,
               reviewed_on=reviewed_on.isoformat(), reasons=review.reasons,
               objectives_changed=new_objectives is not None,
               changes_addressed=[r.value for r in addressed], agreed=agreed)
    record(session, actor, loaded, [ev], what=f"plan {plan.id} reviewed", now=now)
    return review


def end_of_sentence_review(session: Session, actor: Actor, case_id: int, *, reviewed_on: date,
                           outcomes: list[str], notes: str | None,
                           now: datetime) -> PlanReviewRow:
    """Row 34: a review of outcomes at the end of the sentence."""
    ensure_role(actor, RECORDERS, "review outcomes at the end of the sentence")
    loaded = load(session, actor, case_id)
    case = loaded.case
    if case.status is CaseStatus.CLOSED:
        raise Conflict(f"case {case_id} is closed", field="status", value=case.status.value,
                       rule="the end-of-sentence review comes before closure")
    if not plans.end_of_sentence_open(terminated=case.status is CaseStatus.TERMINATED,
                                      end_date=case.sentence.end_date, as_of=now.date()):
        raise Conflict(f"case {case_id} runs until {case.sentence.end_date.isoformat()} and is not "
                       "terminated", field="status", value=case.status.value,
                       rule="outcomes are reviewed at the end of the sentence")
    plan = _require_plan(session, case_id)
    if session.scalar(select(PlanReviewRow.id).where(PlanReviewRow.plan_id == plan.id,
                                                     PlanReviewRow.kind == "end_of_sentence")):
        raise Conflict(f"case {case_id} already has an end-of-sentence review", field="case_id",
                       value=case_id, rule="one end-of-sentence review per case")
    parsed = []
    for o in outcomes:
        try:
            parsed.append(plans.Outcome(o))
        except ValueError:
            raise InvalidValue(f"outcome {o!r} is not known", field="outcomes", value=o,
                               rule="one of " + ", ".join(x.value for x in plans.Outcome)) from None
    objectives = parse_objectives(plan.objectives)
    plans.validate_outcomes(parsed, objectives)
    require(reviewed_on <= now.date(), f"review date {reviewed_on.isoformat()} is after today",
            field="reviewed_on", value=reviewed_on.isoformat(), rule="a review is recorded once done")
    require(reviewed_on >= plan.completed_on, f"review date {reviewed_on.isoformat()} is before the "
            f"plan ({plan.completed_on.isoformat()})", field="reviewed_on",
            value=reviewed_on.isoformat(), rule="outcomes are reviewed after the plan")
    review = PlanReviewRow(plan_id=plan.id, kind="end_of_sentence", reviewed_on=reviewed_on,
                           reasons=["end_of_sentence"], objectives=plan.objectives,
                           outcomes=[o.value for o in parsed], agreed=plan.agreed,
                           person_comments=None, notes=notes, recorded_at=now,
                           recorded_by=actor.username)
    session.add(review)
    session.flush()
    counts = {o.value: sum(1 for p in parsed if p is o) for o in plans.Outcome}
    ev = event(EventKind.END_OF_SENTENCE_REVIEW_COMPLETED, occurred(reviewed_on, now), actor, notes,
               plan_id=plan.id, review_id=review.id, reviewed_on=reviewed_on.isoformat(),
               outcomes=counts)
    record(session, actor, loaded, [ev], what=f"plan {plan.id} end-of-sentence review", now=now)
    return review


def _review_needed(session: Session, plan: SentencePlanRow) -> tuple[plans.ReviewReason, ...]:
    last_plan_seq = session.scalar(select(func.max(CaseEventRow.seq)).where(
        CaseEventRow.case_id == plan.case_id,
        CaseEventRow.kind.in_([EventKind.PLAN_COMPLETED.value, EventKind.PLAN_REVIEWED.value]))) or 0
    rows = session.scalars(select(CaseEventRow).where(
        CaseEventRow.case_id == plan.case_id, CaseEventRow.seq > last_plan_seq,
        CaseEventRow.kind.in_([k.value for k in plans.SIGNIFICANT])).order_by(CaseEventRow.seq))
    changes = [plans.Change(kind=EventKind(r.kind), seq=r.seq,
                            rosh_changed=bool((r.data or {}).get("changed", True))) for r in rows]
    return plans.reviews_needed(changes, after_seq=last_plan_seq)


def get_plan(session: Session, actor: Actor, case_id: int, *, now: datetime) -> PlanView:
    loaded = load(session, actor, case_id)
    plan = _require_plan(session, case_id)
    reviews = list(session.scalars(select(PlanReviewRow).where(PlanReviewRow.plan_id == plan.id)
                                   .order_by(PlanReviewRow.reviewed_on, PlanReviewRow.id)))
    audit.record(session, actor, "read", loaded.row.crn, f"case {case_id}: plan", at=now)
    last = plan.last_reviewed_on or plan.completed_on
    return PlanView(plan=plan, reviews=reviews, review_needed=_review_needed(session, plan),
                    next_regular_review=last + REGULAR_REVIEW)
