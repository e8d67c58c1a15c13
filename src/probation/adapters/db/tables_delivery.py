"""Tables for delivering supervision: locations, diverse needs, appointments and contacts,
offender manager updates, and enforcement actions (see docs/DELIVERY.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from probation.adapters.db.tables import Base, BigId


class DeliveryLocationRow(Base):
    """Where office appointments happen; whether the place is female-only and step-free."""

    __tablename__ = "delivery_location"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    organisation_code: Mapped[str | None] = mapped_column(ForeignKey("organisation.code"))
    female_only: Mapped[bool] = mapped_column(Boolean, default=False)
    step_free_access: Mapped[bool] = mapped_column(Boolean, default=False)


class DiverseNeedsRow(Base):
    """One row per case: what bookings must honour."""

    __tablename__ = "diverse_needs"
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), primary_key=True)
    unavailable: Mapped[list[Any]] = mapped_column(JSON, default=list)
    step_free_access: Mapped[bool] = mapped_column(Boolean, default=False)
    interpreter_language: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))


class AppointmentRow(Base):
    """An appointment (planned) or a contact recorded after the event (unplanned). A rearranged
    appointment keeps its row with status `rescheduled`; its replacement points back to it."""

    __tablename__ = "appointment"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    crn: Mapped[str] = mapped_column(String(7))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    contact_type: Mapped[str] = mapped_column(String(16))
    location_code: Mapped[str | None] = mapped_column(ForeignKey("delivery_location.code"))
    interviewer_code: Mapped[str] = mapped_column(ForeignKey("staff.code"), index=True)
    interpreter_booked: Mapped[bool] = mapped_column(Boolean, default=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    rar_activity: Mapped[bool] = mapped_column(Boolean, default=False)
    requirement_id: Mapped[int | None] = mapped_column(ForeignKey("requirement.id"))
    national_standard: Mapped[bool] = mapped_column(Boolean, default=True)
    planned: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[str | None] = mapped_column(Text)
    account: Mapped[str | None] = mapped_column(Text)
    indicators: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    rescheduled_from_id: Mapped[int | None] = mapped_column(ForeignKey("appointment.id"))
    change_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))
    outcome_at: Mapped[datetime | None]
    outcome_by: Mapped[str | None] = mapped_column(String(100))
    deliverer_code: Mapped[str | None] = mapped_column(String(16))
    reminder_sent_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_appointment_crn_starts", "crn", "starts_at"),)


class OffenderManagerUpdateRow(Base):
    """What someone else's contact told the offender manager, until they acknowledge it."""

    __tablename__ = "om_update"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointment.id"))
    staff_code: Mapped[str] = mapped_column(ForeignKey("staff.code"), index=True)
    from_username: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    acknowledged_at: Mapped[datetime | None]


class EnforcementActionRow(Base):
    """A warning letter, breach to court or recall recommendation, and the court's outcome."""

    __tablename__ = "enforcement_action"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    failure_day: Mapped[date] = mapped_column(Date)
    decided_on: Mapped[date] = mapped_column(Date)
    due_by: Mapped[date | None] = mapped_column(Date)
    number: Mapped[int] = mapped_column(Integer, default=1)
    policy: Mapped[str | None] = mapped_column(String(40))
    decided_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(32))
    concluded_on: Mapped[date | None] = mapped_column(Date)
    outcome_notes: Mapped[str | None] = mapped_column(Text)
