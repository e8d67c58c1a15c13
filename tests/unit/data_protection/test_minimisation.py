"""Data minimisation as data: every field of a person is placed in a group, and each role receives
only the groups its work needs."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from probation.domain.data_protection.minimisation import GROUPS, POLICY, minimise, withheld_fields
from probation.domain.people import Disability, Ethnicity, Person, Sex
from probation.domain.roles import Role

SPECIAL = {"religion", "ethnicity", "gender_identity", "disability"}


def test_every_field_of_a_person_is_in_exactly_one_group() -> None:
    fields = [f.name for f in dataclasses.fields(Person)]
    placed = [name for group in GROUPS.values() for name in group]
    assert sorted(placed) == sorted(fields), "place every new Person field in a group of the minimisation policy"


def test_every_role_has_a_policy() -> None:
    assert set(POLICY) == set(Role)


@pytest.mark.parametrize("role", [Role.EM_OPERATOR, Role.PROVIDER_STAFF])
def test_em_operators_and_provider_staff_do_not_receive_protected_characteristics(role: Role) -> None:
    assert withheld_fields(role) >= SPECIAL
    assert {"crn", "first_name", "last_name", "date_of_birth", "addresses", "phone"}.isdisjoint(withheld_fields(role))


def test_the_nps_risk_team_does_not_receive_religion_or_ethnicity() -> None:
    assert {"religion", "ethnicity"} <= withheld_fields(Role.NPS_RISK)


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.TEAM_MANAGER, Role.ADMINISTRATOR])
def test_those_who_hold_the_case_receive_every_field(role: Role) -> None:
    assert withheld_fields(role) == frozenset()


def test_a_minimised_person_has_the_withheld_fields_emptied_and_named() -> None:
    person = Person(crn="A123456", first_name="Jo", last_name="Bloggs", date_of_birth=date(1990, 5, 17),
                    sex=Sex.FEMALE, ethnicity=Ethnicity.WHITE_IRISH, religion="Catholic", gender_identity="woman",
                    disability=Disability.PHYSICAL, email="jo@example.org", phone="0113 496 0000")
    shown, withheld = minimise(person, Role.EM_OPERATOR)
    assert withheld == withheld_fields(Role.EM_OPERATOR)
    assert (shown.religion, shown.ethnicity, shown.gender_identity, shown.disability, shown.email) == (
        None, None, None, None, None)
    assert (shown.first_name, shown.phone, shown.sex) == ("Jo", "0113 496 0000", Sex.FEMALE)
    assert minimise(person, Role.PRACTITIONER) == (person, frozenset())
