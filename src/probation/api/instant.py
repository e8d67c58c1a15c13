"""Dates and times as the API accepts them: within the years a probation record can hold
(`domain.calendar.outside_years`), so year 1 or 9999-12-31 is a 422 naming the field, not a 500
from the conversion to London time or from date arithmetic past year 9999 (an order's end, a
working-day calendar)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, TypeVar

from pydantic import AfterValidator

from probation.domain.calendar import outside_years

T = TypeVar("T", date, datetime)


def _plausible(value: T) -> T:
    problem = outside_years(value)
    if problem:
        raise ValueError(problem)
    return value


Instant = Annotated[datetime, AfterValidator(_plausible)]
Day = Annotated[date, AfterValidator(_plausible)]
