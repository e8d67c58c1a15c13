"""Data minimisation: the fields of a person's details each role receives, as data.

Every field of `Person` belongs to one group, and each role is given the groups its work needs
(an allow-list: a field added to Person is withheld from every role until it is placed in a group
here, and a unit test fails until it is). The subject access export is for the person themselves
and is not minimised. docs/DATA_PROTECTION.md has the table and the reasons.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from probation.domain.people import Person
from probation.domain.roles import Role


class FieldGroup(StrEnum):
    IDENTITY = "identity"            # who the person is: needed by everyone who sees the record
    CONTACT = "contact"              # where and how to reach them
    EMAIL = "email"
    COMMUNICATION = "communication"  # language and learning needs that change how they are spoken to
    EQUALITIES = "equalities"        # protected characteristics (Equality Act 2010), sensitive processing
    RELIGION = "religion"


GROUPS: Mapping[FieldGroup, frozenset[str]] = {
    FieldGroup.IDENTITY: frozenset({"crn", "first_name", "last_name", "date_of_birth", "sex"}),
    FieldGroup.CONTACT: frozenset({"addresses", "phone"}),
    FieldGroup.EMAIL: frozenset({"email"}),
    FieldGroup.COMMUNICATION: frozenset({"first_language", "interpreter_required", "learning_difficulty"}),
    FieldGroup.EQUALITIES: frozenset({"ethnicity", "gender_identity", "disability"}),
    FieldGroup.RELIGION: frozenset({"religion"}),
}

_ALL = frozenset(FieldGroup)
# The groups each role's work needs. Roles that see no person records (commissioner, police
# liaison) receive no group: they are refused before any field is read.
POLICY: Mapping[Role, frozenset[FieldGroup]] = {
    # Offender managers and their managers hold the case: assessments, diverse needs, equalities
    # monitoring, the female offender offer, letters to the person.
    Role.PRACTITIONER: _ALL,
    Role.TEAM_MANAGER: _ALL,
    # Administrators correct records and answer subject access requests.
    Role.ADMINISTRATOR: _ALL,
    # The NPS risk team decides escalations: identity, contact and communication needs, and the
    # characteristics that bear on risk and vulnerability (disability, gender identity), not
    # ethnicity's statistics or religion.
    Role.NPS_RISK: frozenset({FieldGroup.IDENTITY, FieldGroup.CONTACT, FieldGroup.EMAIL, FieldGroup.COMMUNICATION}),
    # Provider staff deliver appointments and RAR activities: whom they see, how to reach and speak
    # to them. Access and interpreter needs reach them through diverse needs, not the characteristics.
    Role.PROVIDER_STAFF: frozenset({FieldGroup.IDENTITY, FieldGroup.CONTACT, FieldGroup.EMAIL,
                                    FieldGroup.COMMUNICATION}),
    # The monitoring centre fits and recovers equipment at the address and phones about alerts.
    Role.EM_OPERATOR: frozenset({FieldGroup.IDENTITY, FieldGroup.CONTACT, FieldGroup.COMMUNICATION}),
    Role.COMMISSIONER: frozenset(),
    Role.POLICE_LIAISON: frozenset(),
}

PERSON_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Person))


def allowed_fields(role: Role) -> frozenset[str]:
    return frozenset().union(*(GROUPS[g] for g in POLICY.get(role, frozenset())))


def withheld_fields(role: Role) -> frozenset[str]:
    """The person's fields this role does not receive."""
    return frozenset(PERSON_FIELDS) - allowed_fields(role)


def minimise(person: Person, role: Role) -> tuple[Person, frozenset[str]]:
    """The person as this role receives them: withheld fields emptied, and their names (so pages
    and the API leave them out rather than show "not declared")."""
    withheld = withheld_fields(role)
    if not withheld:
        return person, withheld
    blank: dict[str, Any] = {f.name: _empty(f) for f in dataclasses.fields(Person) if f.name in withheld}
    return dataclasses.replace(person, **blank), withheld


def _empty(f: dataclasses.Field[object]) -> object:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    # Identity fields have no default and are never withheld from a role that sees people.
    raise ValueError(f"person field {f.name} has no empty value and cannot be withheld")
