"""A point in time as the API accepts it: within years 1900-2199. Outside that no record of the
service can fall, and converting such a time to London time overflows (year 1 in UTC is before
the calendar starts), so it is refused as a 422 naming the field, not reached as a 500."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator

FIRST_YEAR, LAST_YEAR = 1900, 2199


def _plausible(at: datetime) -> datetime:
    if not FIRST_YEAR <= at.year <= LAST_YEAR:
        raise ValueError(f"{at.isoformat()} is outside the years {FIRST_YEAR}-{LAST_YEAR}: a time "
                         "on a probation record falls within them")
    return at


Instant = Annotated[datetime, AfterValidator(_plausible)]
