"""Appointments are stored in UTC and judged in local time (Europe/London): the day a contact
counts for, and whether it falls in a window the person cannot attend."""

from __future__ import annotations

from datetime import date, datetime

from probation.domain.calendar import LONDON


def local(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("appointment times carry a time zone")
    return at.astimezone(LONDON)


def local_date(at: datetime) -> date:
    """The calendar day in England and Wales on which `at` falls (23:30 UTC in summer is the next day)."""
    return local(at).date()
