"""Release, licence and supervision dates of custodial cases, calculated once from the sentence
(domain/release) and kept so the obligations engine reads them per case and in bulk."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from probation.adapters.db.tables import Base


class ReleaseDatesRow(Base):
    __tablename__ = "release_dates"
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), primary_key=True)
    track: Mapped[str] = mapped_column(String(16))
    remand_days: Mapped[int] = mapped_column(Integer)
    conditional_release_date: Mapped[date] = mapped_column(Date)
    release_day: Mapped[date] = mapped_column(Date)
    sentence_expiry: Mapped[date] = mapped_column(Date)          # SLED: its last day
    licence_start: Mapped[date | None] = mapped_column(Date)
    licence_end: Mapped[date | None] = mapped_column(Date)       # exclusive
    tused: Mapped[date | None] = mapped_column(Date)             # top-up supervision end date
    pss_start: Mapped[date | None] = mapped_column(Date)
    pss_end: Mapped[date | None] = mapped_column(Date)           # exclusive
    rules: Mapped[list[Any]] = mapped_column(JSON, default=list)
    computed_at: Mapped[datetime]
