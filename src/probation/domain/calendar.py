"""The calendar of England and Wales: its time zone (times are stored in UTC and judged and shown
in London time) and its working days, weekends and the bank holidays of the `holidays` package
(subdivision ENG covers England and Wales bank holidays as gov.uk publishes them)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# Every time on a probation record falls within these years. Outside them a time is a typing or
# device error, and converting it to London time can overflow (year 1 in UTC is before the
# calendar starts): refused where it comes in, naming the field, never reached as a 500.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def outside_years(at: datetime | date) -> str | None:
    """Why `at` cannot be on a record, or None when it can."""
    if FIRST_YEAR <= at.year <= LAST_YEAR:
        return None
    what = "time" if isinstance(at, datetime) else "date"
    return (f"{at.isoformat()} is outside the years {FIRST_YEAR}-{LAST_YEAR}: a {what} on a "
            "probation record falls within them")


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    import holidays  # on first use: modules that need only the time zone do not load it

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The working day `days` working days after `start` (start itself is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, otherwise the next one."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day
