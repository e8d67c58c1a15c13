"""Public protection tables: RoSH assessments, predictor scores, registers, risk escalations,
safeguarding records, plans and their reviews, and notices to offender managers. Every row also
has a case event (case_event) that evidences it; these tables hold the current detail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from probation.adapters.db.tables import Base, BigId


class RoshAssessmentRow(Base):
    __tablename__ = "rosh_assessment"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    assessed_on: Mapped[date] = mapped_column(Date)
    assessor: Mapped[str] = mapped_column(String(200))
    overall: Mapped[str] = mapped_column(String(16))
    levels: Mapped[dict[str, Any]] = mapped_column(JSON)  # target -> level
    summary: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class PredictorScoreRow(Base):
    """A likelihood-of-reoffending score with its inputs and the model that produced it."""

    __tablename__ = "predictor_score"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    model_name: Mapped[str] = mapped_column(String(32))
    model_version: Mapped[str] = mapped_column(String(16))
    scored_on: Mapped[date] = mapped_column(Date)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    one_year: Mapped[int] = mapped_column(Integer)
    two_year: Mapped[int] = mapped_column(Integer)
    band: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class RegisterEntryRow(Base):
    __tablename__ = "register_entry"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    register: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[date] = mapped_column(Date)
    review_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    category: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime]


class RiskEscalationRow(Base):
    __tablename__ = "risk_escalation"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    organisation_code: Mapped[str] = mapped_column(String(16))  # the referring provider
    status: Mapped[str] = mapped_column(String(16))
    concern: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    indicated_at: Mapped[datetime]
    indicated_by: Mapped[str] = mapped_column(String(100))
    referred_at: Mapped[datetime | None]
    referred_by: Mapped[str | None] = mapped_column(String(100))
    decision: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(100))
    assessed_rosh: Mapped[str | None] = mapped_column(String(16))
    rationale: Mapped[str | None] = mapped_column(Text)
    to_team_code: Mapped[str | None] = mapped_column(String(16))
    planned_review_date: Mapped[date | None] = mapped_column(Date)
    actioned_at: Mapped[datetime | None]
    actioned_by: Mapped[str | None] = mapped_column(String(100))
    action_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_risk_escalation_status", "status", "referred_at"),)


class SafeguardingRecordRow(Base):
    __tablename__ = "safeguarding_record"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[date] = mapped_column(Date)
    agency_code: Mapped[str | None] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(32))
    topic: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    related_id: Mapped[int | None] = mapped_column(BigId)
    register: Mapped[str | None] = mapped_column(String(40))
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class SentencePlanRow(Base):
    """One plan per case; reviews revise its objectives (the history is in plan_review)."""

    __tablename__ = "sentence_plan"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), unique=True)
    completed_on: Mapped[date] = mapped_column(Date)
    objectives: Mapped[list[Any]] = mapped_column(JSON)
    agreed: Mapped[bool] = mapped_column(Boolean)
    person_comments: Mapped[str | None] = mapped_column(Text)
    last_reviewed_on: Mapped[date | None] = mapped_column(Date)
    last_changed_at: Mapped[datetime]  # plan or latest review, for "review needed since"
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class PlanReviewRow(Base):
    __tablename__ = "plan_review"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("sentence_plan.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # review | end_of_sentence
    reviewed_on: Mapped[date] = mapped_column(Date)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    objectives: Mapped[list[Any]] = mapped_column(JSON)  # the objectives after the review
    outcomes: Mapped[list[Any]] = mapped_column(JSON)
    agreed: Mapped[bool] = mapped_column(Boolean)
    person_comments: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class OffenderManagerNoticeRow(Base):
    """A change of risk or flags the offender manager (or, before allocation, the team) is told of."""

    __tablename__ = "om_notice"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    crn: Mapped[str] = mapped_column(String(7))
    staff_code: Mapped[str | None] = mapped_column(String(16))
    team_code: Mapped[str] = mapped_column(String(16))
    change: Mapped[str] = mapped_column(String(40))  # the event kind
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_om_notice_staff", "staff_code", "read_at"),
                      Index("ix_om_notice_team", "team_code", "read_at"))
