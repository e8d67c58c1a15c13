"""Sentence lengths: the accepted forms, and days counted as PSI 03/2015 para 5.5 counts them."""

from __future__ import annotations

from datetime import date

import pytest

from probation.domain.errors import InvalidValue
from probation.domain.release import SentenceLength


@pytest.mark.parametrize(("text", "parts"), [
    ("10m", (0, 10, 0, 0)), ("2y", (2, 0, 0, 0)), ("6w", (0, 0, 6, 0)), ("45d", (0, 0, 0, 45)),
    ("1y6m", (1, 6, 0, 0)), ("1Y6M", (1, 6, 0, 0)), (" 10m ", (0, 10, 0, 0)),
    ("1y2m3w4d", (1, 2, 3, 4)), ("0y6m", (0, 6, 0, 0)),
])
def test_lengths_are_written_in_years_months_weeks_and_days(text: str,
                                                            parts: tuple[int, ...]) -> None:
    length = SentenceLength.parse(text)
    assert (length.years, length.months, length.weeks, length.days) == parts


@pytest.mark.parametrize("text", ["", "m", "10", "10 m", "6m1y", "1.5y", "10mm", "ten months",
                                  "10months", "1y 6m", "3h", "+3m"])
def test_anything_else_is_not_a_length(text: str) -> None:
    with pytest.raises(InvalidValue) as e:
        SentenceLength.parse(text)
    assert e.value.field == "length"


@pytest.mark.parametrize("text", ["0m", "0d", "0y0m0w0d"])
def test_a_zero_length_is_rejected(text: str) -> None:
    with pytest.raises(InvalidValue, match="is zero"):
        SentenceLength.parse(text)


def test_a_negative_length_is_rejected() -> None:
    with pytest.raises(InvalidValue, match="not positive"):
        SentenceLength.parse("-3m")
    with pytest.raises(InvalidValue, match="negative part"):
        SentenceLength(months=-3)


def test_an_absurdly_long_length_is_rejected_before_dates_overflow() -> None:
    with pytest.raises(InvalidValue, match="longer than 100 years"):
        SentenceLength.parse("99999y")


def test_a_length_prints_as_it_is_written() -> None:
    assert str(SentenceLength.parse("1Y6M")) == "1y6m"


@pytest.mark.parametrize(("start", "text", "last_day", "days"), [
    (date(2025, 1, 31), "1m", date(2025, 2, 28), 29),    # month end into a short month
    (date(2025, 3, 31), "1m", date(2025, 4, 30), 31),
    (date(2025, 2, 1), "1m", date(2025, 2, 28), 28),     # first of the month: whole month
    (date(2025, 3, 1), "1m", date(2025, 3, 31), 31),     # not 28 Mar (the day before + 1 month)
    (date(2025, 11, 30), "3m", date(2026, 2, 28), 91),
    (date(2024, 3, 1), "1y", date(2025, 2, 28), 365),
    (date(2023, 3, 1), "1y", date(2024, 2, 29), 366),    # a year over a leap day
    (date(2024, 2, 29), "1y", date(2025, 2, 28), 366),   # not 27 Feb
    (date(2024, 2, 29), "1y6m", date(2025, 8, 28), 547),  # years then months, each clamped
    (date(2025, 3, 10), "6w", date(2025, 4, 20), 42),
    (date(2025, 3, 10), "45d", date(2025, 4, 23), 45),
    (date(2025, 3, 1), "1m2d", date(2025, 4, 2), 33),
    (date(2025, 3, 10), "1d", date(2025, 3, 10), 1),
])
def test_the_last_day_of_a_sentence(start: date, text: str, last_day: date, days: int) -> None:
    length = SentenceLength.parse(text)
    assert length.last_day(start) == last_day
    assert length.days_from(start) == days
