"""The level-of-contact matrix: worked examples for each cell class, unknown axes, enhanced contact
by contract, young adults on the boundary, women, and strict validation of the matrix file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from probation.domain.contact_level import (
    DEFAULT_MATRIX_FILE,
    ContactGroup,
    contact_groups,
    contact_level,
    default_matrix,
    load_matrix,
    parse_matrix,
)
from probation.domain.errors import InvalidValue
from probation.domain.people import Sex
from probation.domain.risk.ogrs3 import Ogrs3Band as B
from probation.domain.risk.rosh import RoshLevel as R

M = default_matrix()
NONE: frozenset[str] = frozenset()


def level(rosh: R | None, band: B | None, groups: frozenset[ContactGroup] = frozenset(),
          options: frozenset[str] = NONE) -> Any:
    return contact_level(M, rosh=rosh, ogrs3_band=band, groups=groups, commissioned_options=options)


@pytest.mark.parametrize(("rosh", "band", "name", "days"), [
    (R.LOW, B.LOW, "four_weekly", 28),
    (R.LOW, B.MEDIUM, "four_weekly", 28),
    (R.LOW, B.HIGH, "fortnightly", 14),
    (R.LOW, B.VERY_HIGH, "fortnightly", 14),
    (R.MEDIUM, B.LOW, "fortnightly", 14),
    (R.MEDIUM, B.HIGH, "fortnightly", 14),
    (R.MEDIUM, B.VERY_HIGH, "weekly", 7),
    (R.HIGH, B.LOW, "weekly", 7),
    (R.VERY_HIGH, B.VERY_HIGH, "weekly", 7),
])
def test_each_matrix_cell_class_gives_its_level_and_interval(rosh: R, band: B, name: str, days: int) -> None:
    result = level(rosh, band)
    assert (result.level, result.interval_days, result.enhanced) == (name, days, False)
    assert result.reasons[0] == f"RoSH {rosh} and OGRS3 band {band}: {name}"


def test_a_four_weekly_case_is_seen_weekly_for_the_first_twelve_weeks() -> None:
    result = level(R.LOW, B.LOW)
    assert (result.initial_interval_days, result.initial_days, result.interval_days) == (7, 84, 28)


def test_a_weekly_case_has_no_separate_initial_period() -> None:
    result = level(R.HIGH, B.HIGH)
    assert (result.initial_interval_days, result.initial_days) == (7, 0)


def test_unknown_ogrs3_uses_the_most_frequent_level_for_the_rosh_and_says_so() -> None:
    result = level(R.LOW, None)
    assert (result.level, result.ogrs3_band, result.unknown_axes) == ("fortnightly", B.VERY_HIGH, ("ogrs3_band",))
    assert "OGRS3 band not assessed" in result.reasons[0]


def test_unknown_rosh_never_guesses_low() -> None:
    result = level(None, B.LOW)
    # RoSH low would give four-weekly; the most frequent for band low is weekly (RoSH high).
    assert (result.level, result.rosh, result.unknown_axes) == ("weekly", R.VERY_HIGH, ("rosh",))
    assert "RoSH not assessed" in result.reasons[0]


def test_both_axes_unknown_use_the_most_frequent_level_in_the_matrix() -> None:
    result = level(None, None)
    assert result.level == "weekly" and result.unknown_axes == ("ogrs3_band", "rosh")


def test_ppo_contact_is_enhanced_under_the_national_minimum() -> None:
    result = level(R.LOW, B.LOW, frozenset({ContactGroup.PPO}))
    assert (result.level, result.base_level, result.enhanced) == ("fortnightly", "four_weekly", True)
    assert result.enhanced_groups == (ContactGroup.PPO,)


@pytest.mark.parametrize(("options", "enhanced"), [
    (NONE, False),
    (frozenset({"supervision.mentoring"}), False),
    (frozenset({"supervision.women_enhanced_contact"}), True),
    (frozenset({"post_release.enhanced_contact"}), True),
])
def test_women_get_enhanced_contact_only_where_commissioned(options: frozenset[str], enhanced: bool) -> None:
    result = level(R.MEDIUM, B.LOW, frozenset({ContactGroup.FEMALE}), options)
    assert result.enhanced is enhanced
    assert result.level == ("weekly" if enhanced else "fortnightly")
    assert (result.not_commissioned == ()) is enhanced


def test_young_and_vulnerable_adults_need_the_post_release_option() -> None:
    groups = frozenset({ContactGroup.YOUNG_ADULT, ContactGroup.VULNERABLE_ADULT})
    assert level(R.HIGH, B.HIGH, groups, frozenset({"supervision.women_enhanced_contact"})).enhanced is False
    bought = level(R.HIGH, B.HIGH, groups, frozenset({"post_release.enhanced_contact"}))
    assert (bought.level, bought.interval_days) == ("twice_weekly", 3)


@pytest.mark.parametrize(("born", "young"), [
    (date(2001, 6, 1), True),    # 25 tomorrow: still 24 on the day
    (date(2001, 5, 31), False),  # 25 on the day
    (date(2008, 5, 31), True),   # 18 on the day
    (date(2008, 6, 1), False),   # 17
])
def test_young_adult_is_18_to_24_on_the_as_of_date(born: date, young: bool) -> None:
    groups = contact_groups(sex=Sex.MALE, ppo=False, vulnerable_adult=False, date_of_birth=born,
                            as_of=date(2026, 5, 31), matrix=M)
    assert (ContactGroup.YOUNG_ADULT in groups) is young


def test_a_leap_day_birthday_turns_25_on_the_first_of_march() -> None:
    def young(on: date) -> bool:
        return ContactGroup.YOUNG_ADULT in contact_groups(sex=None, ppo=False, vulnerable_adult=False,
                                                          date_of_birth=date(2004, 2, 29), as_of=on, matrix=M)
    assert young(date(2029, 2, 28)) and not young(date(2029, 3, 1))


def test_women_and_groups_placed_by_the_offender_manager_are_groups() -> None:
    groups = contact_groups(sex=Sex.FEMALE, ppo=True, vulnerable_adult=False, date_of_birth=None,
                            as_of=date(2026, 1, 1), matrix=M, placed=["vulnerable_adult", "other_vulnerable_group"])
    assert groups == {ContactGroup.FEMALE, ContactGroup.PPO, ContactGroup.VULNERABLE_ADULT}


# Validation ------------------------------------------------------------------------------------

def default_doc() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEFAULT_MATRIX_FILE.read_text(encoding="utf-8"))
    return data


def test_the_default_file_parses_to_the_default_matrix() -> None:
    assert parse_matrix(default_doc()) == M


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["matrix"]["low"].pop("high"), "no cell for RoSH low and OGRS3 band high"),
    (lambda d: d["matrix"].pop("medium"), "no matrix row for RoSH medium"),
    (lambda d: d["matrix"]["high"].update(low="daily"), "names level 'daily'"),
    (lambda d: d["levels"].update(weekly=0), "level weekly is every 0 days"),
    (lambda d: d["enhanced"]["step"].update(weekly="four_weekly"), "less frequent"),
    (lambda d: d["enhanced"]["step"].pop("weekly"), "no entry for level weekly"),
    (lambda d: d.update(colour="red"), "colour"),
    (lambda d: d["enhanced"]["groups"].update(teenager=[]), "groups"),
    (lambda d: d["initial"].update(weeks="12"), "initial.weeks"),
    (lambda d: d["enhanced"].update(young_adult_ages={"min": 25, "max": 18}), "reversed"),
])
def test_a_bad_matrix_is_rejected_naming_the_problem(change: Any, message: str) -> None:
    doc = default_doc()
    change(doc)
    with pytest.raises(InvalidValue) as err:
        parse_matrix(doc)
    assert message in str(err.value)


def test_an_unreadable_matrix_file_is_one_error(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text("levels: [", encoding="utf-8")
    with pytest.raises(InvalidValue, match="cannot read contact level matrix"):
        load_matrix(bad)
