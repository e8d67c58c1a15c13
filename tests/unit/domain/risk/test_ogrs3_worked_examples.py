"""OGRS3 scores checked against arithmetic done by hand (a calculator, not the code under test)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import MappingProxyType
from typing import Any

import pytest

from probation.domain.people import Sex
from probation.domain.risk import OGRS3, ConvictionStatus, Ogrs3Band, Ogrs3Predictor, ogrs3
from probation.domain.risk.likelihood import LikelihoodOfReoffending
from probation.domain.risk.offence_weights import Ogrs3OffenceWeights
from probation.domain.risk.ogrs3 import Ogrs3Inputs


def inputs(**overrides: Any) -> Ogrs3Inputs:
    base = Ogrs3Inputs(sex=Sex.MALE, date_of_birth=date(1999, 6, 15),
                       conviction_date=date(2024, 3, 1), follow_up_date=date(2024, 7, 1),
                       total_sanctions=3, age_at_first_sanction=16, offence_code="02700")
    return replace(base, **overrides)


def weights(**by_code: float | None) -> Ogrs3OffenceWeights:
    return Ogrs3OffenceWeights(weights=MappingProxyType(dict(by_code)))


def test_a_repeat_male_aged_24_at_conviction_and_25_at_follow_up_scores_31_and_48_low() -> None:
    # Male, born 15 Jun 1999: 24 on conviction (1 Mar 2024), 25 at follow-up (1 Jul 2024).
    # 3 sanctions (2 previous), first at 16; offence 027/00 weight 0.7606.
    #   age/sex (male 25-29)                   -1.1667
    #   conviction status (repeat)             +0.46306
    #   ln((1+2)/(10+24-16)) = ln(3/18) = -1.7917594692 -> -1.79176 (5 dp)
    #   1.25112 x -1.79176                     -2.2417067712
    #   offence                                +0.7606
    #   score                                  -2.1847467712
    #   1 year: 1/(1+e^-(score+1.40256)) = 1/(1+e^0.7821867712) = 0.31385 -> 31%
    #   2 years: 1/(1+e^-(score+2.1217)) = 1/(1+e^0.0630467712) = 0.48424 -> 48% -> low
    result = ogrs3(inputs())

    assert result.inputs.age_at_conviction == 24
    assert result.inputs.age_at_follow_up == 25
    assert result.age_sex_weight == -1.1667
    assert result.copas_log_ratio == -1.79176
    assert result.score == pytest.approx(-2.1847467712, abs=1e-10)
    assert (result.one_year, result.two_year, result.band) == (31, 48, Ogrs3Band.LOW)


def test_a_first_time_female_aged_20_scores_12_and_22_low() -> None:
    # Female, born 10 Jan 2000, convicted and followed up from 5 May 2020 (age 20); 1 sanction,
    # first at 20; offence 030/00 weight 0.2406.
    #   age/sex (female 18-20)                 -0.8975
    #   conviction status (first time)         +0.12614
    #   ln((1+0)/(10+20-20)) = ln(0.1) = -2.3025850930 -> -2.30259
    #   1.25112 x -2.30259                     -2.8808164008
    #   offence                                +0.2406
    #   score                                  -3.4115764008
    #   1 year: logistic(-2.0090164008) = 0.11826 -> 12%;  2 years: logistic(-1.2898764008)
    #   = 0.21587 -> 22% -> low
    result = ogrs3(inputs(sex=Sex.FEMALE, date_of_birth=date(2000, 1, 10),
                          conviction_date=date(2020, 5, 5), follow_up_date=date(2020, 5, 5),
                          total_sanctions=1, age_at_first_sanction=20, offence_code="030/00"))

    assert result.conviction_status is ConvictionStatus.FIRST_TIME
    assert result.conviction_status_weight == 0.12614
    assert result.copas_log_ratio == -2.30259
    assert (result.one_year, result.two_year, result.band) == (12, 22, Ogrs3Band.LOW)


def test_a_prolific_young_male_scores_84_and_91_very_high() -> None:
    # Male, born 1 Mar 2003: 18 on conviction (28 Feb 2022), 19 at follow-up (1 Mar 2022).
    # 12 sanctions (11 previous), first at 12; offence 024/00 weight 0.7606.
    #   age/sex (male 18-20) -0.6251; repeat +0.46306
    #   ln(12/(10+18-12)) = ln(0.75) = -0.2876820725 -> -0.28768; x 1.25112 = -0.3599222016
    #   score = -0.6251 + 0.46306 - 0.3599222016 + 0.7606 = 0.2386377984
    #   1 year: logistic(1.6411977984) = 0.83770 -> 84%; 2 years: logistic(2.3603377984)
    #   = 0.91375 -> 91% -> very high
    result = ogrs3(inputs(date_of_birth=date(2003, 3, 1), conviction_date=date(2022, 2, 28),
                          follow_up_date=date(2022, 3, 1), total_sanctions=12,
                          age_at_first_sanction=12, offence_code="02400"))

    assert (result.inputs.age_at_conviction, result.inputs.age_at_follow_up) == (18, 19)
    assert (result.one_year, result.two_year, result.band) == (84, 91, Ogrs3Band.VERY_HIGH)
    assert result.likelihood is LikelihoodOfReoffending.VERY_HIGH


def test_the_ministry_of_justice_published_scenario_one_scores_8_and_16_low() -> None:
    # hmpps-arns-risk-actuarial-api OGRS3RiskProducerServiceTest "ACT-62 scenario 1":
    # male born 7 Dec 1965, convicted 13 May 2025 (59), follow-up 6 Dec 2026 (60, the day before
    # his 61st birthday), 2 sanctions, first at 47, offence 027/00 (0.7606) -> 8%, 16%, low.
    result = ogrs3(inputs(date_of_birth=date(1965, 12, 7), conviction_date=date(2025, 5, 13),
                          follow_up_date=date(2026, 12, 6), total_sanctions=2,
                          age_at_first_sanction=47, offence_code="02700"))

    assert (result.one_year, result.two_year, result.band) == (8, 16, Ogrs3Band.LOW)


def test_the_ministry_of_justice_published_scenario_two_scores_11_and_20_low() -> None:
    # "ACT-62 scenario 2": male born 17 Jul 1991, convicted 5 Aug 2021 (30), follow-up 12 Dec 2021
    # (30), 2 sanctions, first at 21, offence 116/18 with the weight that test used (0.1599).
    predictor = Ogrs3Predictor(weights=weights(**{"11618": 0.1599}))

    result = predictor.predict(inputs(date_of_birth=date(1991, 7, 17),
                                      conviction_date=date(2021, 8, 5),
                                      follow_up_date=date(2021, 12, 12), total_sanctions=2,
                                      age_at_first_sanction=21, offence_code="11618"))

    assert (result.one_year, result.two_year, result.band) == (11, 20, Ogrs3Band.LOW)


def test_every_result_names_the_model_and_version_that_produced_it() -> None:
    result = ogrs3(inputs())

    assert result.model == OGRS3
    assert (result.model.name, result.model.version) == ("ogrs3", "3.0")
