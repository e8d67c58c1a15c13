"""Data-protection tables: the retention log, one row each time a person's identity or case history
is anonymised (docs/DATA_PROTECTION.md), so a second run does not do it again. It holds no record
content: the internal person id, the kind, the closure day the period ran from, when and by whom.
Deletions need no log (what is deleted is not found again); the run's audit row counts them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from probation.adapters.db.tables import Base, BigId


class RetentionDisposalRow(Base):
    __tablename__ = "retention_disposal"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(24))  # person | case_history
    closed_on: Mapped[date] = mapped_column(Date)  # the closure of the person's last case: the period's start
    disposed_at: Mapped[datetime]
    disposed_by: Mapped[str] = mapped_column(String(100))

    __table_args__ = (Index("ix_retention_disposal_person", "person_id", "kind"),)
