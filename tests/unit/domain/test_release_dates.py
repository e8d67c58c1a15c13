"""Release, licence and top-up supervision dates (CJA 2003 s.243A, s.244, s.256AA; ORA 2014;
SI 2024/844; Sentencing Act 2026 s.34). Every expected date below was worked by hand, counting
days month by month from the sentence date, not by calling the code under test."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from probation.domain.errors import InvalidValue
from probation.domain.release import (
    DEFAULT_RULES,
    EnforcementRoute,
    ReleaseDates,
    ReleaseFacts,
    ReleaseTrack,
    RuleBook,
    SentenceLength,
    SupervisionPhase,
    calculate_release_dates,
)

NO_REPEAL = DEFAULT_RULES.with_pss_repeal(None)


def facts(sentence_date: date = date(2025, 3, 10), length: str = "10m",
          offence_date: date = date(2025, 1, 5), date_of_birth: date = date(1990, 6, 15),
          remand_days: int = 0, track: ReleaseTrack = ReleaseTrack.STANDARD) -> ReleaseFacts:
    return ReleaseFacts(sentence_date=sentence_date, length=SentenceLength.parse(length),
                        offence_date=offence_date, date_of_birth=date_of_birth,
                        remand_days=remand_days, track=track)


def calc(rules: RuleBook = DEFAULT_RULES, **kw: object) -> ReleaseDates:
    return calculate_release_dates(facts(**kw), rules)  # type: ignore[arg-type]


# --- the worked example: 10 months passed on 10 March 2025 (SDS40) ---------------------------

def test_a_ten_month_sentence_after_sds40_is_released_at_forty_percent() -> None:
    r = calc()
    # 10 Mar 2025 .. 9 Jan 2026 is 306 days; 40% is 122.4, rounded up to 123 days.
    assert r.length_days == 306
    assert r.release_fraction == Fraction(2, 5)
    assert r.conditional_release_date == date(2025, 7, 10)  # a Thursday
    assert r.release_day == date(2025, 7, 10)
    assert r.sentence_expiry == date(2026, 1, 9)


def test_the_licence_runs_from_release_to_sentence_expiry() -> None:
    r = calc()
    assert r.licence is not None
    assert (r.licence.start, r.licence.last_day) == (date(2025, 7, 10), date(2026, 1, 9))


def test_tused_is_twelve_months_after_release_and_pss_follows_sentence_expiry() -> None:
    r = calc(rules=NO_REPEAL)
    assert r.tused == date(2026, 7, 10)
    assert r.pss is not None
    assert (r.pss.start, r.pss.last_day) == (date(2026, 1, 10), date(2026, 7, 10))


def test_the_rules_applied_name_their_versions() -> None:
    ids = [rule.id for rule in calc().rules]
    assert ids == ["sds40", "discharge-day", "ora-licence", "ora-pss", "sa2026-s34-repeal"]


# --- sentences of exactly 12 and 24 months (ORA: more than 1 day and under 2 years) ----------

def test_a_sentence_of_exactly_twelve_months_gets_top_up_supervision() -> None:
    r = calc(sentence_date=date(2023, 6, 1), length="12m", offence_date=date(2023, 1, 1))
    # 1 Jun 2023 + 12 months ends 31 May 2024: 366 days (29 Feb 2024); half is 183 days.
    assert (r.length_days, r.sentence_expiry) == (366, date(2024, 5, 31))
    assert r.conditional_release_date == date(2023, 11, 30)
    assert r.tused == date(2024, 11, 30)
    assert r.pss is not None
    assert (r.pss.start, r.pss.last_day) == (date(2024, 6, 1), date(2024, 11, 30))


def test_a_sentence_of_exactly_twenty_four_months_gets_no_top_up_supervision() -> None:
    r = calc(sentence_date=date(2023, 6, 1), length="24m", offence_date=date(2023, 1, 1))
    assert (r.length_days, r.sentence_expiry) == (731, date(2025, 5, 31))
    assert r.conditional_release_date == date(2024, 5, 31)
    assert r.tused is None and r.pss is None
    assert "not under 2y" in r.tused_reason
    assert calc(sentence_date=date(2023, 6, 1), length="2y",
                offence_date=date(2023, 1, 1)).tused is None


def test_twenty_three_months_at_half_leaves_a_fifteen_day_top_up() -> None:
    r = calc(sentence_date=date(2023, 6, 1), length="23m", offence_date=date(2023, 1, 1))
    assert (r.length_days, r.sentence_expiry) == (700, date(2025, 4, 30))
    assert r.conditional_release_date == date(2024, 5, 15)
    assert r.tused == date(2025, 5, 15)
    assert r.pss is not None and r.pss.days == 15


def test_twenty_three_months_at_forty_percent_has_a_licence_over_a_year_so_no_top_up() -> None:
    r = calc(sentence_date=date(2024, 10, 1), length="23m", offence_date=date(2024, 8, 1))
    # 700 days to 31 Aug 2026; 40% is 280 days: 7 Jul 2025, so 12 months later is before SLED.
    assert (r.length_days, r.sentence_expiry) == (700, date(2026, 8, 31))
    assert r.conditional_release_date == date(2025, 7, 7)
    assert r.tused is None and "no top-up needed" in r.tused_reason


def test_a_day_short_of_two_years_whose_licence_is_exactly_a_year_needs_no_top_up() -> None:
    r = calc(sentence_date=date(2023, 6, 1), length="730d", offence_date=date(2023, 1, 1))
    assert r.conditional_release_date == date(2024, 5, 30)
    assert r.sentence_expiry == date(2025, 5, 30)
    assert r.tused is None and "no top-up needed" in r.tused_reason


# --- ORA commencement, 1 February 2015 (chosen by offence date) -------------------------------

def test_an_offence_the_day_before_ora_gets_unconditional_release_under_twelve_months() -> None:
    r = calc(sentence_date=date(2015, 3, 2), length="6m", offence_date=date(2015, 1, 31))
    assert r.conditional_release_date == date(2015, 6, 1)
    assert r.sentence_expiry == date(2015, 9, 1)
    assert r.licence is None and "unconditionally" in r.licence_reason
    assert r.tused is None and "no-pss" in r.tused_reason
    assert r.phase_on(date(2015, 7, 1)) is SupervisionPhase.ENDED


def test_an_offence_on_the_ora_commencement_day_gets_licence_and_top_up() -> None:
    r = calc(sentence_date=date(2015, 3, 2), length="6m", offence_date=date(2015, 2, 1))
    assert r.licence is not None
    assert (r.licence.start, r.licence.last_day) == (date(2015, 6, 1), date(2015, 9, 1))
    assert r.tused == date(2016, 6, 1)
    assert r.pss is not None and r.pss.start == date(2015, 9, 2)


def test_before_ora_a_twelve_month_term_is_on_licence_but_has_no_top_up() -> None:
    r = calc(sentence_date=date(2015, 3, 2), length="12m", offence_date=date(2014, 12, 1))
    assert r.licence is not None and r.sentence_expiry == date(2016, 3, 1)
    assert r.tused is None


def test_a_one_day_term_is_released_unconditionally_and_a_two_day_term_on_licence() -> None:
    one = calc(length="1d")
    assert (one.conditional_release_date, one.sentence_expiry) == (date(2025, 3, 10),) * 2
    assert one.licence is None and one.tused is None
    assert "not more than 1d" in one.tused_reason
    two = calc(length="2d", rules=NO_REPEAL)
    assert two.licence is not None and two.licence.last_day == date(2025, 3, 11)
    assert two.tused == date(2026, 3, 10)


# --- SDS40 and its tranches (SI 2024/844) -----------------------------------------------------

def test_a_sentence_passed_before_sds40_and_not_yet_released_comes_under_it() -> None:
    r = calc(sentence_date=date(2024, 6, 3), length="12m", offence_date=date(2024, 5, 1))
    # Half of 365 days would be 2 Dec 2024; 40% (146 days) is Saturday 26 Oct 2024.
    assert r.release_fraction == Fraction(2, 5)
    assert r.conditional_release_date == date(2024, 10, 26)
    assert r.release_day == date(2024, 10, 25)
    assert [rule.id for rule in r.rules][:2] == ["cja2003-half", "sds40"]


def test_an_excluded_offence_keeps_the_halfway_point() -> None:
    r = calc(sentence_date=date(2024, 6, 3), length="12m", offence_date=date(2024, 5, 1),
             track=ReleaseTrack.EXCLUDED)
    assert r.release_fraction == Fraction(1, 2)
    assert r.conditional_release_date == date(2024, 12, 2)


def test_sds40_never_releases_before_its_commencement_day() -> None:
    r = calc(sentence_date=date(2024, 1, 15), length="18m", offence_date=date(2023, 12, 1))
    # 40% of 547 days falls on 20 Aug 2024; half would be 14 Oct 2024.
    assert r.conditional_release_date == date(2024, 9, 10)


def test_a_prisoner_released_before_sds40_keeps_the_halfway_date() -> None:
    r = calc(sentence_date=date(2024, 1, 2), length="12m", offence_date=date(2023, 12, 1))
    assert r.conditional_release_date == date(2024, 7, 2)
    assert r.release_fraction == Fraction(1, 2)


def test_sentences_of_five_years_or_more_come_under_sds40_from_22_october_2024() -> None:
    r = calc(sentence_date=date(2022, 6, 6), length="5y", offence_date=date(2022, 1, 1))
    # Half of 1826 days is 4 Dec 2024; 40% is 5 Jun 2024, held to the second tranche.
    assert r.length_days == 1826
    assert r.conditional_release_date == date(2024, 10, 22)


def test_a_sentence_passed_after_sds40_at_twelve_months_releases_on_the_friday() -> None:
    r = calc(sentence_date=date(2024, 10, 1), length="12m", offence_date=date(2024, 8, 1),
             rules=NO_REPEAL)
    assert r.conditional_release_date == date(2025, 2, 23)  # a Sunday
    assert r.release_day == date(2025, 2, 21)
    assert r.tused == date(2026, 2, 23)  # from the CRD, as calculate-release-dates does
    assert r.licence is not None and r.licence.start == date(2025, 2, 21)


def test_sds_plus_releases_at_two_thirds_and_only_from_its_commencement() -> None:
    r = calc(sentence_date=date(2021, 3, 1), length="3y", offence_date=date(2020, 6, 1),
             track=ReleaseTrack.SDS_PLUS)
    assert (r.length_days, r.sentence_expiry) == (1096, date(2024, 2, 29))
    assert r.conditional_release_date == date(2023, 3, 1)
    with pytest.raises(InvalidValue, match="no release .*SDS\\+.* rule is in force on 2020-03-31"):
        calc(sentence_date=date(2020, 3, 31), length="3y", offence_date=date(2019, 6, 1),
             track=ReleaseTrack.SDS_PLUS)


# --- remand and tagged-bail credit ----------------------------------------------------------

def test_remand_comes_off_the_release_date_and_the_sentence_expiry() -> None:
    r = calc(remand_days=30)
    assert r.conditional_release_date == date(2025, 6, 10)
    assert r.sentence_expiry == date(2025, 12, 10)
    assert r.tused == date(2026, 6, 10)


def test_remand_beyond_the_custodial_part_means_release_on_the_sentence_date() -> None:
    r = calc(remand_days=200)
    assert r.immediate_release
    assert r.conditional_release_date == r.release_day == date(2025, 3, 10)
    assert r.sentence_expiry == date(2025, 6, 23)
    assert r.tused == date(2026, 3, 10)
    assert r.pss is not None and r.pss.last_day == date(2026, 3, 10)


def test_remand_a_day_short_of_the_sentence_leaves_one_day_of_licence() -> None:
    r = calc(remand_days=305)
    assert r.sentence_expiry == date(2025, 3, 10)
    assert r.licence is not None and r.licence.days == 1


# --- a person turning 18 near release ----------------------------------------------------------

def test_turning_eighteen_on_the_halfway_day_brings_top_up_supervision() -> None:
    r = calc(date_of_birth=date(2007, 8, 9), rules=NO_REPEAL)
    assert r.half_sentence_date == date(2025, 8, 9)
    assert r.tused == date(2026, 7, 10)


def test_turning_eighteen_the_day_after_the_halfway_day_means_no_top_up() -> None:
    r = calc(date_of_birth=date(2007, 8, 10), rules=NO_REPEAL)
    assert r.tused is None and "aged 17 at the halfway point 2025-08-09" in r.tused_reason
    assert r.licence is not None


def test_a_person_born_on_29_february_turns_eighteen_on_1_march() -> None:
    young = dict(sentence_date=date(2026, 1, 1), offence_date=date(2025, 12, 1),
                 date_of_birth=date(2008, 2, 29), track=ReleaseTrack.EXCLUDED, rules=NO_REPEAL)
    before = calc(length="118d", **young)
    assert before.half_sentence_date == date(2026, 2, 28) and before.tused is None
    after = calc(length="120d", **young)
    assert after.half_sentence_date == date(2026, 3, 1)
    assert after.release_day == date(2026, 2, 27)  # 1 Mar 2026 is a Sunday
    assert after.tused == date(2027, 3, 1)


# --- leap years and month ends --------------------------------------------------------------

def test_a_twelve_month_sentence_passed_on_29_february() -> None:
    r = calc(sentence_date=date(2024, 2, 29), length="12m", offence_date=date(2024, 1, 10))
    assert (r.length_days, r.sentence_expiry) == (366, date(2025, 2, 28))
    assert r.conditional_release_date == date(2024, 8, 29)
    assert r.tused == date(2025, 8, 29)
    assert r.pss is not None and r.pss.start == date(2025, 3, 1)


def test_a_release_on_29_february_has_tused_on_28_february() -> None:
    r = calc(sentence_date=date(2024, 1, 1), length="120d", offence_date=date(2023, 12, 1),
             track=ReleaseTrack.EXCLUDED)
    assert r.conditional_release_date == date(2024, 2, 29)
    assert r.sentence_expiry == date(2024, 4, 29)
    assert r.tused == date(2025, 2, 28)


def test_a_month_sentence_passed_on_31_january_ends_on_28_february() -> None:
    r = calc(sentence_date=date(2025, 1, 31), length="1m", offence_date=date(2025, 1, 1),
             rules=NO_REPEAL)
    assert (r.length_days, r.sentence_expiry) == (29, date(2025, 2, 28))
    assert r.conditional_release_date == date(2025, 2, 11)
    assert r.tused == date(2026, 2, 11)


# --- bank holidays and weekends ---------------------------------------------------------------

def christmas(length: str) -> ReleaseDates:
    return calc(sentence_date=date(2025, 10, 1), length=length, offence_date=date(2025, 9, 1),
                track=ReleaseTrack.EXCLUDED)


def test_a_release_due_on_christmas_day_happens_on_christmas_eve() -> None:
    r = christmas("172d")
    assert r.conditional_release_date == date(2025, 12, 25)
    assert r.release_day == date(2025, 12, 24)
    assert r.phase_on(date(2025, 12, 24)) is SupervisionPhase.LICENCE


def test_a_release_due_on_boxing_day_skips_christmas_too() -> None:
    r = christmas("173d")
    assert (r.conditional_release_date, r.release_day) == (date(2025, 12, 26), date(2025, 12, 24))


def test_a_release_due_on_easter_monday_moves_back_to_maundy_thursday() -> None:
    r = calc(sentence_date=date(2026, 1, 5), length="184d", offence_date=date(2025, 12, 1),
             track=ReleaseTrack.EXCLUDED)
    assert (r.conditional_release_date, r.release_day) == (date(2026, 4, 6), date(2026, 4, 2))


def test_a_release_due_on_a_bank_holiday_monday_moves_to_the_friday() -> None:
    # Day 110 of 220 counted from 8 May 2025 is the late summer bank holiday, 25 Aug 2025.
    r = calc(sentence_date=date(2025, 5, 8), length="220d", offence_date=date(2025, 4, 1),
             track=ReleaseTrack.EXCLUDED)
    assert (r.conditional_release_date, r.release_day) == (date(2025, 8, 25), date(2025, 8, 22))


def test_a_release_due_on_a_sunday_moves_to_the_friday() -> None:
    r = calc(sentence_date=date(2025, 7, 1), length="12d", offence_date=date(2025, 6, 1),
             track=ReleaseTrack.EXCLUDED)
    assert (r.conditional_release_date, r.release_day) == (date(2025, 7, 6), date(2025, 7, 4))


def test_a_term_of_five_days_or_less_may_end_on_a_saturday() -> None:
    short = calc(sentence_date=date(2025, 7, 4), length="4d", offence_date=date(2025, 6, 1),
                 track=ReleaseTrack.EXCLUDED)
    assert short.release_day == date(2025, 7, 5)
    longer = calc(sentence_date=date(2025, 7, 3), length="6d", offence_date=date(2025, 6, 1),
                  track=ReleaseTrack.EXCLUDED)
    assert (longer.conditional_release_date, longer.release_day) == (date(2025, 7, 5),
                                                                     date(2025, 7, 4))


# --- the repeal of post-sentence supervision (Sentencing Act 2026 s.34) ----------------------

def autumn_six_months(rules: RuleBook = DEFAULT_RULES) -> ReleaseDates:
    return calc(sentence_date=date(2025, 9, 1), length="6m", offence_date=date(2025, 8, 1),
                rules=rules)


def test_pss_running_when_the_repeal_commences_ends_that_day() -> None:
    r = autumn_six_months()
    assert (r.conditional_release_date, r.sentence_expiry) == (date(2025, 11, 12), date(2026, 2, 28))
    assert r.tused == date(2026, 11, 12)
    assert r.pss is not None
    assert (r.pss.start, r.pss.last_day) == (date(2026, 3, 1), date(2026, 3, 30))
    assert r.phase_on(date(2026, 3, 30)) is SupervisionPhase.POST_SENTENCE_SUPERVISION
    assert r.phase_on(date(2026, 3, 31)) is SupervisionPhase.ENDED


def test_the_repeal_date_is_configurable() -> None:
    later = autumn_six_months(DEFAULT_RULES.with_pss_repeal(date(2026, 6, 1)))
    assert later.pss is not None and later.pss.last_day == date(2026, 5, 31)
    never = autumn_six_months(NO_REPEAL)
    assert never.pss is not None and never.pss.last_day == date(2026, 11, 12)
    assert "sa2026-s34-repeal" not in [rule.id for rule in never.rules]


def test_a_repeal_on_the_first_pss_day_means_no_pss_and_no_tused() -> None:
    r = autumn_six_months(DEFAULT_RULES.with_pss_repeal(date(2026, 3, 1)))
    assert r.pss is None and r.tused is None
    assert "repealed from 2026-03-01" in r.tused_reason


def test_a_repeal_the_day_after_tused_leaves_the_pss_whole() -> None:
    r = autumn_six_months(DEFAULT_RULES.with_pss_repeal(date(2026, 11, 13)))
    assert r.pss is not None and r.pss.last_day == date(2026, 11, 12)
    on_tused = autumn_six_months(DEFAULT_RULES.with_pss_repeal(date(2026, 11, 12)))
    assert on_tused.pss is not None and on_tused.pss.last_day == date(2026, 11, 11)


def test_pss_that_would_begin_after_the_repeal_never_exists() -> None:
    r = calc(sentence_date=date(2025, 12, 1), length="6m", offence_date=date(2025, 11, 1))
    assert r.conditional_release_date == date(2026, 2, 11)
    assert r.sentence_expiry == date(2026, 5, 31)
    assert r.tused is None and r.pss is None
    assert calc(sentence_date=date(2025, 12, 1), length="6m", offence_date=date(2025, 11, 1),
                rules=NO_REPEAL).tused == date(2027, 2, 11)


def test_changing_the_repeal_date_leaves_the_default_rules_untouched() -> None:
    DEFAULT_RULES.with_pss_repeal(date(2030, 1, 1))
    assert [v.in_force_from for v in DEFAULT_RULES.supervision_in_force] == [
        date(2015, 2, 1), date(2026, 3, 31)]


# --- which period applies on a day, and so the enforcement route -----------------------------

@pytest.mark.parametrize(("day", "phase", "route"), [
    (date(2025, 3, 10), SupervisionPhase.CUSTODY, EnforcementRoute.NONE),
    (date(2025, 7, 9), SupervisionPhase.CUSTODY, EnforcementRoute.NONE),
    (date(2025, 7, 10), SupervisionPhase.LICENCE, EnforcementRoute.RECALL),
    (date(2026, 1, 9), SupervisionPhase.LICENCE, EnforcementRoute.RECALL),
    (date(2026, 1, 10), SupervisionPhase.POST_SENTENCE_SUPERVISION,
     EnforcementRoute.BREACH_TO_COURT),
    (date(2026, 3, 30), SupervisionPhase.POST_SENTENCE_SUPERVISION,
     EnforcementRoute.BREACH_TO_COURT),
    (date(2026, 3, 31), SupervisionPhase.ENDED, EnforcementRoute.NONE),
])
def test_the_phase_on_a_day_decides_recall_or_breach(day: date, phase: SupervisionPhase,
                                                     route: EnforcementRoute) -> None:
    r = calc()
    assert r.phase_on(day) is phase
    assert r.enforcement_route_on(day) is route


def test_there_is_no_phase_before_the_sentence_date() -> None:
    with pytest.raises(InvalidValue, match="before the sentence date") as e:
        calc().phase_on(date(2025, 3, 9))
    assert e.value.field == "on"


# --- inconsistent input: a clear error naming the field and the rule -------------------------

@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"offence_date": date(2025, 4, 1)}, "offence_date", "is after the sentence date"),
    ({"date_of_birth": date(2025, 2, 1)}, "date_of_birth", "is not before the offence date"),
    ({"date_of_birth": date(2015, 1, 6)}, "date_of_birth", "makes the person 9"),
    ({"remand_days": -1}, "remand_days", "is negative"),
    ({"remand_days": 306}, "remand_days", "not shorter than the 306-day sentence"),
    ({"remand_days": 400}, "remand_days", "not shorter than the 306-day sentence"),
    ({"length": "0m"}, "length", "is zero"),
    ({"length": "-3m"}, "length", "is not positive"),
    ({"length": "ten months"}, "length", "is not a length"),
    ({"sentence_date": date(2005, 4, 3), "offence_date": date(2005, 1, 1)}, "sentence_date",
     "no release .* rule is in force on 2005-04-03"),
    ({"sentence_date": date(2005, 6, 1), "offence_date": date(2005, 4, 3)}, "offence_date",
     "no licence rule is in force on 2005-04-03"),
])
def test_inconsistent_input_is_rejected(overrides: dict[str, object], field: str,
                                        message: str) -> None:
    with pytest.raises(InvalidValue, match=message) as e:
        calc(**overrides)
    assert e.value.field == field
    assert e.value.rule
