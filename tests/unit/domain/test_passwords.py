"""Passwords after the NCSC's guidance: at least 12 characters, not on the shipped list of common
and breached passwords, and no composition rules."""

from __future__ import annotations

import gzip
from importlib import resources

import pytest

from probation.domain.errors import InvalidValue
from probation.domain.passwords import DENY_LIST, MAX_LENGTH, MIN_LENGTH, check_new_password, is_common


def test_a_password_of_11_characters_is_refused_and_one_of_12_is_accepted() -> None:
    with pytest.raises(InvalidValue) as refused:
        check_new_password("plum-kettle")  # 11 characters
    assert refused.value.field == "password" and "12 characters" in str(refused.value.rule)
    assert refused.value.value == "***"  # the password itself never goes into an error

    check_new_password("plum-kettle!")


@pytest.mark.parametrize("password", ["1111", "demo", "test"])
def test_the_short_passwords_the_platform_used_to_accept_are_refused(password: str) -> None:
    with pytest.raises(InvalidValue, match="too short"):
        check_new_password(password)


@pytest.mark.parametrize("password", ["password1234", "PASSWORD1234", "Password1234", "123456789012",
                                      "qwertyuiop12", "iloveyou1234", "correcthorsebatterystaple"])
def test_common_and_breached_passwords_are_refused_whatever_their_case(password: str) -> None:
    assert is_common(password)
    with pytest.raises(InvalidValue, match="common and breached"):
        check_new_password(password)


@pytest.mark.parametrize("password", ["harbour plum kettle", "harbourplumkettle", "74920318562017",
                                      "HARBOUR-PLUM-KETTLE", "test-password"])
def test_there_are_no_composition_rules(password: str) -> None:
    # lower case only, digits only, spaces, capitals only: length and the deny list are the rules
    check_new_password(password)


def test_a_password_longer_than_the_maximum_is_refused() -> None:
    check_new_password("a-long-phrase " * (MAX_LENGTH // 14))
    with pytest.raises(InvalidValue, match="too long"):
        check_new_password("x" * (MAX_LENGTH + 1))


def test_the_deny_list_ships_in_the_package_sorted_with_only_passwords_the_length_rule_lets_through() -> None:
    with resources.files("probation.domain").joinpath(DENY_LIST).open("rb") as raw:
        words = gzip.decompress(raw.read()).decode().splitlines()

    assert len(words) > 1_000_000
    assert words == sorted(set(words))
    assert all(MIN_LENGTH <= len(w) <= MAX_LENGTH for w in words)
    assert is_common(words[0]) and is_common(words[-1])  # the first and last lines are found too
