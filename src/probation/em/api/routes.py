"""Electronic monitoring API: device data ingest, zones and equipment per requirement, alerts and
their violation record, the monitoring centre's records, police liaison for non-EM exclusion.

Ingest commits in the handler, before the 2xx response, so an acknowledged fix is durable."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import orjson
from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from probation.api.answers import file_answer
from probation.api.deps import get_api_actor, get_now, get_session
from probation.api.disconnect import client_gone
from probation.api.security_headers import document
from probation.em.api import schemas as s
from probation.em.geofence import EngineConfig
from probation.em.services import alerts as em_alerts
from probation.em.services import cases as em_cases
from probation.em.services import centre as em_centre
from probation.em.services import evidence as em_evidence
from probation.em.services import ingest as em_ingest
from probation.em.services import police as em_police
from probation.services.context import Actor

router = APIRouter(prefix="/api/em")
MAX_ID = 2**53
TAG: list[str | Enum] = ["electronic monitoring"]
CaseId = Path(..., ge=1, le=MAX_ID)


def _iso(value: Any) -> Any:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else value


def engine_config(request: Request) -> EngineConfig:
    return EngineConfig(approach_m=request.app.state.settings.em_approach_m_default)


# ------------------------------------------------------------------------------- ingest

@router.post("/ingest", response_model=s.IngestAnswer, tags=TAG, summary="Positions and device events (JSON or NDJSON)")
async def ingest(request: Request, actor: Actor = Depends(get_api_actor),
                 now: datetime = Depends(get_now)) -> Response:
    """Body: `{"positions": [...], "events": [...]}` (application/json) or one record a line
    (application/x-ndjson). Answers after the batch is committed: accepted and duplicate counts,
    rejected lines with their reason, lines stored but not evaluated, and the alerts raised."""
    body = await request.body()
    from starlette.concurrency import run_in_threadpool

    result = await run_in_threadpool(
        em_ingest.ingest, request.app.state.sessions, actor, body,
        request.headers.get("content-type", "application/json"), now=now,
        config=engine_config(request))
    # orjson: a 2,000-fix batch's answer (alerts included) costs a fraction of json.dumps
    return Response(orjson.dumps(result.as_dict()), media_type="application/json")


@router.post("/watchdog", response_model=s.WatchdogAnswer,
             tags=TAG, summary="Run the no-signal / no-communication watchdogs now")
def watchdog(request: Request, actor: Actor = Depends(get_api_actor),
             now: datetime = Depends(get_now)) -> dict[str, Any]:
    alerts = em_ingest.watchdog(request.app.state.sessions, actor, now=now,
                                config=engine_config(request))
    return {"alerts": alerts}


# ------------------------------------------------------------------------------- cases

def zone_view(z: Any) -> dict[str, Any]:
    return {"zone_id": z.zone_id, "version": z.version, "effective_from": _iso(z.effective_from),
            "kind": z.kind, "name": z.name, "geometry": z.geometry, "approach_m": z.approach_m,
            "schedule": z.schedule, "active_from": _iso(z.active_from), "active_to": _iso(z.active_to)}


def device_view(d: Any) -> dict[str, Any]:
    return {"device_id": d.device_id, "status": d.status, "installed_at": _iso(d.installed_at),
            "ended_at": _iso(d.ended_at), "recovered_at": _iso(d.recovered_at)}


@router.get("/cases/{case_id}", response_model=s.EmCaseAnswer, tags=TAG, summary="EM summary of a case")
def em_case(case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
            session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    em = em_cases.load_em_case(session, actor, case_id, write=False)
    from probation.services import audit

    audit.record(session, actor, "read", em.case.crn, f"EM case {case_id}", at=now)
    return {"case_id": case_id, "crn": em.case.crn, "requirement_id": em.requirement.id,
            "devices": [device_view(d) for d in em_cases.devices_of(session, case_id)],
            "zones": [zone_view(z) for z in em_cases.zones_of(session, actor, case_id)],
            "alerts": [em_alerts.alert_view(a) for a in em_alerts.list_alerts(
                session, actor, case_id=case_id, status=None, limit=50, offset=0, now=now)]}


@router.put("/cases/{case_id}/zones", response_model=s.ZonesSetAnswer,
            status_code=201, tags=TAG, summary="Zones from the order")
def put_zones(body: s.ZonesIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
              session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    version = em_cases.set_zones(session, actor, case_id, [z.model_dump() for z in body.zones],
                                 effective_from=body.effective_from, now=now)
    return {"case_id": case_id, "version": version}


@router.post("/cases/{case_id}/identity", response_model=s.IdentityConfirmedAnswer,
             tags=TAG, summary="Identity confirmed (row 10)")
def identity(body: s.IdentityIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
             session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    em_cases.confirm_identity(session, actor, case_id, method=body.method, at=body.at, now=now)
    return {"case_id": case_id, "identity_confirmed": True}


@router.post("/cases/{case_id}/installation", response_model=s.DeviceAnswer, status_code=201, tags=TAG,
             summary="Equipment installed (row 11)")
def installation(body: s.InstallIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
                 session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return device_view(em_cases.install(session, actor, case_id, device_id=body.device_id,
                                       at=body.at, now=now))


@router.post("/cases/{case_id}/induction", response_model=s.InductionGivenAnswer,
             tags=TAG, summary="Induction information given (row 9)")
def induction(body: s.InductionIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
              session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    em_cases.give_induction_information(session, actor, case_id, summary=body.summary, at=body.at,
                                        now=now)
    return {"case_id": case_id, "induction_information_given": True}


@router.post("/cases/{case_id}/end-monitoring", response_model=s.MonitoringEndedAnswer,
             tags=TAG, summary="Monitoring ends (row 18)")
def end_monitoring(body: s.EndIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
                   session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    n = em_cases.end_monitoring(session, actor, case_id, reason=body.reason, at=body.at, now=now)
    return {"case_id": case_id, "devices_stopped": n}


@router.post("/cases/{case_id}/equipment-recovered", response_model=s.EquipmentRecoveredAnswer,
             tags=TAG, summary="Equipment recovered (row 19)")
def equipment_recovered(body: s.AtIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
                        session: Session = Depends(get_session),
                        now: datetime = Depends(get_now)) -> dict[str, Any]:
    n = em_cases.recover_equipment(session, actor, case_id, at=body.at, now=now)
    return {"case_id": case_id, "devices_recovered": n}


# ------------------------------------------------------------------------------- alerts

@router.get("/alerts", response_model=s.AlertsAnswer, tags=TAG, summary="Alerts, newest first")
def alerts(status: str | None = Query(None, pattern="^(raised|acknowledged|assigned|escalated|closed|open)$"),
           case_id: int | None = Query(None, ge=1, le=MAX_ID), page: int = Query(1, ge=1, le=100_000),
           size: int = Query(50, ge=1, le=500), actor: Actor = Depends(get_api_actor),
           session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    rows = em_alerts.list_alerts(session, actor, case_id=case_id, status=status, limit=size,
                                 offset=(page - 1) * size, now=now)
    return {"items": [em_alerts.alert_view(a) for a in rows], "page": page, "size": size}


@router.get("/alerts/{alert_id}", response_model=s.AlertWithHistoryAnswer,
            tags=TAG, summary="One alert with its history")
def alert(alert_id: str = Path(..., min_length=1, max_length=24), actor: Actor = Depends(get_api_actor),
          session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    row, history = em_alerts.get_alert(session, actor, alert_id, now=now)
    return {**em_alerts.alert_view(row), "history": [
        {"action": h.action, "at": _iso(h.at), "actor": h.actor, "detail": h.detail} for h in history]}


@router.post("/alerts/{alert_id}/actions", response_model=s.AlertAnswer, tags=TAG,
             summary="Acknowledge, assign, escalate or close (with an outcome)")
def alert_action(body: s.AlertActionIn, alert_id: str = Path(..., min_length=1, max_length=24),
                 actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                 now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = em_alerts.act(session, actor, alert_id, action=body.action, to=body.to,
                        outcome=body.outcome, note=body.note, now=now)
    return em_alerts.alert_view(row)


@router.post("/alerts/{alert_id}/violation", response_model=s.AlertAnswer, tags=TAG,
             summary="Record a timestamp of the MoJ violation record")
def violation_step(body: s.ViolationStepIn, alert_id: str = Path(..., min_length=1, max_length=24),
                   actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                   now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = em_alerts.record_step(session, actor, alert_id, step=body.step, at=body.at, now=now)
    return em_alerts.alert_view(row)


@router.get("/alerts/{alert_id}/evidence.pdf", tags=TAG, summary="Evidence pack (PDF with a map)",
            response_class=Response, responses=file_answer("The evidence pack", "application/pdf"))
def evidence_pdf(alert_id: str = Path(..., min_length=1, max_length=24),
                 actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                 now: datetime = Depends(get_now)) -> Response:
    pdf = em_evidence.evidence_pack_pdf(session, actor, alert_id, now=now)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="evidence-{alert_id}.pdf"'})


@router.get("/alerts/{alert_id}/evidence.html", tags=TAG, summary="Evidence pack (HTML)",
            response_class=Response, responses=file_answer("The evidence pack", "text/html"))
def evidence_html(alert_id: str = Path(..., min_length=1, max_length=24),
                  actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                  now: datetime = Depends(get_now)) -> Response:
    return document(em_evidence.evidence_pack_html(session, actor, alert_id, now=now))


# ------------------------------------------------------------------------------- monitoring centre

@router.post("/notifications", response_model=s.NotificationAnswer,
             status_code=201, tags=TAG, summary="Court notification (row 7)")
def notification(body: s.NotificationIn, actor: Actor = Depends(get_api_actor),
                 session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return em_centre.receive_notification(session, actor, body.model_dump(exclude_none=True),
                                          channel="api", now=now)


@router.post("/notifications/upload", response_model=s.NotificationUploadAnswer, response_model_exclude_unset=True,
             status_code=201, tags=TAG,
             summary="Court notifications as a JSON or CSV file")
async def notification_upload(request: Request, file: UploadFile = File(...),
                              actor: Actor = Depends(get_api_actor),
                              now: datetime = Depends(get_now)) -> dict[str, Any]:
    """At most PROBATION_MAX_UPLOAD_ROWS records (413 over it, nothing stored); stored in chunks,
    and the rest of the file is left when the client goes."""
    data = await file.read()
    from starlette.concurrency import run_in_threadpool

    async with client_gone(request) as gone:
        return await run_in_threadpool(
            em_centre.upload_notifications, request.app.state.sessions, actor, data,
            file.filename or "upload", now=now, max_records=request.app.state.settings.max_upload_rows,
            stop=gone.is_set)


@router.get("/notifications", response_model=s.NotificationsAnswer,
            tags=TAG, summary="Court notifications with their queries")
def notifications(open_only: bool = Query(False), actor: Actor = Depends(get_api_actor),
                  session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return {"items": em_centre.list_notifications(session, actor, open_only=open_only, now=now)}


@router.post("/notification-queries/{query_id}/resolve", response_model=s.NotificationAnswer,
             tags=TAG, summary="Resolve a query (row 8)")
def resolve_query(body: s.QueryResolveIn, query_id: int = Path(..., ge=1, le=MAX_ID),
                  actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                  now: datetime = Depends(get_now)) -> dict[str, Any]:
    return em_centre.resolve_query(session, actor, query_id, resolution=body.resolution,
                                   case_id=body.case_id, now=now)


@router.post("/cases/{case_id}/visits", response_model=s.VisitAnswer, status_code=201, tags=TAG,
             summary="Schedule a visit (rows 15, 20)")
def schedule_visit(body: s.VisitIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
                   session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = em_centre.schedule_visit(session, actor, case_id, purpose=body.purpose, start=body.start,
                                   end=body.end, staff=[m.model_dump() for m in body.staff],
                                   reason=body.reason, alert_id=body.alert_id, now=now)
    return em_centre.visit_view(row)


@router.post("/visits/{visit_id}/made", response_model=s.VisitAnswer,
             tags=TAG, summary="Record a visit made (rows 14, 15, 20)")
def visit_made(body: s.VisitMadeIn, visit_id: int = Path(..., ge=1, le=MAX_ID),
               actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
               now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = em_centre.record_visit(session, actor, visit_id, made_at=body.made_at, ended_at=body.ended_at,
                                 premises_entered=body.premises_entered,
                                 female_staff_present=body.female_staff_present,
                                 equipment_action=body.equipment_action, notes=body.notes, now=now)
    return em_centre.visit_view(row)


@router.post("/cases/{case_id}/witness-requests", response_model=s.WitnessRequestAnswer, status_code=201, tags=TAG,
             summary="EM staff asked to give evidence at court (row 17)")
def witness_request(body: s.WitnessIn, case_id: int = CaseId, actor: Actor = Depends(get_api_actor),
                    session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = em_centre.request_witness(session, actor, case_id, hearing_on=body.hearing_on,
                                    court_code=body.court_code, alert_id=body.alert_id, at=body.at,
                                    now=now)
    return {"id": row.id, "case_id": case_id, "hearing_on": row.hearing_on.isoformat()}


@router.post("/witness-requests/{request_id}/attended", response_model=s.WitnessAttendedAnswer,
             tags=TAG, summary="Evidence given (row 17)")
def witness_attended(body: s.WitnessAttendedIn, request_id: int = Path(..., ge=1, le=MAX_ID),
                     actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                     now: datetime = Depends(get_now)) -> dict[str, Any]:
    row = em_centre.witness_attended(session, actor, request_id, witness=body.witness, at=body.at,
                                     now=now)
    return {"id": row.id, "attended_at": _iso(row.attended_at)}


@router.post("/enquiries", response_model=s.EnquiryAnswer,
             status_code=201, tags=TAG, summary="Log an enquiry (rows 5, 6; 24/7)")
def enquiry(body: s.EnquiryIn, actor: Actor = Depends(get_api_actor),
            session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return em_centre.enquiry_view(em_centre.log_enquiry(session, actor, **body.model_dump(), now=now))


@router.post("/enquiries/{enquiry_id}/response", response_model=s.EnquiryAnswer, tags=TAG, summary="Answer an enquiry")
def enquiry_response(body: s.EnquiryResponseIn, enquiry_id: int = Path(..., ge=1, le=MAX_ID),
                     actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                     now: datetime = Depends(get_now)) -> dict[str, Any]:
    return em_centre.enquiry_view(em_centre.respond_enquiry(session, actor, enquiry_id,
                                                            response=body.response, now=now))


@router.get("/enquiries", response_model=s.EnquiriesAnswer, tags=TAG, summary="The enquiries log")
def enquiries(open_only: bool = Query(False), actor: Actor = Depends(get_api_actor),
              session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return {"items": [em_centre.enquiry_view(e) for e in
                      em_centre.list_enquiries(session, actor, open_only=open_only, now=now)]}


# ------------------------------------------------------------------------------- police liaison

@router.post("/police/arrangements", response_model=s.ArrangementAnswer, status_code=201, tags=TAG,
             summary="Formal arrangement with a police force (row 21)")
def arrangement(body: s.ArrangementIn, actor: Actor = Depends(get_api_actor),
                session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return em_police.arrangement_view(em_police.record_arrangement(session, actor, **body.model_dump(),
                                                                  now=now))


@router.get("/police/arrangements", response_model=s.ArrangementsAnswer,
            tags=TAG, summary="Formal arrangements with police forces")
def arrangements(actor: Actor = Depends(get_api_actor),
                 session: Session = Depends(get_session)) -> dict[str, Any]:
    return {"items": [em_police.arrangement_view(a) for a in em_police.list_arrangements(session, actor)]}


@router.post("/cases/{case_id}/notices", response_model=s.NoticesSentAnswer, status_code=201, tags=TAG,
             summary="Written notice to police and stakeholders (rows 1, 2, 23, 24, 27)")
def notices(body: s.NoticeIn, request: Request, case_id: int = CaseId,
            actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
            now: datetime = Depends(get_now)) -> dict[str, Any]:
    rows = em_police.send_notices(session, actor, case_id, kind=body.kind, recipients=body.recipients,
                                  outbox_dir=request.app.state.settings.outbox_dir, now=now)
    return {"items": [em_police.notice_view(n) for n in rows]}


@router.get("/police/notices", response_model=s.PoliceNoticesAnswer,
            tags=TAG, summary="Notices sent to the caller's organisation")
def police_notices(actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                   now: datetime = Depends(get_now)) -> dict[str, Any]:
    return {"items": [em_police.notice_view(n, html=True)
                      for n in em_police.list_notices(session, actor, now=now)]}


@router.get("/notices/{notice_id}.pdf", tags=TAG, summary="A notice as PDF",
            response_class=Response, responses=file_answer("The notice", "application/pdf"))
def notice_pdf(notice_id: int = Path(..., ge=1, le=MAX_ID), actor: Actor = Depends(get_api_actor),
               session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    return Response(em_police.notice_pdf(session, actor, notice_id, now=now),
                    media_type="application/pdf")


@router.post("/police/violation-reports", response_model=s.PoliceReportAnswer, status_code=201, tags=TAG,
             summary="A police violation notification (row 25)")
def police_report(body: s.PoliceReportIn, actor: Actor = Depends(get_api_actor),
                  session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    return em_police.report_view(em_police.report_violation(session, actor, **body.model_dump(), now=now))


@router.get("/police/violation-reports", response_model=s.PoliceReportsAnswer,
            tags=TAG, summary="Violation reports the caller may see")
def police_reports(actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                   now: datetime = Depends(get_now)) -> dict[str, Any]:
    return {"items": [em_police.report_view(r) for r in em_police.list_reports(session, actor, now=now)]}


@router.post("/police/violation-reports/{report_id}/decision", response_model=s.PoliceReportAnswer, tags=TAG,
             summary="Enforcement decision, and the outcome sent to the police (rows 25, 26)")
def police_decision(body: s.DecisionIn, request: Request, report_id: int = Path(..., ge=1, le=MAX_ID),
                    actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
                    now: datetime = Depends(get_now)) -> dict[str, Any]:
    return em_police.report_view(em_police.decide(
        session, actor, report_id, decision=body.decision, notes=body.notes,
        outbox_dir=request.app.state.settings.outbox_dir, now=now))
