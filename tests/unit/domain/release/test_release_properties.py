"""Properties that hold for every valid sentence, whatever the dates and rule versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from probation.domain.calendar import is_bank_holiday
from probation.domain.release import (
    DEFAULT_RULES,
    ReleaseFacts,
    ReleaseTrack,
    SentenceLength,
    SupervisionPhase,
    calculate_release_dates,
)

ORDER = [SupervisionPhase.CUSTODY, SupervisionPhase.LICENCE,
         SupervisionPhase.POST_SENTENCE_SUPERVISION, SupervisionPhase.ENDED]


@st.composite
def sentences(draw: st.DrawFn) -> ReleaseFacts:
    sentence_date = draw(st.dates(date(2010, 1, 1), date(2030, 12, 31)))
    length = SentenceLength(years=draw(st.integers(0, 3)), months=draw(st.integers(0, 23)),
                            weeks=draw(st.integers(0, 8)), days=draw(st.integers(1, 60)))
    # Offences before 4 April 2005 (CJA 1991 release rules) are outside the rule tables.
    offence_date = max(sentence_date - timedelta(days=draw(st.integers(0, 2000))),
                       date(2005, 4, 4))
    age_at_offence = draw(st.integers(10, 80))
    dob = date(offence_date.year - age_at_offence - 1, draw(st.integers(1, 12)),
               draw(st.integers(1, 28)))
    remand = draw(st.integers(0, length.days_from(sentence_date) - 1))
    track = draw(st.sampled_from([ReleaseTrack.STANDARD, ReleaseTrack.EXCLUDED]))
    return ReleaseFacts(sentence_date=sentence_date, length=length, offence_date=offence_date,
                        date_of_birth=dob, remand_days=remand, track=track)


@settings(max_examples=300, deadline=None)
@given(sentences())
def test_dates_come_in_order_and_periods_join_up(facts: ReleaseFacts) -> None:
    r = calculate_release_dates(facts)
    assert facts.sentence_date <= r.release_day <= r.conditional_release_date <= r.sentence_expiry
    if r.licence is not None:
        assert r.licence.start == r.release_day
        assert r.licence.last_day == r.sentence_expiry
    if r.tused is not None:
        assert r.tused > r.sentence_expiry
        assert r.pss is not None
        assert r.pss.start == r.sentence_expiry + timedelta(days=1)
        assert r.pss.last_day <= r.tused
    else:
        assert r.pss is None


@settings(max_examples=300, deadline=None)
@given(sentences())
def test_release_never_falls_on_a_sunday_or_bank_holiday_after_the_sentence_date(
        facts: ReleaseFacts) -> None:
    r = calculate_release_dates(facts)
    if r.release_day > facts.sentence_date:
        assert r.release_day.weekday() != 6
        assert not is_bank_holiday(r.release_day)


@settings(max_examples=150, deadline=None)
@given(sentences())
def test_phases_only_move_forward(facts: ReleaseFacts) -> None:
    r = calculate_release_dates(facts)
    last = (r.tused or r.sentence_expiry) + timedelta(days=2)
    seen = [r.phase_on(facts.sentence_date + timedelta(days=n))
            for n in range(0, (last - facts.sentence_date).days, 7)]
    positions = [ORDER.index(p) for p in seen]
    assert positions == sorted(positions)


@settings(max_examples=200, deadline=None)
@given(sentences())
def test_an_sds40_eligible_sentence_is_never_released_after_an_excluded_one(
        facts: ReleaseFacts) -> None:
    def crd(track: ReleaseTrack) -> date:
        changed: ReleaseFacts = replace(facts, track=track)
        return calculate_release_dates(changed).conditional_release_date

    assert crd(ReleaseTrack.STANDARD) <= crd(ReleaseTrack.EXCLUDED)


@settings(max_examples=200, deadline=None)
@given(sentences())
def test_without_the_repeal_pss_runs_to_tused(facts: ReleaseFacts) -> None:
    r = calculate_release_dates(facts, DEFAULT_RULES.with_pss_repeal(None))
    if r.pss is not None:
        assert r.pss.last_day == r.tused
