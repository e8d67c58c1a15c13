"""Month arithmetic and England and Wales working days."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from probation.domain.calendar import add_working_days, is_working_day, next_working_day
from probation.domain.people import age_on
from probation.domain.periods import Period, add_months


def test_months_clamp_to_the_end_of_shorter_months() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 8, 31), 1) == date(2026, 9, 30)
    assert add_months(date(2026, 12, 15), 12) == date(2027, 12, 15)


def test_a_period_has_an_inclusive_start_and_exclusive_end() -> None:
    p = Period.of_months(date(2026, 3, 1), 12)
    assert p.contains(date(2026, 3, 1)) and p.contains(date(2027, 2, 28)) and not p.contains(date(2027, 3, 1))
    assert p.last_day == date(2027, 2, 28) and p.days == 365


def test_bank_holidays_and_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day substitute (26th is a Saturday)
    assert not is_working_day(date(2026, 8, 31))   # summer bank holiday (England and Wales)
    assert is_working_day(date(2026, 8, 3))        # Scotland's August holiday is not England's
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)  # Good Friday and Easter Monday
    assert next_working_day(date(2026, 11, 21)) == date(2026, 11, 23)


def test_people_born_on_29_february_age_on_1_march_in_common_years() -> None:
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)), st.integers(0, 40))
def test_adding_working_days_lands_on_a_working_day_after_the_start(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert end >= start
    if n:
        assert is_working_day(end)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 12, 31)), st.integers(0, 48))
def test_adding_months_never_moves_backwards_or_overshoots_the_month(start: date, months: int) -> None:
    end = add_months(start, months)
    assert end >= start
    assert (end.year - start.year) * 12 + end.month - start.month == months
