"""Data minimisation: each role receives only the person's fields its work needs, in the API and on
the case page alike (EM operators and provider staff see no religion, ethnicity, gender identity or
disability; the NPS risk team no religion or ethnicity; the offender manager everything)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.factories import case_body
from tests.integration.test_web_pages import sign_in

Auth = Callable[[str], dict[str, str]]
DECLARED = {"religion": "Pastafarian", "ethnicity": "asian_pakistani", "gender_identity": "Non-binary person",
            "disability": "sensory", "email": "sam@example.org", "phone": "0113 496 0001"}
EM_CRN, PROVIDER_CRN = "M100001", "P100001"
LABELS = {"religion": "Religion", "ethnicity": "Ethnicity", "gender_identity": "Gender identity",
          "disability": "Disability"}


@pytest.fixture
def people(client: TestClient, auth: Auth) -> None:
    em = case_body(person__crn=EM_CRN, sentence__requirements=[{
        "type": "exclusion", "start_date": "2026-11-02", "length_months": 6, "places": ["Leeds city centre"],
        "electronically_monitored": True}])
    provider = case_body(person__crn=PROVIDER_CRN, organisation_code="CRC-A", team_code="T3")
    for body in (em, provider):
        body["person"].update(DECLARED)
        r = client.post("/api/cases", json=body, headers=auth("admin"))
        assert r.status_code == 201, r.text


@pytest.mark.parametrize(("user", "crn", "absent"), [
    ("em", EM_CRN, {"religion", "ethnicity", "gender_identity", "disability", "email"}),
    ("provider", PROVIDER_CRN, {"religion", "ethnicity", "gender_identity", "disability"}),
    ("risk", EM_CRN, {"religion", "ethnicity", "gender_identity", "disability"}),
])
def test_a_role_receives_none_of_the_fields_its_work_does_not_need(
        client: TestClient, auth: Auth, people: None, user: str, crn: str, absent: set[str]) -> None:
    r = client.get(f"/api/people/{crn}", headers=auth(user))
    assert r.status_code == 200, r.text
    shown = r.json()["person"]
    assert absent.isdisjoint(shown), f"{user} received {sorted(absent & set(shown))}"
    for field in absent:
        assert DECLARED[field] not in r.text
    assert shown["first_name"] == "Jo" and shown["phone"] == DECLARED["phone"]


def test_the_offender_manager_receives_every_field(client: TestClient, auth: Auth, people: None) -> None:
    shown = client.get(f"/api/people/{EM_CRN}", headers=auth("om1")).json()["person"]
    assert {k: shown[k] for k in DECLARED} == DECLARED


@pytest.mark.parametrize(("user", "crn"), [("em", EM_CRN), ("provider", PROVIDER_CRN)])
def test_the_case_page_leaves_out_what_the_role_does_not_receive(
        client: TestClient, people: None, user: str, crn: str) -> None:
    sign_in(client, user)
    page = client.get(f"/cases/{crn}")
    assert page.status_code == 200, page.text
    for field, label in LABELS.items():
        assert f">{label}</dt>" not in page.text and DECLARED[field] not in page.text
    assert ">Phone</dt>" in page.text and DECLARED["phone"] in page.text


def test_the_case_page_shows_the_offender_manager_every_field(client: TestClient, people: None) -> None:
    sign_in(client, "om1")
    page = client.get(f"/cases/{EM_CRN}")
    for label in LABELS.values():
        assert f">{label}</dt>" in page.text
    assert DECLARED["religion"] in page.text and "Non-binary person" in page.text
