"""Administrator tables: per-provider contract settings (commissioned options and timescale
overrides, changed at run time) and written letters with their delivery log (docs/ADMIN.md,
docs/LETTERS.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from probation.adapters.db.tables import Base, BigId


class ProviderContractRow(Base):
    """One provider's contract settings, validated with the catalogue's own contract model.
    `timescale_overrides` maps a named timescale to {"days": n, "unit": "calendar"|"working"}."""

    __tablename__ = "provider_contract"
    organisation_code: Mapped[str] = mapped_column(ForeignKey("organisation.code"), primary_key=True)
    commissioned_options: Mapped[list[str]] = mapped_column(JSON, default=list)
    timescale_overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))


class LetterRow(Base):
    """A written notification or letter as rendered (the HTML is kept so it can be reprinted)."""

    __tablename__ = "letter"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id"), index=True)
    crn: Mapped[str | None] = mapped_column(String(7), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))


class LetterDeliveryRow(Base):
    """The delivery log: one row per letter per recipient, with the channel and the outcome."""

    __tablename__ = "letter_delivery"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id"))
    crn: Mapped[str | None] = mapped_column(String(7))
    recipient_organisation_code: Mapped[str | None] = mapped_column(ForeignKey("organisation.code"))
    recipient_email: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16))  # smtp | outbox | post
    status: Mapped[str] = mapped_column(String(16))  # sent | failed | to_print
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]

    __table_args__ = (Index("ix_letter_delivery_created", "created_at"),)
