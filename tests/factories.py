"""Factories that build valid domain objects and a small, known set of reference data."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from probation.adapters.db.tables import CourtRow, OrganisationRow, StaffRow, TeamRow, UserRow
from probation.domain.offences import Offence
from probation.domain.people import Address, Person, Sex
from probation.domain.requirements import Requirement, RequirementType
from probation.domain.roles import Role
from probation.domain.sentences import Sentence, SentenceType
from probation.services.passwords import hash_password
from tests.conftest import NOW

PASSWORD = "test-password"


def person(**overrides: Any) -> Person:
    values: dict[str, Any] = dict(crn="A123456", first_name="Jo", last_name="Bloggs", date_of_birth=date(1990, 5, 17),
                                  sex=Sex.MALE, addresses=(Address(line1="1 High Street", town="Leeds",
                                                                   postcode="LS1 1AA"),))
    values.update(overrides)
    return Person(**values)


def rar(start: date, max_days: int = 20) -> Requirement:
    return Requirement(type=RequirementType.REHABILITATION_ACTIVITY, start_date=start, max_days=max_days)


def community_order(sentence_date: date = date(2026, 3, 1), months: int = 12,
                    requirements: tuple[Requirement, ...] | None = None, **overrides: Any) -> Sentence:
    reqs = requirements if requirements is not None else (rar(sentence_date),)
    return Sentence(type=SentenceType.COMMUNITY_ORDER, sentence_date=sentence_date,
                    offence=Offence(code="02801", offence_date=overrides.pop("offence_date", None)),
                    requirements=reqs, length_months=months, **overrides)


def seed_reference(session: Session) -> None:
    """Two providers (an NPS region and a contracted provider), three teams, staff, two courts, and a
    user for every role."""
    session.add_all([
        OrganisationRow(code="NPS-NE", name="NPS North East", kind="nps_region"),
        OrganisationRow(code="CRC-A", name="Contracted Provider A", kind="contracted_provider"),
        OrganisationRow(code="EM-1", name="EM Services", kind="em_provider"),
        OrganisationRow(code="POL-WY", name="West Yorkshire Police", kind="police"),
        OrganisationRow(code="CSC-LDS", name="Leeds Children's Social Care", kind="partner"),
    ])
    session.flush()
    session.add_all([
        TeamRow(code="T1", name="Leeds North", organisation_code="NPS-NE"),
        TeamRow(code="T2", name="Leeds South", organisation_code="NPS-NE"),
        TeamRow(code="T3", name="Provider A Team", organisation_code="CRC-A"),
    ])
    session.flush()
    session.add_all([
        StaffRow(code="S1", first_name="Alan", last_name="Ash", sex="male", team_code="T1"),
        StaffRow(code="S2", first_name="Beth", last_name="Birch", sex="female", team_code="T1"),
        StaffRow(code="S3", first_name="Carl", last_name="Cedar", sex="male", team_code="T2"),
        StaffRow(code="S4", first_name="Dana", last_name="Dale", sex="female", team_code="T2"),
        StaffRow(code="S5", first_name="Evan", last_name="Elm", sex="male", team_code="T3"),
        CourtRow(code="LDSMC", name="Leeds Magistrates' Court"),
        CourtRow(code="BFDCC", name="Bradford Crown Court"),
    ])
    session.flush()
    accounts: list[tuple[str, Role, str | None, str | None]] = [
        ("om1", Role.PRACTITIONER, "S1", None), ("om2", Role.PRACTITIONER, "S2", None),
        ("om3", Role.PRACTITIONER, "S3", None), ("om4", Role.PRACTITIONER, "S4", None),
        ("tm1", Role.TEAM_MANAGER, "S2", None), ("provider", Role.PROVIDER_STAFF, "S5", "CRC-A"),
        ("em", Role.EM_OPERATOR, None, "EM-1"), ("police", Role.POLICE_LIAISON, None, "POL-WY"),
        ("risk", Role.NPS_RISK, None, "NPS-NE"), ("commissioner", Role.COMMISSIONER, None, None),
        ("admin", Role.ADMINISTRATOR, None, None),
    ]
    # One argon2 hash for every test user: hashing is deliberately slow.
    session.add_all(UserRow(username=username, password_hash=password_hash(), role=role.value, staff_code=staff,
                            organisation_code=org, display_name=username, active=True, created_at=NOW)
                    for username, role, staff, org in accounts)
    session.flush()


@lru_cache(maxsize=1)
def password_hash() -> str:
    return hash_password(PASSWORD)


def case_body(**overrides: Any) -> dict[str, Any]:
    """A valid court outcome for POST /api/cases, naming a new person's CRN as records from a national
    system do: an administrator posts it as it is; a practitioner omits `person.crn` (a CRN is
    allocated) or names a person they can already see."""
    body: dict[str, Any] = {
        "person": {"crn": "A123456", "first_name": "Jo", "last_name": "Bloggs", "date_of_birth": "1990-05-17",
                   "sex": "male", "addresses": [{"line1": "1 High Street", "town": "Leeds", "postcode": "LS1 1AA"}]},
        "sentence": {"type": "community_order", "sentence_date": "2026-11-02", "length_months": 12,
                     "offence": {"code": "02801", "offence_date": "2026-06-01"},
                     "requirements": [{"type": "rehabilitation_activity", "start_date": "2026-11-02",
                                       "max_days": 20}]},
        "court_code": "LDSMC", "organisation_code": "NPS-NE", "team_code": "T1",
    }
    for key, value in overrides.items():
        target = body
        parts = key.split("__")
        for part in parts[:-1]:
            target = target[part]
        target[parts[-1]] = value
    return body
