"""Needs, interventions and outcomes tables: needs assessments, the directory of services and
programmes, referrals with their sessions and the feedback to offender managers, commissioned
option offers, structured sessions, the end-of-sentence comparison, and who was sent the RAR
information. Every change to a case also appends a case event (see docs/INTERVENTIONS.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from probation.adapters.db.tables import Base, BigId


class NeedsAssessmentRow(Base):
    __tablename__ = "needs_assessment"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    stage: Mapped[str] = mapped_column(String(8))  # start | review | end
    assessed_on: Mapped[date] = mapped_column(Date)
    assessor: Mapped[str] = mapped_column(String(200))
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)  # need area -> 0, 1 or 2
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class InterventionServiceRow(Base):
    """A service or programme in the directory."""

    __tablename__ = "intervention_service"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))
    need_areas: Mapped[list[str]] = mapped_column(JSON)
    location: Mapped[str] = mapped_column(String(300))
    capacity: Mapped[int] = mapped_column(Integer)
    eligibility: Mapped[dict[str, Any]] = mapped_column(JSON)  # sexes, min_age, max_age, sentence_types
    rar_activity: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))


class ReferralRow(Base):
    __tablename__ = "referral"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    service_code: Mapped[str] = mapped_column(ForeignKey("intervention_service.code"))
    need_area: Mapped[str] = mapped_column(String(40))
    objective: Mapped[int | None] = mapped_column(Integer)  # 1-based index into the plan's objectives
    status: Mapped[str] = mapped_column(String(16))
    sent_on: Mapped[date] = mapped_column(Date)
    status_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(32))  # withdrawal reason
    notes: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(24))
    history: Mapped[list[Any]] = mapped_column(JSON)  # every status change: status, on, by, reason
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime]

    __table_args__ = (Index("ix_referral_service_status", "service_code", "status"),)


class ReferralSessionRow(Base):
    """A session of a referral, booked and attended through the delivery appointments."""

    __tablename__ = "referral_session"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    # appointment.id (delivery); no foreign key, so migration 0005 needs only 0001
    appointment_id: Mapped[int] = mapped_column(BigId, unique=True)
    created_at: Mapped[datetime]


class ReferralFeedbackRow(Base):
    """What a referral's progress told the offender manager, until they acknowledge it."""

    __tablename__ = "referral_feedback"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"))
    staff_code: Mapped[str] = mapped_column(String(16), index=True)
    from_username: Mapped[str] = mapped_column(String(100))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]


class OptionOfferRow(Base):
    """A commissioned option offered to a case that qualifies, and what became of it."""

    __tablename__ = "option_offer"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    option_id: Mapped[str] = mapped_column(String(64))
    contract_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    offered_on: Mapped[date] = mapped_column(Date)
    status_on: Mapped[date] = mapped_column(Date)
    qualification: Mapped[str] = mapped_column(Text)
    groups: Mapped[list[Any]] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    history: Mapped[list[Any]] = mapped_column(JSON)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime]


class StructuredSessionRow(Base):
    __tablename__ = "structured_session"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    number: Mapped[int] = mapped_column(Integer)
    delivered_on: Mapped[date] = mapped_column(Date)
    covered: Mapped[list[Any]] = mapped_column(JSON)
    response: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(Text)
    delivered_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime]


class OutcomeReviewRow(Base):
    """The needs and risk comparison added to the protection end-of-sentence review."""

    __tablename__ = "outcome_review"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), unique=True)
    # plan_review.id (protection); no foreign key, so migration 0005 needs only 0001
    plan_review_id: Mapped[int] = mapped_column(BigId, unique=True)
    reviewed_on: Mapped[date] = mapped_column(Date)
    needs: Mapped[list[Any]] = mapped_column(JSON)  # area, first, latest, change, in_plan
    needs_direction: Mapped[str] = mapped_column(String(16))
    rosh_start: Mapped[str | None] = mapped_column(String(16))
    rosh_end: Mapped[str | None] = mapped_column(String(16))
    ogrs3_start: Mapped[int | None] = mapped_column(Integer)
    ogrs3_end: Mapped[int | None] = mapped_column(Integer)
    objectives: Mapped[list[Any]] = mapped_column(JSON)
    outcome_counts: Mapped[dict[str, Any]] = mapped_column(JSON)
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class RarInformationSentRow(Base):
    """RAR row 4: a sentencer, report writer or partner agency sent the RAR information."""

    __tablename__ = "rar_information_sent"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(32))
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_role: Mapped[str] = mapped_column(String(32))
    organisation: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    sent_on: Mapped[date] = mapped_column(Date)
    format: Mapped[str] = mapped_column(String(8))
    sent_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime]
