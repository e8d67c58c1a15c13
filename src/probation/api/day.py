"""A calendar date as the API accepts it: within the years a probation record can hold
(`domain.calendar.outside_years`, as `Instant` for times), so 9999-12-31 is a 422 naming the field,
not a 500 from date arithmetic past year 9999 (an order's end, a working-day calendar)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator

from probation.domain.calendar import outside_years


def _plausible(day: date) -> date:
    problem = outside_years(day)
    if problem:
        raise ValueError(problem)
    return day


Day = Annotated[date, AfterValidator(_plausible)]
