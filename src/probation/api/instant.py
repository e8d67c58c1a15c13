"""A point in time as the API accepts it: within the years a probation record can hold
(`domain.calendar.outside_years`), so year 1 is a 422 naming the field, not a 500 from the
conversion to London time."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator

from probation.domain.calendar import outside_years


def _plausible(at: datetime) -> datetime:
    problem = outside_years(at)
    if problem:
        raise ValueError(problem)
    return at


Instant = Annotated[datetime, AfterValidator(_plausible)]
