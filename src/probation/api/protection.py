"""Risk and public protection API: RoSH and OGRS3, registers, escalations to the NPS risk team,
safeguarding records, the plan and its reviews, and offender manager notices."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from probation.adapters.db.tables import CaseRow
from probation.adapters.db.tables_protection import (
    OffenderManagerNoticeRow,
    PlanReviewRow,
    PredictorScoreRow,
    RegisterEntryRow,
    RiskEscalationRow,
    RoshAssessmentRow,
    SafeguardingRecordRow,
)
from probation.api.deps import get_api_actor, get_now, get_session
from probation.api.schemas import protection as s
from probation.services.context import Actor
from probation.services.protection import escalation, plans, safeguarding
from probation.services.protection import notices as protection_notices
from probation.services.protection import risk as protection

router = APIRouter(prefix="/api")
MAX_ID = 2**53
TAG: list[str | Enum] = ["risk and public protection"]


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else value


def rosh_view(r: RoshAssessmentRow) -> dict[str, Any]:
    return {"id": r.id, "assessed_on": _iso(r.assessed_on), "assessor": r.assessor, "rosh": r.overall,
            "levels": r.levels, "summary": r.summary, "recorded_by": r.recorded_by}


def score_view(r: PredictorScoreRow) -> dict[str, Any]:
    return {"id": r.id, "model": r.model_name, "version": r.model_version,
            "scored_on": _iso(r.scored_on), "inputs": r.inputs, "score": r.score,
            "one_year": r.one_year, "two_year": r.two_year, "band": r.band,
            "recorded_by": r.recorded_by}


def register_view(r: RegisterEntryRow) -> dict[str, Any]:
    return {"id": r.id, "register": r.register, "category": r.category, "level": r.level,
            "start_date": _iso(r.start_date), "review_date": _iso(r.review_date),
            "end_date": _iso(r.end_date), "notes": r.notes, "recorded_by": r.recorded_by}


def escalation_view(r: RiskEscalationRow, case: CaseRow | None = None) -> dict[str, Any]:
    out = {"id": r.id, "case_id": r.case_id, "organisation_code": r.organisation_code,
           "status": r.status, "concern": r.concern, "evidence": r.evidence,
           "indicated_at": _iso(r.indicated_at), "indicated_by": r.indicated_by,
           "referred_at": _iso(r.referred_at), "referred_by": r.referred_by,
           "decision": r.decision, "decided_at": _iso(r.decided_at), "decided_by": r.decided_by,
           "assessed_rosh": r.assessed_rosh, "rationale": r.rationale,
           "to_team_code": r.to_team_code, "planned_review_date": _iso(r.planned_review_date),
           "actioned_at": _iso(r.actioned_at), "actioned_by": r.actioned_by,
           "action_note": r.action_note}
    if case is not None:
        out["crn"] = case.crn
        out["team_code"] = case.team_code
    return out


def safeguarding_view(r: SafeguardingRecordRow) -> dict[str, Any]:
    return {"id": r.id, "kind": r.kind, "on": _iso(r.occurred_on), "agency_code": r.agency_code,
            "outcome": r.outcome, "topic": r.topic, "note": r.note, "related_id": r.related_id,
            "register": r.register, "recorded_by": r.recorded_by}


def review_view(r: PlanReviewRow) -> dict[str, Any]:
    return {"id": r.id, "kind": r.kind, "reviewed_on": _iso(r.reviewed_on), "reasons": r.reasons,
            "objectives": r.objectives, "outcomes": r.outcomes, "agreed": r.agreed,
            "person_comments": r.person_comments, "notes": r.notes, "recorded_by": r.recorded_by}


def notice_view(r: OffenderManagerNoticeRow) -> dict[str, Any]:
    return {"id": r.id, "case_id": r.case_id, "crn": r.crn, "staff_code": r.staff_code,
            "team_code": r.team_code, "change": r.change, "summary": r.summary,
            "created_at": _iso(r.created_at), "read": r.read_at is not None,
            "read_at": _iso(r.read_at)}


# Risk of serious harm and predictor scores ------------------------------------------------------

@router.post("/cases/{case_id}/rosh-assessments", response_model=s.RoshAssessmentAnswer, status_code=201, tags=TAG)
def add_rosh(body: s.RoshAssessmentIn, case_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
             session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = protection.assess_rosh(session, actor, case_id, assessed_on=body.assessed_on,
                                 assessor=body.assessor, levels=body.levels, summary=body.summary,
                                 now=now)
    return rosh_view(row)


@router.post("/cases/{case_id}/ogrs3", response_model=s.PredictorScoreAnswer, status_code=201, tags=TAG)
def add_ogrs3(body: s.Ogrs3In, case_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
              session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = protection.score_ogrs3(session, actor, case_id, total_sanctions=body.total_sanctions,
                                 age_at_first_sanction=body.age_at_first_sanction,
                                 offence_code=body.offence_code, conviction_date=body.conviction_date,
                                 follow_up_date=body.follow_up_date,
                                 model_version=body.model_version, now=now)
    return score_view(row)


@router.get("/cases/{case_id}/risk", response_model=s.RiskAnswer, tags=TAG)
def risk(case_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
         session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    summary = protection.risk_summary(session, actor, case_id, now=now)
    return {
        "case_id": case_id,
        "rosh": summary["rosh"].value if summary["rosh"] else None,
        "responsible": summary["responsible"], "managed_by": summary["managed_by"],
        "mappa": summary["mappa"], "active_registers": summary["active_registers"],
        "agencies_to_notify": summary["agencies_to_notify"],
        "latest_scores": {k: score_view(v) for k, v in summary["latest_scores"].items()},
        "rosh_history": [rosh_view(r) for r in summary["rosh_history"]],
        "scores": [score_view(r) for r in summary["scores"]],
        "registers": [register_view(r) for r in summary["registers"]],
    }


# Registers --------------------------------------------------------------------------------------

@router.post("/cases/{case_id}/registers", response_model=s.RegisterEntryAnswer, status_code=201, tags=TAG)
def add_register(body: s.RegisterIn, case_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
                 session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = protection.add_register(session, actor, case_id, **body.model_dump(by_alias=True), now=now)
    return register_view(row)


@router.post("/cases/{case_id}/registers/{register_id}/end", response_model=s.RegisterEntryAnswer, tags=TAG)
def end_register(body: s.RegisterEndIn, case_id: int = Path(..., ge=1, le=MAX_ID),
                 register_id: int = Path(..., ge=1, le=MAX_ID),
                 actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                 now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = protection.end_register(session, actor, case_id, register_id, end_date=body.end_date,
                                  reason=body.reason, now=now)
    return register_view(row)


@router.post("/cases/{case_id}/registers/{register_id}/review", response_model=s.RegisterEntryAnswer, tags=TAG)
def review_register(body: s.RegisterReviewIn, case_id: int = Path(..., ge=1, le=MAX_ID),
                    register_id: int = Path(..., ge=1, le=MAX_ID),
                    actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                    now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = protection.review_register(session, actor, case_id, register_id, **body.model_dump(),
                                     now=now)
    return register_view(row)


@router.post("/cases/{case_id}/scheme-checks", response_model=s.SchemeCheckAnswer, status_code=201, tags=TAG)
def scheme_check(body: s.SchemeCheckIn, case_id: int = Path(..., ge=1, le=MAX_ID),
                 actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                 now: datetime = Depends(get_now)) -> dict[str, Any]:
    active = protection.check_schemes(session, actor, case_id, **body.model_dump(), now=now)
    return {"case_id": case_id, "checked_on": body.checked_on.isoformat(), "active_registers": active}


# Escalation to the NPS ---------------------------------------------------------------------------

@router.post("/cases/{case_id}/risk-escalations", response_model=s.EscalationAnswer, status_code=201, tags=TAG)
def raise_escalation(body: s.EscalationIn, case_id: int = Path(..., ge=1, le=MAX_ID),
                     actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                     now: datetime = Depends(get_now)) -> dict[str, Any]:
    return escalation_view(escalation.indicate(session, actor, case_id, **body.model_dump(), now=now))


@router.get("/risk/escalations", response_model=s.EscalationQueueAnswer, tags=TAG)
def escalation_queue(status: str = Query("referred", max_length=16),
                     actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                     now: datetime = Depends(get_now)) -> dict[str, Any]:
    rows = escalation.queue(session, actor, status=status, now=now)
    return {"items": [escalation_view(e, c) for e, c in rows], "total": len(rows)}


@router.get("/risk/escalations/{escalation_id}", response_model=s.EscalationAnswer, tags=TAG)
def escalation_detail(escalation_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
                      session: Session = Depends(get_session),
                      now: datetime = Depends(get_now)) -> dict[str, Any]:
    return escalation_view(escalation.get(session, actor, escalation_id, now=now))


@router.post("/risk/escalations/{escalation_id}/refer", response_model=s.EscalationAnswer, tags=TAG)
def refer(body: s.Empty, escalation_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
          session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return escalation_view(escalation.refer_escalation(session, actor, escalation_id, now=now))


@router.post("/risk/escalations/{escalation_id}/decision", response_model=s.EscalationAnswer, tags=TAG)
def decide(body: s.DecisionIn, escalation_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
           session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return escalation_view(escalation.decide(session, actor, escalation_id, **body.model_dump(),
                                             now=now))


@router.post("/risk/escalations/{escalation_id}/action", response_model=s.EscalationAnswer, tags=TAG)
def act(body: s.ActionIn, escalation_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
        session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return escalation_view(escalation.act_on_decision(session, actor, escalation_id, note=body.note,
                                                      now=now))


# Safeguarding -----------------------------------------------------------------------------------

@router.post("/cases/{case_id}/safeguarding", response_model=s.SafeguardingRecordAnswer, status_code=201, tags=TAG)
def add_safeguarding(body: s.SafeguardingIn, case_id: int = Path(..., ge=1, le=MAX_ID),
                     actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                     now: datetime = Depends(get_now)) -> dict[str, Any]:
    return safeguarding_view(safeguarding.add_record(session, actor, case_id, **body.model_dump(by_alias=True),
                                                     now=now))


@router.get("/cases/{case_id}/safeguarding", response_model=s.SafeguardingRecordsAnswer, tags=TAG)
def list_safeguarding(case_id: int = Path(..., ge=1, le=MAX_ID), kind: str | None = Query(None, max_length=40),
                      actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                      now: datetime = Depends(get_now)) -> dict[str, Any]:
    rows = safeguarding.list_records(session, actor, case_id, kind=kind, now=now)
    return {"items": [safeguarding_view(r) for r in rows]}


# Plan -------------------------------------------------------------------------------------------

@router.post("/cases/{case_id}/plan", response_model=s.PlanAnswer, status_code=201, tags=TAG)
def create_plan(body: s.PlanIn, case_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
                session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    plans.create_plan(session, actor, case_id, completed_on=body.completed_on,
                      objectives=[o.model_dump() for o in body.objectives], agreed=body.agreed,
                      person_comments=body.person_comments, now=now)
    return plan_view(plans.get_plan(session, actor, case_id, now=now))


def plan_view(v: plans.PlanView) -> dict[str, Any]:
    p = v.plan
    return {"id": p.id, "case_id": p.case_id, "completed_on": _iso(p.completed_on),
            "objectives": p.objectives, "agreed": p.agreed, "person_comments": p.person_comments,
            "last_reviewed_on": _iso(p.last_reviewed_on),
            "next_regular_review": _iso(v.next_regular_review),
            "review_needed": [r.value for r in v.review_needed],
            "reviews": [review_view(r) for r in v.reviews], "recorded_by": p.recorded_by}


@router.get("/cases/{case_id}/plan", response_model=s.PlanAnswer, tags=TAG)
def get_plan(case_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
             session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return plan_view(plans.get_plan(session, actor, case_id, now=now))


@router.post("/cases/{case_id}/plan/reviews", response_model=s.PlanReviewAnswer, status_code=201, tags=TAG)
def review_plan(body: s.PlanReviewIn, case_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
                session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = plans.review_plan(
        session, actor, case_id, reviewed_on=body.reviewed_on, reasons=body.reasons,
        objectives=None if body.objectives is None else [o.model_dump() for o in body.objectives],
        agreed=body.agreed, person_comments=body.person_comments, notes=body.notes, now=now)
    return review_view(row)


@router.post("/cases/{case_id}/plan/end-of-sentence-review", response_model=s.PlanReviewAnswer,
             status_code=201, tags=TAG)
def end_of_sentence(body: s.EndOfSentenceReviewIn, case_id: int = Path(..., ge=1, le=MAX_ID),
                    actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                    now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = plans.end_of_sentence_review(session, actor, case_id, reviewed_on=body.reviewed_on,
                                       outcomes=body.outcomes, notes=body.notes, now=now)
    return review_view(row)


# Offender manager notices -----------------------------------------------------------------------

@router.get("/me/notices", response_model=s.NoticesAnswer, tags=TAG)
def my_notices(unread: bool = False, page: int = Query(1, ge=1, le=100_000),
               size: int = Query(50, ge=1, le=200), actor: Actor = Depends(get_api_actor),
               session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    rows = protection_notices.list_notices(session, actor, unread_only=unread, limit=size,
                                           offset=(page - 1) * size, now=now)
    return {"items": [notice_view(r) for r in rows], "page": page, "size": size}


@router.post("/me/notices/{notice_id}/read", response_model=s.NoticeAnswer, tags=TAG)
def read_notice(body: s.Empty, notice_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
                session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return notice_view(protection_notices.mark_read(session, actor, notice_id, now=now))
