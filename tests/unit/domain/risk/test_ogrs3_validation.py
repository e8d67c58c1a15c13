"""Invalid OGRS3 inputs are errors naming the field, value and rule, never a score."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from probation.domain.errors import InvalidValue
from probation.domain.people import Sex
from probation.domain.risk.ogrs3 import Ogrs3Inputs, copas_log_ratio, ogrs3


def inputs(**overrides: Any) -> Ogrs3Inputs:
    base = Ogrs3Inputs(sex=Sex.MALE, date_of_birth=date(1999, 6, 15),
                       conviction_date=date(2024, 3, 1), follow_up_date=date(2024, 7, 1),
                       total_sanctions=3, age_at_first_sanction=16, offence_code="02700")
    return replace(base, **overrides)


def rejected(**overrides: Any) -> InvalidValue:
    with pytest.raises(InvalidValue) as caught:
        ogrs3(inputs(**overrides))
    return caught.value


def test_a_conviction_before_the_tenth_birthday_is_rejected() -> None:
    # Born 15 Jun 1999: convicted on 14 Jun 2009 at 9.
    error = rejected(conviction_date=date(2009, 6, 14), follow_up_date=date(2009, 7, 1),
                     total_sanctions=1, age_at_first_sanction=10)

    assert error.field == "conviction_date"
    assert "age at conviction 9 is under 10" in error.message


def test_a_conviction_on_the_tenth_birthday_is_scored() -> None:
    result = ogrs3(inputs(conviction_date=date(2009, 6, 15), follow_up_date=date(2009, 7, 1),
                          total_sanctions=1, age_at_first_sanction=10))

    assert result.inputs.age_at_conviction == 10
    assert result.age_sex_weight == 0.0   # male 10-11


def test_a_first_sanction_after_the_current_conviction_is_rejected() -> None:
    error = rejected(age_at_first_sanction=25)   # convicted at 24

    assert (error.field, error.value) == ("first_sanction_age", 25)
    assert "after the age at current conviction 24" in error.message


def test_a_first_sanction_at_the_age_of_the_current_conviction_is_scored() -> None:
    assert ogrs3(inputs(age_at_first_sanction=24)).copas_log_ratio == -1.20397  # ln(3/10)


def test_a_first_sanction_before_the_age_of_criminal_responsibility_is_rejected() -> None:
    error = rejected(age_at_first_sanction=9)

    assert (error.field, error.value) == ("first_sanction_age", 9)


@pytest.mark.parametrize("total", [0, -1, 1000])
def test_total_sanctions_outside_1_to_999_are_rejected(total: int) -> None:
    error = rejected(total_sanctions=total)

    assert (error.field, error.value) == ("sanctions", total)
    assert "1 to 999" in (error.rule or "")


def test_a_follow_up_before_the_conviction_is_rejected() -> None:
    error = rejected(follow_up_date=date(2024, 2, 29))

    assert (error.field, error.value) == ("follow_up_date", "2024-02-29")
    assert "before the conviction date 2024-03-01" in error.message


def test_a_follow_up_on_the_conviction_date_is_scored() -> None:
    assert ogrs3(inputs(follow_up_date=date(2024, 3, 1))).inputs.age_at_follow_up == 24


def test_a_conviction_before_birth_is_rejected() -> None:
    error = rejected(date_of_birth=date(2030, 1, 1))

    assert error.field == "conviction_date"
    assert "before the date of birth 2030-01-01" in error.message


@pytest.mark.parametrize("code", ["00099", "99999", "02799"])
def test_an_offence_code_without_a_weight_row_is_rejected(code: str) -> None:
    error = rejected(offence_code=code)

    assert (error.field, error.value) == ("offence_code", code)
    assert "not in the OGRS3 weights table" in error.message


@pytest.mark.parametrize("code", ["ABCDE", "0270", "027000", ""])
def test_a_malformed_offence_code_is_rejected(code: str) -> None:
    error = rejected(offence_code=code)

    assert error.field == "offence_code"
    assert "not a Home Office offence code" in error.message


# The 15 codes whose weight is empty in the reference table.
EMPTY_WEIGHT_CODES = [f"950{sub:02d}" for sub in range(14)] + ["99955"]


@pytest.mark.parametrize("code", EMPTY_WEIGHT_CODES)
def test_a_code_with_an_empty_weight_asks_for_the_exact_offence(code: str) -> None:
    error = rejected(offence_code=code)

    assert (error.field, error.value) == ("offence_code", code)
    assert "the exact offence is needed" in error.message


@pytest.mark.parametrize(("first", "denominator"), [(30, 0), (31, -1)])
def test_a_non_positive_log_denominator_is_rejected(first: int, denominator: int) -> None:
    # 10 + 20 - 30 = 0 and 10 + 20 - 31 = -1: the log of the ratio is undefined.
    with pytest.raises(InvalidValue) as caught:
        copas_log_ratio(previous_sanctions=0, age_at_conviction=20, age_at_first_sanction=first)

    assert f"= {denominator} is not positive" in caught.value.message
    assert (caught.value.field, caught.value.value) == ("first_sanction_age", first)


def test_offence_codes_are_accepted_with_a_slash_or_space_and_stored_as_five_digits() -> None:
    assert inputs(offence_code="027/00").offence_code == "02700"
    assert inputs(offence_code=" 027 00 ").offence_code == "02700"
