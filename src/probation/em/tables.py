"""Electronic monitoring tables: devices and zones per requirement, the position and device-event
store, the ingest batch log with the geofence engine's checkpointed state, alerts with the MoJ
violation record, and the monitoring centre's records (court notifications and their queries,
visits, court evidence, enquiries), and police liaison for non-EM exclusion (arrangements,
notices with their delivery log, violation reports).

Fix times are UTC epoch milliseconds (BigInteger), the engine's own unit: the unique key
(device, fix time, source) makes a retried batch store each fix once on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from probation.adapters.db.tables import Base, BigId

# --------------------------------------------------------------------------- devices and zones


class EmDeviceRow(Base):
    """A device worn for one case; `status` active until monitoring ends. A device id is worn by
    one active case at a time (checked by the service)."""

    __tablename__ = "em_device"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(40), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    requirement_id: Mapped[int | None] = mapped_column(ForeignKey("requirement.id"))
    status: Mapped[str] = mapped_column(String(16))  # active | ended
    installed_at: Mapped[datetime]
    installed_by: Mapped[str] = mapped_column(String(100))
    ended_at: Mapped[datetime | None]
    recovered_at: Mapped[datetime | None]


class EmZoneRow(Base):
    """A zone of the order (version `version`, in force from `effective_from`), GeoJSON in WGS84."""

    __tablename__ = "em_zone"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    requirement_id: Mapped[int | None] = mapped_column(ForeignKey("requirement.id"))
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[datetime | None]
    zone_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    geometry: Mapped[dict[str, Any]] = mapped_column(JSON)
    approach_m: Mapped[float | None] = mapped_column(Float)
    schedule: Mapped[Any] = mapped_column(JSON, nullable=True)  # geofence schedule text/object/list
    active_from: Mapped[datetime | None]
    active_to: Mapped[datetime | None]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))

    __table_args__ = (UniqueConstraint("case_id", "version", "zone_id", name="uq_em_zone"),)


class EmChangeRow(Base):
    """One row per change to devices or zones: the ingest runtime reloads its zone book when the
    newest id differs from the one it compiled (works across processes)."""

    __tablename__ = "em_change"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    what: Mapped[str] = mapped_column(String(100))


# --------------------------------------------------------------------------- positions and events


class EmIngestBatchRow(Base):
    """The ingest log: each committed batch, in evaluation order. `now_ms` is the time the batch
    was evaluated at, so replaying the log after a crash evaluates exactly as the first time."""

    __tablename__ = "em_ingest_batch"
    batch_no: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    received_at: Mapped[datetime]
    now_ms: Mapped[int] = mapped_column(BigInteger)
    fixes: Mapped[int] = mapped_column(Integer)
    events: Mapped[int] = mapped_column(Integer)
    rewound: Mapped[list[str]] = mapped_column(JSON, default=list)  # persons re-evaluated for late fixes


class EmFixRow(Base):
    __tablename__ = "em_fix"
    device_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    t_ms: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    source: Mapped[str] = mapped_column(String(8), primary_key=True)  # gps | other
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    case_id: Mapped[int] = mapped_column(BigInteger)
    batch_no: Mapped[int] = mapped_column(BigInteger, index=True)
    # No (case_id, t_ms) index: every batch would rewrite one leaf page of it per device, which
    # was half the ingest commit. A case's fixes are read by its devices through the primary key
    # (`em_runtime.case_fixes`), with case_id kept as a filter for a device worn by two people.


class EmDeviceEventRow(Base):
    __tablename__ = "em_device_event"
    device_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    t_ms: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    event: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[int] = mapped_column(BigInteger)
    batch_no: Mapped[int] = mapped_column(BigInteger, index=True)

    __table_args__ = (Index("ix_em_device_event_case_time", "case_id", "t_ms"),)


class EmEngineStateRow(Base):
    """A person's checkpointed engine state (geofence PersonState as JSON)."""

    __tablename__ = "em_engine_state"
    person: Mapped[str] = mapped_column(String(40), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    batch_no: Mapped[int] = mapped_column(BigInteger)


class EmCheckpointRow(Base):
    """The batch up to which em_engine_state holds the engine's state (one row, id 1)."""

    __tablename__ = "em_checkpoint"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_no: Mapped[int] = mapped_column(BigInteger)
    saved_at: Mapped[datetime]


class EmPositionDayRow(Base):
    """Days on which positions were received for a case (one em_positions_received event each)."""

    __tablename__ = "em_position_day"
    case_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    first_fix_ms: Mapped[int] = mapped_column(BigInteger)


# --------------------------------------------------------------------------- alerts


class EmAlertRow(Base):
    """An alert raised by the geofence engine (id: its deterministic digest), with the workflow
    and the timestamps of the MoJ violation record."""

    __tablename__ = "em_alert"
    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    case_id: Mapped[int] = mapped_column(BigInteger, index=True)
    person: Mapped[str] = mapped_column(String(40))
    device_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(32))
    zone_id: Mapped[str | None] = mapped_column(String(40))
    zone_kind: Mapped[str | None] = mapped_column(String(16))
    breach: Mapped[bool] = mapped_column(Boolean)
    violation: Mapped[bool] = mapped_column(Boolean)
    inferred: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str] = mapped_column(String(200))
    alert_at: Mapped[datetime] = mapped_column(index=True)  # when it happened (breach time)
    raised_at: Mapped[datetime]  # when the platform stored it
    batch_no: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), index=True)
    priority: Mapped[str] = mapped_column(String(8))
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    assigned_at: Mapped[datetime | None]
    assigned_to: Mapped[str | None] = mapped_column(String(100))
    escalated_at: Mapped[datetime | None]
    escalated_to: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str | None] = mapped_column(String(32))
    # MoJ violation record
    identified_at: Mapped[datetime | None]
    authority_notified_at: Mapped[datetime | None]
    agency_response_at: Mapped[datetime | None]
    followed_up_at: Mapped[datetime | None]
    breach_pack_requested_at: Mapped[datetime | None]
    breach_pack_sent_at: Mapped[datetime | None]
    warning_letter_at: Mapped[datetime | None]
    summons_at: Mapped[datetime | None]
    hearing_at: Mapped[datetime | None]
    # Set when a late fix showed, in fix-time order, that the alert is not raised (docs/EM.md)
    superseded_at: Mapped[datetime | None]


class EmAlertActionRow(Base):
    """Append-only history of an alert's workflow."""

    __tablename__ = "em_alert_action"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    alert_id: Mapped[str] = mapped_column(ForeignKey("em_alert.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --------------------------------------------------------------------------- monitoring centre


class EmNotificationRow(Base):
    """A court notification of a person to be monitored, as received (API or upload)."""

    __tablename__ = "em_notification"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(16))  # api | upload
    reference: Mapped[str | None] = mapped_column(String(60))
    crn: Mapped[str | None] = mapped_column(String(7), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id"), index=True)
    requirement_id: Mapped[int | None] = mapped_column(ForeignKey("requirement.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))  # accepted | queried
    received_by: Mapped[str] = mapped_column(String(100))


class EmNotificationQueryRow(Base):
    """A query about incorrect or incomplete notification information, tracked to its deadline."""

    __tablename__ = "em_notification_query"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("em_notification.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(BigInteger)
    field: Mapped[str] = mapped_column(String(60))
    problem: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime]
    due_on: Mapped[date] = mapped_column(Date)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    resolution: Mapped[str | None] = mapped_column(Text)


class EmVisitRow(Base):
    __tablename__ = "em_visit"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(24))
    alert_id: Mapped[str | None] = mapped_column(String(24))
    scheduled_start: Mapped[datetime]
    scheduled_end: Mapped[datetime]
    staff: Mapped[list[Any]] = mapped_column(JSON)  # [{"name": ..., "sex": ...}]
    status: Mapped[str] = mapped_column(String(16))  # scheduled | made | cancelled
    reasonable_time_reason: Mapped[str | None] = mapped_column(Text)
    made_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    premises_entered: Mapped[bool | None] = mapped_column(Boolean)
    female_staff_present: Mapped[bool | None] = mapped_column(Boolean)
    equipment_action: Mapped[str | None] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))


class EmCourtRequestRow(Base):
    """A request for EM staff to attend court to give evidence (row 17)."""

    __tablename__ = "em_court_request"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    alert_id: Mapped[str | None] = mapped_column(String(24))
    requested_at: Mapped[datetime]
    hearing_on: Mapped[date] = mapped_column(Date)
    court_code: Mapped[str | None] = mapped_column(String(16))
    attended_at: Mapped[datetime | None]
    witness: Mapped[str | None] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(100))


class EmEnquiryRow(Base):
    """The 24/7 enquiries log (rows 5 and 6): offenders, authorised agencies and field staff."""

    __tablename__ = "em_enquiry"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    caller_kind: Mapped[str] = mapped_column(String(16))  # offender | agency | field_staff
    caller: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id"))
    subject: Mapped[str] = mapped_column(String(200))
    details: Mapped[str | None] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None]
    handled_by: Mapped[str] = mapped_column(String(100))


# --------------------------------------------------------------------------- police liaison (non-EM)


class EmPoliceArrangementRow(Base):
    """A formal information-exchange and enforcement arrangement with a police force (row 21)."""

    __tablename__ = "em_police_arrangement"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    police_org_code: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    reference: Mapped[str] = mapped_column(String(60))
    agreed_on: Mapped[date] = mapped_column(Date)
    review_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class EmNoticeRow(Base):
    """A written notice to the police or another stakeholder, rendered from a template."""

    __tablename__ = "em_notice"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # commencement | termination | violation_outcome
    recipient_org_code: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    recipient_kind: Mapped[str] = mapped_column(String(16))  # police | stakeholder
    police_report_id: Mapped[int | None] = mapped_column(BigInteger)
    subject: Mapped[str] = mapped_column(String(200))
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))


class EmDeliveryRow(Base):
    """The delivery log: one row per notice sent (development: a file in the outbox)."""

    __tablename__ = "em_delivery"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("em_notice.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    to: Mapped[str] = mapped_column(String(200))
    sent_at: Mapped[datetime]
    location: Mapped[str] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(16))


class EmPoliceReportRow(Base):
    """A violation notification from the police (row 25) and what was done with it (row 26)."""

    __tablename__ = "em_police_report"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    police_org_code: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    police_reference: Mapped[str] = mapped_column(String(60))
    observed_at: Mapped[datetime]
    location: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))
    decision: Mapped[str | None] = mapped_column(String(24))
    decision_notes: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(100))
    outcome_notice_id: Mapped[int | None] = mapped_column(BigInteger)
    outcome_sent_at: Mapped[datetime | None]
