"""Registers: MAPPA needs a category and a level; review and end dates follow the start."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from probation.catalogue.conditions import Register as CatalogueRegister
from probation.domain.errors import Conflict, InvalidValue
from probation.domain.protection import registers as reg
from probation.domain.protection.registers import Register, RegisterEntry


def test_the_domain_registers_have_the_catalogues_values() -> None:
    assert {r.value for r in Register} == {r.value for r in CatalogueRegister}


def test_a_mappa_registration_without_a_category_is_an_error() -> None:
    with pytest.raises(InvalidValue) as err:
        RegisterEntry(register=Register.MAPPA, start_date=date(2026, 1, 1), level=1)
    assert err.value.field == "category"


@pytest.mark.parametrize(("category", "level", "field"), [(0, 1, "category"), (4, 1, "category"),
                                                          (1, None, "level"), (1, 4, "level")])
def test_mappa_categories_and_levels_run_from_one_to_three(category: int, level: int | None, field: str) -> None:
    with pytest.raises(InvalidValue) as err:
        RegisterEntry(register=Register.MAPPA, start_date=date(2026, 1, 1), category=category, level=level)
    assert err.value.field == field


def test_only_mappa_has_a_category() -> None:
    with pytest.raises(InvalidValue) as err:
        RegisterEntry(register=Register.VISOR, start_date=date(2026, 1, 1), category=1)
    assert err.value.rule == "only MAPPA registrations have a category"


def test_a_review_on_the_start_day_is_allowed_but_not_the_day_before() -> None:
    RegisterEntry(register=Register.MARAC, start_date=date(2024, 2, 29), review_date=date(2024, 2, 29))
    with pytest.raises(InvalidValue) as err:
        RegisterEntry(register=Register.MARAC, start_date=date(2024, 2, 29), review_date=date(2024, 2, 28))
    assert err.value.field == "review_date"


def test_the_end_is_after_the_start_and_exclusive() -> None:
    with pytest.raises(InvalidValue):
        RegisterEntry(register=Register.PPO, start_date=date(2026, 3, 31), end_date=date(2026, 3, 31))
    entry = RegisterEntry(register=Register.PPO, start_date=date(2026, 3, 31), end_date=date(2026, 4, 1))
    assert entry.active_on(date(2026, 3, 31)) and not entry.active_on(date(2026, 4, 1))
    assert not entry.active_on(date(2026, 3, 30))


def test_a_second_registration_of_the_same_kind_may_not_overlap_the_first() -> None:
    first = RegisterEntry(register=Register.IOM, start_date=date(2026, 1, 1), end_date=date(2026, 6, 1))
    overlapping = RegisterEntry(register=Register.IOM, start_date=date(2026, 5, 31))
    with pytest.raises(Conflict):
        reg.validate_new(overlapping, existing=[first], as_of=date(2026, 7, 1), sentence_date=date(2026, 1, 1))
    after = RegisterEntry(register=Register.IOM, start_date=date(2026, 6, 1))
    reg.validate_new(after, existing=[first], as_of=date(2026, 7, 1), sentence_date=date(2026, 1, 1))


def test_a_registration_cannot_start_in_the_future() -> None:
    entry = RegisterEntry(register=Register.IOM, start_date=date(2026, 7, 2))
    with pytest.raises(InvalidValue) as err:
        reg.validate_new(entry, existing=[], as_of=date(2026, 7, 1), sentence_date=date(2026, 1, 1))
    assert err.value.field == "start_date"


def test_ending_twice_and_reviewing_an_ended_registration_are_conflicts() -> None:
    ended = reg.end(RegisterEntry(register=Register.MARAC, start_date=date(2026, 1, 1)), on=date(2026, 2, 1))
    with pytest.raises(Conflict):
        reg.end(ended, on=date(2026, 3, 1))
    with pytest.raises(Conflict):
        reg.review(ended, reviewed_on=date(2026, 1, 15), next_review=None)


def test_a_review_can_change_the_mappa_level_but_not_give_others_one() -> None:
    mappa = RegisterEntry(register=Register.MAPPA, start_date=date(2026, 1, 1), category=1, level=1)
    assert reg.review(mappa, reviewed_on=date(2026, 2, 1), next_review=date(2026, 5, 1), level=2).level == 2
    with pytest.raises(InvalidValue):
        reg.review(RegisterEntry(register=Register.PPO, start_date=date(2026, 1, 1)),
                   reviewed_on=date(2026, 2, 1), next_review=None, level=2)


def test_row_2_agencies_follow_from_the_registers() -> None:
    agencies = reg.agencies_to_notify([Register.CHILD_PROTECTION, Register.DOMESTIC_ABUSE_PERPETRATOR,
                                       Register.MARAC])
    assert agencies == {reg.Agency.CHILDRENS_SOCIAL_CARE, reg.Agency.POLICE}
    assert reg.agencies_to_notify([Register.FOREIGN_NATIONAL_DEPORTATION]) == {reg.Agency.IMMIGRATION}


@given(start=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
       length=st.integers(min_value=1, max_value=3000), probe=st.integers(min_value=-10, max_value=3010))
def test_a_registration_is_active_exactly_from_its_start_to_the_day_before_its_end(start: date, length: int,
                                                                                   probe: int) -> None:
    entry = RegisterEntry(register=Register.VISOR, start_date=start, end_date=start + timedelta(days=length))
    assert entry.active_on(start + timedelta(days=probe)) == (0 <= probe < length)
