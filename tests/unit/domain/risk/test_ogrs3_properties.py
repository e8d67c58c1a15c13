"""Properties of OGRS3 over generated valid inputs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from probation.domain.people import Sex, age_on
from probation.domain.risk.offence_weights import ogrs3_offence_weights
from probation.domain.risk.ogrs3 import Ogrs3Inputs, band_for, ogrs3

SCORED_CODES = sorted(code for code, weight in ogrs3_offence_weights().weights.items()
                      if weight is not None)


@st.composite
def valid_inputs(draw: st.DrawFn) -> Ogrs3Inputs:
    dob = draw(st.dates(min_value=date(1920, 1, 1), max_value=date(2010, 12, 31)))
    # 10 years and 4 days is past the tenth birthday whatever the leap years (even for 29 Feb).
    conviction = dob + timedelta(days=draw(st.integers(min_value=3654, max_value=90 * 365)))
    follow_up = conviction + timedelta(days=draw(st.integers(min_value=0, max_value=3650)))
    age_at_conviction = age_on(dob, conviction)
    return Ogrs3Inputs(
        sex=draw(st.sampled_from(list(Sex))), date_of_birth=dob, conviction_date=conviction,
        follow_up_date=follow_up, total_sanctions=draw(st.integers(min_value=1, max_value=998)),
        age_at_first_sanction=draw(st.integers(min_value=10, max_value=age_at_conviction)),
        offence_code=draw(st.sampled_from(SCORED_CODES)))


@given(valid_inputs())
def test_percentages_are_within_1_and_99_and_two_years_never_below_one_year(
        inputs: Ogrs3Inputs) -> None:
    result = ogrs3(inputs)

    assert 1 <= result.one_year <= result.two_year <= 99
    assert result.band is band_for(result.two_year)


@given(valid_inputs())
def test_one_more_previous_sanction_never_lowers_the_score(inputs: Ogrs3Inputs) -> None:
    fewer = ogrs3(inputs)
    more = ogrs3(replace(inputs, total_sanctions=inputs.total_sanctions + 1))

    assert more.score >= fewer.score
    assert more.one_year >= fewer.one_year
    assert more.two_year >= fewer.two_year


@given(valid_inputs())
def test_the_score_is_the_sum_of_its_four_terms(inputs: Ogrs3Inputs) -> None:
    r = ogrs3(inputs)

    assert r.score == r.age_sex_weight + r.conviction_status_weight + r.copas_weight + \
        r.offence_weight
    assert r.copas_log_ratio == round(r.copas_log_ratio, 5)
