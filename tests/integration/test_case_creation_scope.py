"""Creating a case never attaches to, nor reveals, a person outside the caller's scope, and
practitioners and team managers create cases only in their own team and provider."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.db.tables import AuditRow, CaseEventRow, CaseRow, PersonRow
from tests.factories import case_body
from tests.scope_world import OTHER, OWN, RESTRICTED, SURNAMES

pytestmark = pytest.mark.usefixtures("fresh_em_runtime")  # the EM runtime is per process

Auth = Callable[[str], dict[str, str]]
DOB = "1990-05-17"  # tests/factories.py person()


def counts(app: Any) -> tuple[int, int, int]:
    with app.state.sessions() as s:
        return (s.scalar(select(func.count()).select_from(PersonRow)) or 0,
                s.scalar(select(func.count()).select_from(CaseRow)) or 0,
                s.scalar(select(func.count()).select_from(CaseEventRow)) or 0)


def for_person(crn: str, surname: str, dob: str = DOB, **overrides: Any) -> dict[str, Any]:
    return case_body(person__crn=crn, person__last_name=surname, person__date_of_birth=dob, **overrides)


def test_a_crn_outside_the_callers_scope_answers_as_an_unknown_one_whatever_name_and_birth_date_come_with_it(
        client: TestClient, auth: Auth, app: Any, world: dict[str, int]) -> None:
    before = counts(app)
    answers = []
    for user, crn, surname, dob in [("om1", "Z999999", "Nobody", DOB),
                                    ("om1", OTHER, SURNAMES[OTHER], DOB),       # right name and birth date
                                    ("om1", OTHER, SURNAMES[OTHER], "1991-01-01"),
                                    ("tm1", RESTRICTED, SURNAMES[RESTRICTED], DOB),
                                    ("om2", RESTRICTED, "Someone", DOB)]:
        r = client.post("/api/cases", json=for_person(crn, surname, dob), headers=auth(user))
        assert r.status_code == 404, (user, crn, r.text)
        error = r.json()["errors"][0]
        assert error["field"] == "person.crn"
        answers.append((r.json()["detail"].replace(crn, "X"), error["rule"], r.headers["content-type"]))
    assert len(set(answers)) == 1, answers
    assert counts(app) == before
    with app.state.sessions() as s:  # each attempt is kept in the audit log, naming the CRN tried
        denied = {(r.username, r.subject) for r in s.scalars(select(AuditRow).where(AuditRow.action == "denied"))}
    assert denied == {("om1", "Z999999"), ("om1", OTHER), ("tm1", RESTRICTED), ("om2", RESTRICTED)}
    assert client.get(f"/api/people/{OTHER}", headers=auth("om1")).status_code == 404


def test_a_practitioner_adds_a_case_for_a_person_they_can_see_and_a_mismatch_stays_a_conflict(
        client: TestClient, auth: Auth, app: Any, world: dict[str, int]) -> None:
    r = client.post("/api/cases", json=for_person(OWN, SURNAMES[OWN]), headers=auth("om1"))
    assert r.status_code == 201, r.text
    assert r.json()["crn"] == OWN
    assert len(client.get(f"/api/people/{OWN}", headers=auth("om1")).json()["cases"]) == 2
    r = client.post("/api/cases", json=for_person(RESTRICTED, SURNAMES[RESTRICTED]), headers=auth("om1"))
    assert r.status_code == 201, r.text  # om1 is named on the restricted case
    before = counts(app)
    r = client.post("/api/cases", json=for_person(OWN, SURNAMES[OWN], "1991-01-01"), headers=auth("om1"))
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "person.crn"
    assert counts(app) == before


def test_a_new_person_is_registered_without_a_crn_and_the_platform_allocates_one(
        client: TestClient, auth: Auth) -> None:
    body = case_body()
    del body["person"]["crn"]
    r = client.post("/api/cases", json=body, headers=auth("om1"))
    assert r.status_code == 201, r.text
    crn = r.json()["crn"]
    assert r.headers["location"] == f"/api/people/{crn}"
    assert client.get(f"/api/people/{crn}", headers=auth("om1")).json()["person"]["last_name"] == "Bloggs"


def test_an_administrator_registers_a_person_under_a_given_crn_and_adds_cases_for_any_person(
        client: TestClient, auth: Auth, world: dict[str, int]) -> None:
    r = client.post("/api/cases", json=for_person("N100001", "Newman"), headers=auth("admin"))
    assert r.status_code == 201 and r.json()["crn"] == "N100001"
    r = client.post("/api/cases", json=for_person(OTHER, SURNAMES[OTHER], organisation_code="CRC-A",
                                                  team_code="T3"), headers=auth("admin"))
    assert r.status_code == 201, r.text
    r = client.post("/api/cases", json=for_person(OTHER, "Wrong"), headers=auth("admin"))
    assert r.status_code == 409


def test_an_administrator_cannot_join_a_case_to_a_person_restricted_to_others_whatever_name_is_sent(
        client: TestClient, auth: Auth, app: Any, world: dict[str, int]) -> None:
    before = counts(app)
    answers = []
    for surname, dob in [(SURNAMES[RESTRICTED], DOB), ("Someone", "1991-01-01")]:
        r = client.post("/api/cases", json=for_person(RESTRICTED, surname, dob), headers=auth("admin"))
        assert r.status_code == 409, r.text
        answers.append((r.json()["detail"], r.json()["errors"][0]["field"]))
    assert answers[0] == answers[1] and answers[0][1] == "person.crn"
    assert counts(app) == before
    assert client.get(f"/api/people/{RESTRICTED}", headers=auth("admin")).status_code == 404


@pytest.mark.parametrize(("user", "organisation", "team", "field"), [
    ("om1", "CRC-A", "T3", "team_code"),          # another provider's team
    ("om1", "NPS-NE", "T2", "team_code"),         # another team of the same provider
    ("tm1", "NPS-NE", "T2", "team_code"),
    ("om1", "CRC-A", "T1", "organisation_code"),  # own team under another provider
])
def test_practitioners_and_team_managers_create_cases_only_in_their_own_team_and_provider(
        client: TestClient, auth: Auth, app: Any, user: str, organisation: str, team: str, field: str) -> None:
    before = counts(app)
    body = case_body(organisation_code=organisation, team_code=team)
    del body["person"]["crn"]
    r = client.post("/api/cases", json=body, headers=auth(user))
    assert r.status_code == 403, r.text
    error = r.json()["errors"][0]
    assert error["field"] == field and "own team" in error["rule"]
    assert counts(app) == before
