"""Tables. Times are stored in UTC with a time zone; JSON columns hold small structured details."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from probation.adapters.db.types import UtcDateTime

# BigInteger primary keys become INTEGER PRIMARY KEY (rowid) on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime(), dict: JSON, list: JSON}


class OrganisationRow(Base):
    __tablename__ = "organisation"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(200))


class TeamRow(Base):
    __tablename__ = "team"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_code: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)


class StaffRow(Base):
    __tablename__ = "staff"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    sex: Mapped[str] = mapped_column(String(8))
    team_code: Mapped[str] = mapped_column(ForeignKey("team.code"), index=True)
    email: Mapped[str | None] = mapped_column(String(200))


class CourtRow(Base):
    __tablename__ = "court"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class UserRow(Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    staff_code: Mapped[str | None] = mapped_column(ForeignKey("staff.code"))
    organisation_code: Mapped[str | None] = mapped_column(ForeignKey("organisation.code"))
    display_name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class PersonRow(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    crn: Mapped[str] = mapped_column(String(7), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(8))
    gender_identity: Mapped[str | None] = mapped_column(String(50))
    ethnicity: Mapped[str | None] = mapped_column(String(40))
    religion: Mapped[str | None] = mapped_column(String(50))
    disability: Mapped[str | None] = mapped_column(String(30))
    first_language: Mapped[str | None] = mapped_column(String(50))
    interpreter_required: Mapped[bool] = mapped_column(Boolean, default=False)
    learning_difficulty: Mapped[bool | None] = mapped_column(Boolean)
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(200))
    addresses: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # Lower-cased "last first crn" for the caseload search box.
    search_key: Mapped[str] = mapped_column(String(220), index=True)
    created_at: Mapped[datetime]

    __table_args__ = (Index("ix_person_name", "last_name", "first_name"),)


class CaseRow(Base):
    __tablename__ = "case_record"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    crn: Mapped[str] = mapped_column(String(7), index=True)
    sentence_type: Mapped[str] = mapped_column(String(32))
    sentence_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    offence_code: Mapped[str] = mapped_column(String(5))
    offence_date: Mapped[date | None] = mapped_column(Date)
    length_months: Mapped[int | None] = mapped_column(Integer)
    custodial_term_days: Mapped[int | None] = mapped_column(Integer)
    operational_period_months: Mapped[int | None] = mapped_column(Integer)
    supervision_period_months: Mapped[int | None] = mapped_column(Integer)
    court_code: Mapped[str] = mapped_column(ForeignKey("court.code"))
    organisation_code: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    team_code: Mapped[str] = mapped_column(ForeignKey("team.code"))
    offender_manager_code: Mapped[str | None] = mapped_column(ForeignKey("staff.code"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    restricted_to: Mapped[list[str]] = mapped_column(JSON, default=list)
    female_options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    inducted_at: Mapped[datetime | None]
    pending_transfer: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    termination_reason: Mapped[str | None] = mapped_column(String(32))
    terminated_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    # Optimistic concurrency: an UPDATE that finds another version raises StaleDataError.
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_case_team_status", "team_code", "status"),)


class RequirementRow(Base):
    __tablename__ = "requirement"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    type: Mapped[str] = mapped_column(String(40), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    length_months: Mapped[int | None] = mapped_column(Integer)
    length_days: Mapped[int | None] = mapped_column(Integer)
    max_days: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[int | None] = mapped_column(Integer)
    hours_per_day: Mapped[int | None] = mapped_column(Integer)
    places: Mapped[list[Any]] = mapped_column(JSON, default=list)
    electronically_monitored: Mapped[bool] = mapped_column(Boolean, default=False)
    programme: Mapped[str | None] = mapped_column(String(100))
    activity: Mapped[str | None] = mapped_column(String(200))


class CaseEventRow(Base):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "case_event"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_case_event_seq"),
                      Index("ix_case_event_kind", "kind", "case_id"))


class AuditRow(Base):
    """Every read and write of a person's record, for administrators to query."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(16))  # read | write | login | denied
    subject: Mapped[str | None] = mapped_column(String(40), index=True)  # CRN or other record key
    detail: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(8))  # api | web | cli
    subjects: Mapped[list[AuditSubjectRow]] = relationship(cascade="all, delete-orphan", lazy="raise")


class AuditSubjectRow(Base):
    """Every record an audited read showed (the CRNs of a list, a worklist, a diary), so the reads
    of one person's record are found by an indexed look-up, whatever the channel."""

    __tablename__ = "audit_subject"
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_log.id", ondelete="CASCADE"), primary_key=True)
    subject: Mapped[str] = mapped_column(String(40), primary_key=True)

    __table_args__ = (Index("ix_audit_subject_subject", "subject", "audit_id"),)
