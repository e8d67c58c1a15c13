"""Needs, interventions and outcomes API: needs assessments and progress, the commissioners'
needs summary, the directory of services, referrals with their sessions and feedback,
commissioned options, structured sessions, the end-of-sentence comparison, and the record of
who was sent the RAR information."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from probation.adapters.db.tables_interventions import (
    InterventionServiceRow,
    NeedsAssessmentRow,
    OptionOfferRow,
    OutcomeReviewRow,
    RarInformationSentRow,
    ReferralFeedbackRow,
    ReferralRow,
    StructuredSessionRow,
)
from probation.api.delivery import appointment_view
from probation.api.deps import get_api_actor, get_now, get_session
from probation.api.schemas import interventions as s
from probation.catalogue import Contract
from probation.domain.errors import InvalidValue
from probation.domain.interventions.sessions import SESSION_PLANS
from probation.services.context import Actor
from probation.services.interventions import needs as needs_service
from probation.services.interventions import options, outcomes, referrals

router = APIRouter(prefix="/api")
MAX_ID = 2**53
TAG: list[str | Enum] = ["needs, interventions and outcomes"]
CaseId = Path(..., ge=1, le=MAX_ID)


def get_contract() -> Contract:
    """The provider contract whose commissioned options apply (overridable in tests)."""
    return options.default_contract()


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else value


def assessment_view(r: NeedsAssessmentRow) -> dict[str, Any]:
    return {"id": r.id, "stage": r.stage, "assessed_on": _iso(r.assessed_on), "assessor": r.assessor,
            "scores": r.scores, "total": sum(r.scores.values()), "notes": r.notes,
            "recorded_by": r.recorded_by}


def service_view(r: InterventionServiceRow, taken: int | None = None) -> dict[str, Any]:
    out = {"code": r.code, "name": r.name, "provider": r.provider, "kind": r.kind,
           "need_areas": r.need_areas, "location": r.location, "capacity": r.capacity,
           "eligibility": r.eligibility, "rar_activity": r.rar_activity, "active": r.active}
    if taken is not None:
        out["places_taken"] = taken
        out["places_free"] = max(r.capacity - taken, 0)
    return out


def referral_view(r: ReferralRow) -> dict[str, Any]:
    return {"id": r.id, "case_id": r.case_id, "service_code": r.service_code, "need_area": r.need_area,
            "objective": r.objective, "status": r.status, "sent_on": _iso(r.sent_on),
            "status_on": _iso(r.status_on), "reason": r.reason, "notes": r.notes,
            "outcome": r.outcome, "history": r.history, "recorded_by": r.recorded_by}


def feedback_view(r: ReferralFeedbackRow) -> dict[str, Any]:
    return {"id": r.id, "case_id": r.case_id, "referral_id": r.referral_id, "staff_code": r.staff_code,
            "from": r.from_username, "summary": r.summary, "created_at": _iso(r.created_at),
            "acknowledged": r.acknowledged_at is not None}


def offer_view(r: OptionOfferRow) -> dict[str, Any]:
    return {"id": r.id, "option_id": r.option_id, "contract_id": r.contract_id, "status": r.status,
            "offered_on": _iso(r.offered_on), "status_on": _iso(r.status_on),
            "qualification": r.qualification, "groups": r.groups, "reason": r.reason,
            "history": r.history, "recorded_by": r.recorded_by}


def session_view(r: StructuredSessionRow) -> dict[str, Any]:
    return {"id": r.id, "topic": r.topic, "number": r.number, "delivered_on": _iso(r.delivered_on),
            "covered": r.covered, "response": r.response, "notes": r.notes,
            "delivered_by": r.delivered_by}


def outcome_view(r: OutcomeReviewRow) -> dict[str, Any]:
    return {"id": r.id, "case_id": r.case_id, "plan_review_id": r.plan_review_id,
            "reviewed_on": _iso(r.reviewed_on), "needs": r.needs, "needs_direction": r.needs_direction,
            "rosh": {"start": r.rosh_start, "end": r.rosh_end},
            "ogrs3_two_year": {"start": r.ogrs3_start, "end": r.ogrs3_end},
            "objectives": r.objectives, "outcome_counts": r.outcome_counts, "notes": r.notes,
            "recorded_by": r.recorded_by}


def sent_view(r: RarInformationSentRow) -> dict[str, Any]:
    return {"id": r.id, "version": r.version, "name": r.recipient_name, "role": r.recipient_role,
            "organisation": r.organisation, "email": r.email, "sent_on": _iso(r.sent_on),
            "format": r.format, "sent_by": r.sent_by}


# Needs -------------------------------------------------------------------------------------------

@router.post("/cases/{case_id}/needs-assessments", response_model=s.NeedsAssessmentAnswer, status_code=201, tags=TAG)
def assess(body: s.NeedsAssessmentIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
           session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = needs_service.assess_needs(session, actor, case_id, **body.model_dump(), now=now)
    return assessment_view(row)


@router.get("/cases/{case_id}/needs", response_model=s.NeedsProgressAnswer, tags=TAG)
def needs(case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
          session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    p = needs_service.needs_progress(session, actor, case_id, now=now)
    return {
        "case_id": case_id, "assessments": [assessment_view(a) for a in p.assessments],
        "changes": [{"need_area": c.area.value, "first": int(c.first), "latest": int(c.latest),
                     "change": c.change, "direction": c.direction.value, "in_plan": c.in_plan}
                    for c in p.changes],
        "plan_needs": p.plan_needs.value if p.plan_needs else None,
        "rosh": {"first": p.rosh_first.value if p.rosh_first else None,
                 "latest": p.rosh_latest.value if p.rosh_latest else None,
                 "direction": p.rosh_direction.value if p.rosh_direction else None},
    }


@router.get("/interventions/needs-summary", response_model=s.NeedsSummaryAnswer, tags=TAG)
def needs_summary(organisation_code: str | None = Query(None, max_length=16),
                  actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                  now: datetime = Depends(get_now)) -> dict[str, Any]:
    sm = needs_service.needs_summary(session, actor, organisation_code=organisation_code, now=now)
    return {"organisation_code": sm.organisation_code, "cases_assessed": sm.cases_assessed,
            "cases_compared": sm.cases_compared, "plan_needs": sm.plan_needs, "rosh": sm.rosh,
            "areas": [{"need_area": a.area.value, "cases": a.cases, "reduced": a.reduced,
                       "unchanged": a.unchanged, "increased": a.increased,
                       "mean_first": a.mean_first, "mean_latest": a.mean_latest} for a in sm.areas]}


# Directory ---------------------------------------------------------------------------------------

@router.put("/intervention-services/{code}", response_model=s.ServicePlacesAnswer, tags=TAG)
def save_service(body: s.ServiceIn, code: str = Path(..., min_length=1, max_length=32),
                 actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                 now: datetime = Depends(get_now)) -> dict[str, Any]:
    data = body.model_dump()
    if data.pop("code") != code:
        raise InvalidValue(f"body code {body.code!r} differs from the address {code!r}", field="code",
                           value=body.code, rule="the service is named by its address")
    row = referrals.save_service(session, actor, code=code, **data, now=now)
    return service_view(row, referrals.places_taken(session, row.code))


@router.get("/intervention-services", response_model=s.ServicesAnswer, tags=TAG)
def services(need_area: str | None = Query(None, max_length=40), include_closed: bool = False,
             actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session)) -> dict[str, Any]:
    rows = referrals.list_services(session, need_area=need_area, include_closed=include_closed)
    return {"items": [service_view(r, taken) for r, taken in rows], "total": len(rows)}


# Referrals ---------------------------------------------------------------------------------------

@router.post("/cases/{case_id}/referrals", response_model=s.ReferralAnswer, status_code=201, tags=TAG)
def refer(body: s.ReferralIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
          session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return referral_view(referrals.refer(session, actor, case_id, **body.model_dump(), now=now))


@router.get("/cases/{case_id}/referrals", response_model=s.ReferralsAnswer, tags=TAG)
def list_referrals(case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
                   session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    views = referrals.list_referrals(session, actor, case_id, now=now)
    return {"items": [{**referral_view(v.referral), "service": service_view(v.service),
                       "sessions": [appointment_view(a) for a in v.sessions]} for v in views],
            "total": len(views)}


@router.post("/cases/{case_id}/referrals/{referral_id}/status", response_model=s.ReferralAnswer, tags=TAG)
def update_referral(body: s.ReferralUpdateIn, case_id: int = CaseId,
                    referral_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
                    session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = referrals.update_referral(session, actor, case_id, referral_id, **body.model_dump(), now=now)
    return referral_view(row)


@router.post("/cases/{case_id}/referrals/{referral_id}/sessions", response_model=s.SessionBookedAnswer,
             status_code=201, tags=TAG)
def book_session(body: s.SessionBookingIn, case_id: int = CaseId,
                 referral_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
                 session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    result = referrals.book_session(session, actor, case_id, referral_id, **body.model_dump(), now=now)
    return {**appointment_view(result.appointment), "referral_id": referral_id,
            "booking_warnings": [{"code": w.code, "message": w.message} for w in result.warnings]}


@router.post("/cases/{case_id}/referrals/{referral_id}/sessions/{appointment_id}/attendance",
             response_model=s.SessionAppointmentAnswer, tags=TAG)
def attendance(body: s.AttendanceIn, case_id: int = CaseId, referral_id: int = Path(..., ge=1, le=MAX_ID),
               appointment_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
               session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = referrals.record_attendance(session, actor, case_id, referral_id, appointment_id,
                                      **body.model_dump(), now=now)
    return {**appointment_view(row), "referral_id": referral_id}


@router.get("/me/referral-feedback", response_model=s.FeedbackListAnswer, tags=TAG)
def my_feedback(include_acknowledged: bool = False, actor: Actor = Depends(get_api_actor),
                session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    rows = referrals.my_feedback(session, actor, include_acknowledged=include_acknowledged, now=now)
    return {"items": [feedback_view(r) for r in rows], "total": len(rows)}


@router.post("/me/referral-feedback/{feedback_id}/acknowledge", response_model=s.FeedbackAnswer, tags=TAG)
def acknowledge(feedback_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
                session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return feedback_view(referrals.acknowledge(session, actor, feedback_id, now=now))


# Commissioned options ----------------------------------------------------------------------------

@router.get("/cases/{case_id}/options", response_model=s.CaseOptionsAnswer, tags=TAG)
def case_options(case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
                 session: Session = Depends(get_session), now: datetime = Depends(get_now),
                 contract: Contract = Depends(get_contract)) -> dict[str, Any]:
    views = options.case_options(session, actor, case_id, now=now, contract=contract)
    return {"contract_id": contract.contract_id, "items": [
        {"option_id": v.option.value, "row": {"spec": v.option.row[0], "row": v.option.row[1]},
         "commissioned": v.commissioned, "qualifies": v.qualification.qualifies,
         "reason": v.qualification.reason, "offers": [offer_view(o) for o in v.offers]} for v in views]}


@router.post("/cases/{case_id}/options", response_model=s.OfferAnswer, status_code=201, tags=TAG)
def offer(body: s.OfferIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
          session: Session = Depends(get_session), now: datetime = Depends(get_now),
          contract: Contract = Depends(get_contract)) -> dict[str, Any]:
    return offer_view(options.offer(session, actor, case_id, **body.model_dump(), now=now,
                                    contract=contract))


@router.post("/cases/{case_id}/options/{offer_id}/status", response_model=s.OfferAnswer, tags=TAG)
def respond(body: s.OfferUpdateIn, case_id: int = CaseId, offer_id: int = Path(..., ge=1, le=MAX_ID),
            actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
            now: datetime = Depends(get_now)) -> dict[str, Any]:
    return offer_view(options.respond(session, actor, case_id, offer_id, **body.model_dump(), now=now))


# Structured sessions -----------------------------------------------------------------------------

@router.get("/structured-session-plans", response_model=s.SessionPlansAnswer, tags=TAG)
def session_plans(actor: Actor = Depends(get_api_actor)) -> dict[str, Any]:
    return {"items": [{"topic": t.value, "sessions": [{"number": p.number, "title": p.title,
                                                        "items": list(p.items)} for p in plans]}
                      for t, plans in SESSION_PLANS.items()]}


@router.post("/cases/{case_id}/structured-sessions", response_model=s.StructuredSessionAnswer,
             status_code=201, tags=TAG)
def record_session(body: s.StructuredSessionIn, case_id: int = CaseId,
                   actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                   now: datetime = Depends(get_now)) -> dict[str, Any]:
    return session_view(options.record_session(session, actor, case_id, **body.model_dump(), now=now))


@router.get("/cases/{case_id}/structured-sessions", response_model=s.StructuredSessionsAnswer, tags=TAG)
def sessions(case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
             session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    rows, cover = options.list_sessions(session, actor, case_id, now=now)
    return {"items": [session_view(r) for r in rows], "coverage": cover, "total": len(rows)}


# End-of-sentence outcomes ------------------------------------------------------------------------

@router.post("/cases/{case_id}/outcome-comparison", response_model=s.OutcomeComparisonAnswer, status_code=201, tags=TAG)
def compare(body: s.OutcomeComparisonIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
            session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return outcome_view(outcomes.compare_outcomes(session, actor, case_id, **body.model_dump(), now=now))


@router.get("/cases/{case_id}/outcome-comparison", response_model=s.OutcomeComparisonAnswer, tags=TAG)
def get_comparison(case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
                   session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return outcome_view(outcomes.get_outcomes(session, actor, case_id, now=now))


# RAR information ---------------------------------------------------------------------------------

@router.get("/rar-information", response_model=s.RarInformationAnswer, response_model_exclude_unset=True, tags=TAG)
def rar_information(actor: Actor = Depends(get_api_actor)) -> dict[str, Any]:
    info = outcomes.rar_information()
    return {**info, "reviewed_on": _iso(info["reviewed_on"])}


@router.post("/rar-information/recipients", response_model=s.RarSentAnswer, status_code=201, tags=TAG)
def rar_sent(body: s.RarSentIn, actor: Actor = Depends(get_api_actor),
             session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return sent_view(outcomes.record_sent(session, actor, outcomes.Recipient(**body.model_dump()), now=now))


@router.get("/rar-information/recipients", response_model=s.RarSentListAnswer, tags=TAG)
def rar_recipients(actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session)) -> dict[str, Any]:
    rows = outcomes.list_sent(session, actor)
    return {"items": [sent_view(r) for r in rows], "total": len(rows)}
