"""OGRS3 terms one at a time: age/sex bands, conviction status, bands, rounding and limits."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import pytest

from probation.domain.errors import InvalidValue
from probation.domain.people import Sex
from probation.domain.risk.likelihood import LikelihoodOfReoffending
from probation.domain.risk.offence_weights import Ogrs3OffenceWeights
from probation.domain.risk.ogrs3 import (
    ConvictionStatus,
    Ogrs3Band,
    Ogrs3Inputs,
    Ogrs3Predictor,
    age_sex_weight,
    band_for,
    reported_percentage,
)
from probation.domain.risk.rounding import round_half_up, whole_percentage


def inputs(**overrides: Any) -> Ogrs3Inputs:
    base = Ogrs3Inputs(sex=Sex.MALE, date_of_birth=date(1999, 6, 15),
                       conviction_date=date(2024, 3, 1), follow_up_date=date(2024, 7, 1),
                       total_sanctions=3, age_at_first_sanction=16, offence_code="02700")
    return replace(base, **overrides)


def predictor_with_weight(weight: float) -> Ogrs3Predictor:
    return Ogrs3Predictor(weights=Ogrs3OffenceWeights(weights=MappingProxyType({"00100": weight})))


# The table in REFERENCE.md "Risk predictors", typed out again: (age, male, female).
AGE_BAND_EDGES = [
    (10, 0.0, 0.785), (11, 0.0, 0.785),
    (12, 0.08392, 0.61385), (13, 0.08392, 0.61385),
    (14, 0.07578, 0.66952), (15, 0.07578, 0.66952),
    (16, -0.0616, -0.9592), (17, -0.0616, -0.9592),
    (18, -0.6251, -0.8975), (20, -0.6251, -0.8975),
    (21, -1.0515, -1.0285), (24, -1.0515, -1.0285),
    (25, -1.1667, -1.0528), (29, -1.1667, -1.0528),
    (30, -1.326, -1.1291), (34, -1.326, -1.1291),
    (35, -1.368, -1.4219), (39, -1.368, -1.4219),
    (40, -1.4997, -1.5247), (49, -1.4997, -1.5247),
    (50, -2.0253, -2.4498), (51, -2.0253, -2.4498), (99, -2.0253, -2.4498),
]


@pytest.mark.parametrize(("age", "male", "female"), AGE_BAND_EDGES)
def test_each_age_band_edge_has_its_weight_for_both_sexes(age: int, male: float,
                                                          female: float) -> None:
    assert age_sex_weight(age, Sex.MALE) == male
    assert age_sex_weight(age, Sex.FEMALE) == female


@pytest.mark.parametrize("sex", list(Sex))
def test_an_age_under_ten_has_no_age_band(sex: Sex) -> None:
    with pytest.raises(InvalidValue) as caught:
        age_sex_weight(9, sex)

    assert caught.value.field == "age_at_follow_up"


@pytest.mark.parametrize(("follow_up", "expected_age", "expected_weight"), [
    (date(2024, 6, 14), 17, -0.0616),   # the day before the 18th birthday: 16-17 band
    (date(2024, 6, 15), 18, -0.6251),   # the 18th birthday: 18-20 band
])
def test_the_age_band_uses_whole_years_at_the_start_of_follow_up(
        follow_up: date, expected_age: int, expected_weight: float) -> None:
    # Born 15 Jun 2006, convicted at 17 on 1 Jun 2024; first sanction at 15.
    result = Ogrs3Predictor().predict(inputs(date_of_birth=date(2006, 6, 15),
                                             conviction_date=date(2024, 6, 1),
                                             follow_up_date=follow_up, age_at_first_sanction=15))

    assert result.inputs.age_at_conviction == 17
    assert result.inputs.age_at_follow_up == expected_age
    assert result.age_sex_weight == expected_weight


def test_the_log_term_uses_age_at_conviction_not_age_at_follow_up() -> None:
    # Convicted at 24, followed up from 30: ln((1+2)/(10+24-16)) = ln(1/6) -> -1.79176,
    # not ln(3/(10+30-16)) = ln(0.125) -> -2.07944.
    result = Ogrs3Predictor().predict(inputs(follow_up_date=date(2029, 7, 1)))

    assert result.inputs.age_at_follow_up == 30
    assert result.copas_log_ratio == -1.79176
    assert result.copas_weight == pytest.approx(1.25112 * -1.79176)


def test_one_sanction_is_a_first_time_offender_and_two_a_repeat_offender() -> None:
    first = Ogrs3Predictor().predict(inputs(total_sanctions=1, age_at_first_sanction=24))
    repeat = Ogrs3Predictor().predict(inputs(total_sanctions=2, age_at_first_sanction=24))

    assert (first.conviction_status, first.conviction_status_weight) == (
        ConvictionStatus.FIRST_TIME, 0.12614)
    assert (repeat.conviction_status, repeat.conviction_status_weight) == (
        ConvictionStatus.REPEAT, 0.46306)
    # previous sanctions = total - 1: ln(1/10) -> -2.30259 and ln(2/10) -> -1.60944
    assert (first.copas_log_ratio, repeat.copas_log_ratio) == (-2.30259, -1.60944)


@pytest.mark.parametrize(("percent", "band"), [
    (0, Ogrs3Band.LOW), (49, Ogrs3Band.LOW), (50, Ogrs3Band.MEDIUM), (74, Ogrs3Band.MEDIUM),
    (75, Ogrs3Band.HIGH), (89, Ogrs3Band.HIGH), (90, Ogrs3Band.VERY_HIGH),
    (100, Ogrs3Band.VERY_HIGH),
])
def test_the_band_on_the_two_year_percentage_changes_at_50_75_and_90(percent: int,
                                                                     band: Ogrs3Band) -> None:
    assert band_for(percent) is band


@pytest.mark.parametrize("percent", [-1, 101])
def test_a_percentage_outside_0_to_100_has_no_band(percent: int) -> None:
    with pytest.raises(InvalidValue):
        band_for(percent)


@pytest.mark.parametrize(("two_year_probability", "two_year", "band"), [
    (0.4949, 49, Ogrs3Band.LOW), (0.5049, 50, Ogrs3Band.MEDIUM),
    (0.7449, 74, Ogrs3Band.MEDIUM), (0.7549, 75, Ogrs3Band.HIGH),
    (0.8949, 89, Ogrs3Band.HIGH), (0.9049, 90, Ogrs3Band.VERY_HIGH),
])
def test_a_scored_case_falls_in_the_band_of_its_rounded_two_year_percentage(
        two_year_probability: float, two_year: int, band: Ogrs3Band) -> None:
    # The default inputs' other terms add up to -1.1667 + 0.46306 + 1.25112 x -1.79176
    # = -2.9453467712; choose the offence weight that puts the two-year probability on target.
    others = -1.1667 + 0.46306 + 1.25112 * -1.79176
    weight = math.log(two_year_probability / (1 - two_year_probability)) - 2.1217 - others

    result = predictor_with_weight(weight).predict(inputs(offence_code="00100"))

    assert result.two_year_probability == pytest.approx(two_year_probability)
    assert (result.two_year, result.band) == (two_year, band)


@pytest.mark.parametrize(("weight", "percent"), [(-30.0, 1), (30.0, 99)])
def test_scores_are_held_within_1_and_99_percent(weight: float, percent: int) -> None:
    result = predictor_with_weight(weight).predict(inputs(offence_code="00100"))

    assert (result.one_year, result.two_year) == (percent, percent)


def test_half_a_percent_rounds_up_not_to_even() -> None:
    # 0.125 is exact in binary: 12.5% -> 13% (banker's rounding would give 12%).
    assert whole_percentage(0.125) == 13
    assert whole_percentage(Decimal("0.49500")) == 50
    assert whole_percentage(Decimal("0.49499")) == 49
    assert round_half_up(2.5, 0) == 3.0
    assert round_half_up(-2.5, 0) == -3.0
    assert round_half_up(-1.7917594692, 5) == -1.79176


def test_the_probability_is_rounded_to_5_decimals_before_it_becomes_a_percentage() -> None:
    # 0.494996 -> 0.49500 (5 dp) -> 49.5 -> 50%; rounding 49.4996 directly would give 49%.
    # (The MoJ service, multiplying the double nearest 0.495, which is 0.49499999..., says 49.)
    assert reported_percentage(0.494996) == 50
    assert reported_percentage(0.494949) == 49
    assert reported_percentage(0.004949) == 1   # 0.49% rounds to 0%, held at 1%


@pytest.mark.parametrize(("band", "likelihood"), [
    (Ogrs3Band.LOW, LikelihoodOfReoffending.LOW),
    (Ogrs3Band.MEDIUM, LikelihoodOfReoffending.MEDIUM),
    (Ogrs3Band.HIGH, LikelihoodOfReoffending.HIGH),
    (Ogrs3Band.VERY_HIGH, LikelihoodOfReoffending.VERY_HIGH),
])
def test_each_ogrs3_band_gives_the_same_likelihood_of_reoffending(
        band: Ogrs3Band, likelihood: LikelihoodOfReoffending) -> None:
    assert band.likelihood is likelihood


def test_likelihoods_rank_from_low_to_very_high() -> None:
    ranks = [level.rank for level in (LikelihoodOfReoffending.LOW, LikelihoodOfReoffending.MEDIUM,
                                      LikelihoodOfReoffending.HIGH,
                                      LikelihoodOfReoffending.VERY_HIGH)]

    assert ranks == [0, 1, 2, 3]
