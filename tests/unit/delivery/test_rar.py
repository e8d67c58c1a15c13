"""RAR days: distinct dates attended and complied, the maximum, and the near-end warning."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from probation.domain.delivery.appointments import AppointmentStatus, Outcome
from probation.domain.delivery.rar import RarActivity, check_instruction, progress
from probation.domain.errors import InvalidValue

END = date(2027, 3, 1)  # a 12-month requirement from 1 March 2026 ends (exclusive) on 1 March 2027
START = date(2026, 3, 1)


def done(day: date, outcome: Outcome = Outcome.ATTENDED_COMPLIED) -> RarActivity:
    return RarActivity(day=day, status=AppointmentStatus.COMPLETED, outcome=outcome)


def booked(day: date) -> RarActivity:
    return RarActivity(day=day, status=AppointmentStatus.SCHEDULED, outcome=None)


def test_days_used_are_distinct_dates_attended_and_complied() -> None:
    acts = [done(date(2026, 4, 1)), done(date(2026, 4, 1)), done(date(2026, 4, 2)),
            done(date(2026, 4, 3), Outcome.ATTENDED_FAILED_TO_COMPLY),
            done(date(2026, 4, 6), Outcome.UNACCEPTABLE_ABSENCE),
            done(date(2026, 4, 7), Outcome.ACCEPTABLE_ABSENCE)]
    p = progress(max_days=20, activities=acts, requirement_end=END, as_of=date(2026, 5, 1))
    assert p.used_dates == (date(2026, 4, 1), date(2026, 4, 2))
    assert (p.days_used, p.days_remaining) == (2, 18)


def test_an_instruction_on_a_new_date_beyond_the_maximum_is_refused() -> None:
    acts = [done(date(2026, 4, 1)), booked(date(2026, 4, 8))]
    p = progress(max_days=2, activities=acts, requirement_end=END, as_of=date(2026, 4, 2))
    with pytest.raises(InvalidValue, match="day 3 of a maximum of 2"):
        check_instruction(p, day=date(2026, 4, 15), requirement_start=START)


def test_a_second_session_on_a_date_already_counted_is_allowed_at_the_maximum() -> None:
    p = progress(max_days=2, activities=[done(date(2026, 4, 1)), booked(date(2026, 4, 8))],
                 requirement_end=END, as_of=date(2026, 4, 2))
    check_instruction(p, day=date(2026, 4, 8), requirement_start=START)
    check_instruction(p, day=date(2026, 4, 1), requirement_start=START)


def test_a_failed_activity_frees_its_date_for_another_instruction() -> None:
    p = progress(max_days=1, activities=[done(date(2026, 4, 1), Outcome.UNACCEPTABLE_ABSENCE)],
                 requirement_end=END, as_of=date(2026, 4, 2))
    check_instruction(p, day=date(2026, 4, 9), requirement_start=START)


def test_an_instruction_on_the_last_day_of_the_requirement_is_allowed_but_not_on_its_end() -> None:
    p = progress(max_days=20, activities=[], requirement_end=END, as_of=date(2027, 2, 1))
    check_instruction(p, day=date(2027, 2, 28), requirement_start=START)
    with pytest.raises(InvalidValue, match="outside the requirement"):
        check_instruction(p, day=date(2027, 3, 1), requirement_start=START)


def test_near_the_end_means_within_8_weeks_and_more_days_left_than_weeks() -> None:
    # 4 Jan 2027 is exactly 8 weeks (56 days) before the end: 8 whole weeks left.
    used = [done(date(2026, 4, 1) + timedelta(days=i)) for i in range(11)]
    p = progress(max_days=20, activities=used, requirement_end=END, as_of=date(2027, 1, 4))
    assert (p.days_remaining, p.weeks_left) == (9, 8)
    assert p.near_end_with_days_unused and p.warning is not None and "9 RAR day(s)" in p.warning
    enough = progress(max_days=20, activities=[*used, done(date(2026, 5, 1))], requirement_end=END,
                      as_of=date(2027, 1, 4))
    assert enough.days_remaining == 8 and not enough.near_end_with_days_unused
    earlier = progress(max_days=20, activities=[], requirement_end=END, as_of=date(2027, 1, 3))
    assert not earlier.near_end_with_days_unused


def test_in_a_leap_year_the_window_counts_29_february() -> None:
    # Requirement ends 1 March 2028; 8 weeks (56 days) before is 5 January 2028, a day later than
    # in 2027 because 29 February falls in the window.
    end = date(2028, 3, 1)
    on = progress(max_days=10, activities=[], requirement_end=end, as_of=date(2028, 1, 5))
    assert on.weeks_left == 8 and on.near_end_with_days_unused
    before = progress(max_days=10, activities=[], requirement_end=end, as_of=date(2028, 1, 4))
    assert not before.near_end_with_days_unused


@given(st.lists(st.tuples(st.integers(0, 300), st.sampled_from(list(Outcome))), max_size=60),
       st.integers(1, 60))
def test_days_used_never_exceed_distinct_dates_and_remaining_is_never_negative(
        rows: list[tuple[int, Outcome]], max_days: int) -> None:
    acts = [done(START + timedelta(days=d), o) for d, o in rows]
    p = progress(max_days=max_days, activities=acts, requirement_end=END, as_of=START)
    assert p.days_used <= len({d for d, _ in rows})
    assert 0 <= p.days_remaining <= max_days
