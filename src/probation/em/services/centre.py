"""Monitoring centre use cases: court notifications and their queries (rows 7, 8), visits (rows
14, 15, 20), evidence at court (row 17) and the 24/7 enquiries log (rows 5, 6)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from probation.adapters.db import repository as repo
from probation.adapters.db.tables import CaseRow, PersonRow
from probation.catalogue.loader import load_catalogue
from probation.domain.errors import Conflict, InvalidValue, NotFound, TooLarge
from probation.domain.events import CaseEvent, EventKind
from probation.domain.text import RULE as TEXT_RULE
from probation.domain.text import bad_field
from probation.em.domain.notifications import OrderOnRecord, check_notification, query_due_on
from probation.em.domain.visits import (
    FAULT_PURPOSES,
    EquipmentAction,
    VisitPurpose,
    VisitStaff,
    check_outcome,
    check_schedule,
)
from probation.em.services.cases import (
    em_requirement,
    ensure_em_writer,
    happened_at,
    load_em_case,
    record,
    requirement_end,
)
from probation.em.tables import (
    EmCourtRequestRow,
    EmEnquiryRow,
    EmNotificationQueryRow,
    EmNotificationRow,
    EmVisitRow,
)
from probation.services import access, audit
from probation.services.context import Actor


def _iso(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat()
    return v.isoformat() if isinstance(v, date) else v


def query_working_days() -> int:
    """The em_notification_query timescale from the catalogue (a contract may override it)."""
    return _query_days()


@lru_cache(maxsize=1)
def _query_days() -> int:
    return int(load_catalogue().named_timescales["em_notification_query"].days)


# --------------------------------------------------------------------------- notifications

def _order_on_record(session: Session, actor: Actor,
                     crn: str | None) -> tuple[int | None, int | None, OrderOnRecord | None]:
    """The newest order of this CRN with an EM exclusion requirement, among the cases the actor may
    see: a restricted person's order is neither matched nor compared, exactly as an unknown CRN."""
    if not crn:
        return None, None, None
    for case_id in session.scalars(select(CaseRow.id).where(CaseRow.crn == crn, access.case_filter(actor))
                                   .order_by(CaseRow.sentence_date.desc())):
        req = em_requirement(session, case_id)
        if req is None:
            continue
        case, _ = repo.load_case(session, case_id)
        return case_id, req.id, OrderOnRecord(
            court_code=case.court_code, sentence_date=case.sentence.sentence_date,
            requirement_start=req.start_date,
            requirement_end=requirement_end(req, case.sentence.end_date),
            places=tuple(req.places or ()), electronically_monitored=True)
    return None, None, None


def receive_notification(session: Session, actor: Actor, payload: dict[str, Any], *, channel: str,
                         now: datetime) -> dict[str, Any]:
    """Store the notification as received, check it, and raise a query per problem (row 8)."""
    ensure_em_writer(actor)
    crn = payload.get("crn")
    case_id, requirement_id, order = _order_on_record(session, actor, crn if isinstance(crn, str) else None)
    problems = check_notification(payload, order)
    row = EmNotificationRow(received_at=now, channel=channel, reference=payload.get("reference"),
                            crn=crn if isinstance(crn, str) else None, case_id=case_id,
                            requirement_id=requirement_id, payload=payload,
                            status="queried" if problems else "accepted", received_by=actor.username)
    session.add(row)
    session.flush()
    due = query_due_on(now, query_working_days())
    queries = [EmNotificationQueryRow(notification_id=row.id, case_id=case_id, field=p.field,
                                      problem=p.problem, raised_at=now, due_on=due) for p in problems]
    session.add_all(queries)
    session.flush()
    if case_id is not None:
        events = [CaseEvent(kind=EventKind.EM_NOTIFICATION_RECEIVED, occurred_at=now,
                            actor=actor.username, data={"notification_id": row.id})]
        events += [CaseEvent(kind=EventKind.EM_NOTIFICATION_QUERY_RAISED, occurred_at=now,
                             actor=actor.username, data={"query_id": q.id, "field": q.field})
                   for q in queries]
        repo.append_events(session, case_id, events, now=now)
        session.flush()  # the next append numbers its events after these
    audit.record(session, actor, "write", row.crn, f"EM notification {row.id} ({channel})", at=now)
    return notification_view(row, queries)


def notification_view(n: EmNotificationRow, queries: list[EmNotificationQueryRow]) -> dict[str, Any]:
    return {"id": n.id, "received_at": _iso(n.received_at), "channel": n.channel,
            "reference": n.reference, "crn": n.crn, "case_id": n.case_id, "status": n.status,
            "queries": [{"id": q.id, "field": q.field, "problem": q.problem,
                         "raised_at": _iso(q.raised_at), "due_on": _iso(q.due_on),
                         "resolved_at": _iso(q.resolved_at), "resolution": q.resolution}
                        for q in queries]}


def _records_from_file(data: bytes, name: str, max_records: int) -> list[dict[str, Any]]:
    def over() -> TooLarge:
        return TooLarge(f"file {name!r} holds more than {max_records:,} notifications", field="file",
                        value=name, rule=f"at most {max_records:,} records a file (PROBATION_MAX_UPLOAD_ROWS); "
                                         "send a larger file in parts")

    records = _read_records(data, name, max_records, over)
    for number, rec in enumerate(records, start=1):
        field = bad_field(rec)
        if field:
            raise InvalidValue(f"file {name!r}, record {number}: {field} holds a character that is not text",
                               field="file", value=name, rule=TEXT_RULE)
    return records


def _read_records(data: bytes, name: str, max_records: int, over: Callable[[], TooLarge]) -> list[dict[str, Any]]:
    text = data.decode("utf-8-sig", errors="replace")
    if name.lower().endswith(".csv") or (text.lstrip()[:1] not in ("{", "[")):
        out: list[dict[str, Any]] = []
        reader = csv.DictReader(io.StringIO(text, newline=""))  # lines may end CR, LF or CRLF
        try:
            for r in reader:
                if len(out) == max_records:
                    raise over()  # refused as soon as the cap is passed, before anything is stored
                rec: dict[str, Any] = {k.strip(): (v.strip() if isinstance(v, str) else v)
                                       for k, v in r.items() if k and v not in (None, "")}
                if "exclusion_places" in rec:
                    rec["exclusion_places"] = [p.strip() for p in str(rec["exclusion_places"]).split(";")
                                               if p.strip()]
                out.append(rec)
        except csv.Error as exc:
            raise InvalidValue(f"file {name!r} is not readable as CSV at line {reader.line_num}: {exc}",
                               field="file", value=name, rule="notifications are CSV with a header row, "
                               "or JSON") from None
        return out
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InvalidValue(f"file {name!r} is neither CSV nor JSON: {exc.args[0]}", field="file",
                           value=name, rule="notifications are a JSON object/array or CSV") from None
    items = parsed if isinstance(parsed, list) else [parsed]
    if len(items) > max_records:
        raise over()
    if not all(isinstance(i, dict) for i in items):
        raise InvalidValue(f"file {name!r} holds something other than notification objects",
                           field="file", value=name, rule="each notification is a JSON object")
    return items


CHUNK_RECORDS = 500  # records stored in one transaction


def upload_notifications(sessions: sessionmaker[Session], actor: Actor, data: bytes, name: str, *,
                         now: datetime, max_records: int, stop: Callable[[], bool] = lambda: False,
                         chunk_records: int | None = None) -> dict[str, Any]:
    """Each notification of the file is received (and checked) on its own: one that cannot be
    stored does not stop the others. A file of more than `max_records` is refused whole (413,
    nothing stored).

    Records are stored `CHUNK_RECORDS` a transaction; a chunk in which one fails is stored again
    one record a transaction, so the others still are. Before each chunk `stop()` says whether the
    client has gone: then the rest of the file is not read (chunks already stored stay, each
    notification being received on its own)."""
    ensure_em_writer(actor)
    records = _records_from_file(data, name, max_records)
    size = chunk_records or CHUNK_RECORDS
    results: list[dict[str, Any]] = []
    for first in range(0, len(records), size):
        if stop():
            return {"items": results, "stopped_before": first + 1}
        chunk = list(enumerate(records[first:first + size], start=first + 1))
        try:
            results += _receive_all(sessions, actor, chunk, now=now)
        except Exception:  # noqa: BLE001 - a record failed: store the others one by one
            results += [_receive_one(sessions, actor, number, rec, now=now) for number, rec in chunk]
    return {"items": results}


def _receive_all(sessions: sessionmaker[Session], actor: Actor, chunk: list[tuple[int, dict[str, Any]]], *,
                 now: datetime) -> list[dict[str, Any]]:
    session = sessions()
    try:
        with session.begin():
            return [{"record": number, **receive_notification(session, actor, rec, channel="upload", now=now)}
                    for number, rec in chunk]
    finally:
        session.close()


def _receive_one(sessions: sessionmaker[Session], actor: Actor, number: int, rec: dict[str, Any], *,
                 now: datetime) -> dict[str, Any]:
    try:
        return _receive_all(sessions, actor, [(number, rec)], now=now)[0]
    except Exception as exc:  # noqa: BLE001 - reported per record, the rest continue
        return {"record": number, "error": getattr(exc, "message", str(exc))[:300]}


def list_notifications(session: Session, actor: Actor, *, open_only: bool,
                       now: datetime) -> list[dict[str, Any]]:
    """The court notifications of the cases the actor may see, and those matched to no case yet."""
    ensure_em_writer(actor)
    stmt = (select(EmNotificationRow).where(access.case_visible(actor, EmNotificationRow.case_id, or_none=True))
            .order_by(EmNotificationRow.id.desc()).limit(200))
    if open_only:
        stmt = stmt.where(EmNotificationRow.status == "queried")
    out = []
    for n in session.scalars(stmt):
        qs = list(session.scalars(select(EmNotificationQueryRow).where(
            EmNotificationQueryRow.notification_id == n.id).order_by(EmNotificationQueryRow.id)))
        out.append(notification_view(n, qs))
    audit.read(session, actor, (n["crn"] for n in out if n["crn"]), f"EM court notifications ({len(out)})", at=now)
    return out


def resolve_query(session: Session, actor: Actor, query_id: int, *, resolution: str,
                  case_id: int | None, now: datetime) -> dict[str, Any]:
    """Resolve a query; `case_id` attaches a notification that named no known case (its events
    are then recorded on that case). The notification is accepted once every query is resolved."""
    ensure_em_writer(actor)
    q = session.get(EmNotificationQueryRow, query_id)
    if q is None:
        raise NotFound(f"no notification query {query_id}", field="query_id", value=query_id,
                       rule="the query exists")
    if q.resolved_at is not None:
        raise Conflict(f"query {query_id} was resolved at {_iso(q.resolved_at)}", field="query_id",
                       value=query_id, rule="a query is resolved once")
    n = session.get(EmNotificationRow, q.notification_id)
    assert n is not None
    if n.case_id is not None and not access.sees_case(session, actor, n.case_id):
        raise NotFound(f"no notification query {query_id}", field="query_id", value=query_id,
                       rule="the query exists")
    events: list[CaseEvent] = []
    if n.case_id is None and case_id is not None:
        em = load_em_case(session, actor, case_id)
        n.case_id, n.requirement_id = case_id, em.requirement.id
        received = n.received_at
        events.append(CaseEvent(kind=EventKind.EM_NOTIFICATION_RECEIVED, occurred_at=received,
                                actor=actor.username, data={"notification_id": n.id}))
        for other in session.scalars(select(EmNotificationQueryRow).where(
                EmNotificationQueryRow.notification_id == n.id)):
            other.case_id = case_id
            events.append(CaseEvent(kind=EventKind.EM_NOTIFICATION_QUERY_RAISED,
                                    occurred_at=other.raised_at or received,
                                    actor=actor.username,
                                    data={"query_id": other.id, "field": other.field}))
    q.resolved_at, q.resolved_by, q.resolution = now, actor.username, resolution
    if n.case_id is not None:
        events.append(CaseEvent(kind=EventKind.EM_NOTIFICATION_QUERY_RESOLVED, occurred_at=now,
                                actor=actor.username, data={"query_id": q.id}))
        repo.append_events(session, n.case_id, events, now=now)
        session.flush()  # the next append numbers its events after these
    session.flush()
    qs = list(session.scalars(select(EmNotificationQueryRow).where(
        EmNotificationQueryRow.notification_id == n.id).order_by(EmNotificationQueryRow.id)))
    if all(x.resolved_at is not None for x in qs):
        n.status = "accepted"
    audit.record(session, actor, "write", n.crn, f"EM notification query {query_id} resolved", at=now)
    session.flush()
    return notification_view(n, qs)


# --------------------------------------------------------------------------- visits

def _sex(session: Session, case_id: int) -> str:
    return session.scalar(select(PersonRow.sex).join(CaseRow, CaseRow.person_id == PersonRow.id)
                          .where(CaseRow.id == case_id)) or "male"


def visit_view(v: EmVisitRow) -> dict[str, Any]:
    return {"id": v.id, "case_id": v.case_id, "purpose": v.purpose, "alert_id": v.alert_id,
            "start": _iso(v.scheduled_start), "end": _iso(v.scheduled_end), "staff": v.staff,
            "status": v.status, "reason": v.reasonable_time_reason, "made_at": _iso(v.made_at),
            "ended_at": _iso(v.ended_at), "premises_entered": v.premises_entered,
            "female_staff_present": v.female_staff_present, "equipment_action": v.equipment_action,
            "notes": v.notes}


def schedule_visit(session: Session, actor: Actor, case_id: int, *, purpose: VisitPurpose,
                   start: datetime, end: datetime, staff: list[dict[str, str]], reason: str | None,
                   alert_id: str | None, now: datetime) -> EmVisitRow:
    em = load_em_case(session, actor, case_id)
    members = [VisitStaff(name=m["name"], sex=m["sex"]) for m in staff]
    check_schedule(start=start, end=end, staff=members, offender_sex=_sex(session, case_id),
                   reason=reason)
    row = EmVisitRow(case_id=case_id, purpose=purpose.value, alert_id=alert_id,
                     scheduled_start=start, scheduled_end=end, staff=staff, status="scheduled",
                     reasonable_time_reason=reason, created_at=now, created_by=actor.username)
    session.add(row)
    session.flush()
    record(session, actor, em, [CaseEvent(kind=EventKind.EM_VISIT_SCHEDULED, occurred_at=start,
                                          actor=actor.username,
                                          data={"visit_id": row.id, "purpose": purpose.value})],
           f"EM visit {row.id} scheduled", now=now)
    return row


def record_visit(session: Session, actor: Actor, visit_id: int, *, made_at: datetime,
                 ended_at: datetime, premises_entered: bool, female_staff_present: bool | None,
                 equipment_action: EquipmentAction | None, notes: str | None,
                 now: datetime) -> EmVisitRow:
    ensure_em_writer(actor)
    row = session.get(EmVisitRow, visit_id)
    if row is None or not access.sees_case(session, actor, row.case_id):
        raise NotFound(f"no visit {visit_id}", field="visit_id", value=visit_id,
                       rule="the visit exists")
    em = load_em_case(session, actor, row.case_id)
    if row.status != "scheduled":
        raise Conflict(f"visit {visit_id} is {row.status}", field="visit_id", value=visit_id,
                       rule="a scheduled visit is recorded once")
    made = happened_at(made_at, now, "made_at")
    if ended_at <= made:
        raise InvalidValue(f"visit ended at {ended_at.isoformat()}, not after {made.isoformat()}",
                           field="ended_at", value=ended_at.isoformat(),
                           rule="a visit ends after it starts")
    purpose = VisitPurpose(row.purpose)
    sex = _sex(session, row.case_id)
    check_outcome(purpose=purpose, offender_sex=sex, premises_entered=premises_entered,
                  female_staff_present=female_staff_present, equipment_action=equipment_action)
    row.status, row.made_at, row.ended_at = "made", made, ended_at
    row.premises_entered, row.female_staff_present = premises_entered, female_staff_present
    row.equipment_action = equipment_action.value if equipment_action else None
    row.notes = notes
    data = {"visit_id": row.id, "purpose": purpose.value}
    events = [CaseEvent(kind=EventKind.EM_VISIT_MADE, occurred_at=made, actor=actor.username,
                        data=data)]
    if sex == "female" and (female_staff_present or not premises_entered):
        # Row 20 applies "when the premises are entered"; a doorstep visit meets it.
        events.append(CaseEvent(kind=EventKind.EM_FEMALE_STAFF_PRESENT, occurred_at=made,
                                actor=actor.username,
                                data={**data, "premises_entered": premises_entered}))
    if purpose in FAULT_PURPOSES:
        events.append(CaseEvent(kind=EventKind.EM_FAULT_VISIT_MADE, occurred_at=made,
                                actor=actor.username, data=data))
        assert equipment_action is not None
        # Row 14: "if required"; a visit that found nothing to repair records that it was
        # checked ("none"), which discharges the row.
        events.append(CaseEvent(kind=EventKind.EM_EQUIPMENT_REPAIRED_OR_REPLACED, occurred_at=made,
                                actor=actor.username, data={**data, "action": equipment_action.value}))
    record(session, actor, em, events, f"EM visit {row.id} made", now=now)
    session.flush()
    return row


# --------------------------------------------------------------------------- court (row 17)

def request_witness(session: Session, actor: Actor, case_id: int, *, hearing_on: date,
                    court_code: str | None, alert_id: str | None, at: datetime | None,
                    now: datetime) -> EmCourtRequestRow:
    em = load_em_case(session, actor, case_id)
    when = happened_at(at, now, "at")
    row = EmCourtRequestRow(case_id=case_id, alert_id=alert_id, requested_at=when,
                            hearing_on=hearing_on, court_code=court_code, recorded_by=actor.username)
    session.add(row)
    session.flush()
    record(session, actor, em, [CaseEvent(kind=EventKind.EM_WITNESS_REQUESTED, occurred_at=when,
                                          actor=actor.username,
                                          data={"request_id": row.id,
                                                "hearing_on": hearing_on.isoformat()})],
           f"EM witness requested for {hearing_on.isoformat()}", now=now)
    return row


def witness_attended(session: Session, actor: Actor, request_id: int, *, witness: str,
                     at: datetime | None, now: datetime) -> EmCourtRequestRow:
    ensure_em_writer(actor)
    row = session.get(EmCourtRequestRow, request_id)
    if row is None or not access.sees_case(session, actor, row.case_id):
        raise NotFound(f"no witness request {request_id}", field="request_id", value=request_id,
                       rule="the request exists")
    em = load_em_case(session, actor, row.case_id)
    if row.attended_at is not None:
        raise Conflict(f"evidence for request {request_id} is already recorded", field="request_id",
                       value=request_id, rule="attendance is recorded once")
    when = happened_at(at, now, "at")
    row.attended_at, row.witness = when, witness
    record(session, actor, em, [CaseEvent(kind=EventKind.EM_WITNESS_ATTENDED, occurred_at=when,
                                          actor=actor.username, data={"request_id": row.id})],
           "EM witness attended court", now=now)
    session.flush()
    return row


# --------------------------------------------------------------------------- enquiries (rows 5, 6)

def enquiry_view(e: EmEnquiryRow) -> dict[str, Any]:
    return {"id": e.id, "received_at": _iso(e.received_at), "caller_kind": e.caller_kind,
            "caller": e.caller, "channel": e.channel, "case_id": e.case_id, "subject": e.subject,
            "details": e.details, "response": e.response, "responded_at": _iso(e.responded_at),
            "handled_by": e.handled_by}


def log_enquiry(session: Session, actor: Actor, *, caller_kind: str, caller: str, channel: str,
                case_id: int | None, subject: str, details: str | None,
                received_at: datetime | None, now: datetime) -> EmEnquiryRow:
    """Any hour of any day: the log is the evidence the 24/7 service answered."""
    ensure_em_writer(actor)
    if case_id is not None:
        load_em_case(session, actor, case_id)
    row = EmEnquiryRow(received_at=happened_at(received_at, now, "received_at"), caller_kind=caller_kind,
                       caller=caller, channel=channel, case_id=case_id, subject=subject,
                       details=details, handled_by=actor.username)
    session.add(row)
    session.flush()
    audit.record(session, actor, "write", None, f"EM enquiry {row.id}", at=now)
    return row


def respond_enquiry(session: Session, actor: Actor, enquiry_id: int, *, response: str,
                    now: datetime) -> EmEnquiryRow:
    ensure_em_writer(actor)
    row = session.get(EmEnquiryRow, enquiry_id)
    if row is None or (row.case_id is not None and not access.sees_case(session, actor, row.case_id)):
        raise NotFound(f"no enquiry {enquiry_id}", field="enquiry_id", value=enquiry_id,
                       rule="the enquiry exists")
    if row.responded_at is not None:
        raise Conflict(f"enquiry {enquiry_id} was answered at {_iso(row.responded_at)}",
                       field="enquiry_id", value=enquiry_id, rule="an enquiry is answered once")
    row.response, row.responded_at = response, now
    audit.record(session, actor, "write", None, f"EM enquiry {enquiry_id} answered", at=now)
    session.flush()
    return row


def list_enquiries(session: Session, actor: Actor, *, open_only: bool, now: datetime) -> list[EmEnquiryRow]:
    """The enquiries about the cases the actor may see, and those about no case."""
    ensure_em_writer(actor)
    stmt = (select(EmEnquiryRow).where(access.case_visible(actor, EmEnquiryRow.case_id, or_none=True))
            .order_by(EmEnquiryRow.received_at.desc()).limit(500))
    if open_only:
        stmt = stmt.where(EmEnquiryRow.responded_at.is_(None))
    rows = list(session.scalars(stmt))
    crns = session.scalars(select(CaseRow.crn).where(CaseRow.id.in_({e.case_id for e in rows if e.case_id})))
    audit.read(session, actor, crns, f"EM enquiries ({len(rows)})", at=now)
    return rows

