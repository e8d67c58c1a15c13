"""No 500 from input: dates outside the years a record can hold, a lone surrogate in a JSON body
and a line break in an email address each answer 4xx naming the field and the rule, and write
nothing (docs/SECURITY.md "Input validation")."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.db.tables import CaseRow, OrganisationRow, PersonRow
from probation.domain.errors import InvalidValue
from probation.domain.roles import Role
from probation.services import admin
from probation.services.context import Actor
from tests.conftest import NOW
from tests.factories import PASSWORD, case_body

Auth = Callable[[str], dict[str, str]]
OUT_OF_RANGE = ["9999-12-31", "0001-01-01"]


def people(app: Any) -> tuple[int, int]:
    with app.state.sessions() as s:
        return (s.scalar(select(func.count()).select_from(PersonRow)) or 0,
                s.scalar(select(func.count()).select_from(CaseRow)) or 0)


def sign_in(client: TestClient, username: str) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text)
    assert token
    r = client.post("/sign-in", data={"username": username, "password": PASSWORD, "csrf_token": token[1]},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


def assert_names(r: Any, field: str, rule: str) -> None:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    errors = r.json()["errors"]
    assert any(e.get("field") == field and rule in (e.get("rule", "") + e.get("message", "")) for e in errors), errors


# Dates ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_as_of_outside_the_years_a_record_holds_is_refused_on_every_endpoint(
        client: TestClient, auth: Auth, day: str) -> None:
    created = client.post("/api/cases", json=case_body(), headers=auth("admin"))
    assert created.status_code == 201
    case_id = created.json()["case_id"]
    for path, user in [(f"/api/cases/{case_id}/obligations", "om1"), ("/api/people/A123456/obligations", "om1"),
                       ("/api/worklist", "om1"), ("/api/assurance", "commissioner"),
                       (f"/api/cases/{case_id}/contact-level", "om1")]:
        r = client.get(path, params={"as_of": day}, headers=auth(user))
        assert_names(r, "as_of", "1900-2199")
    for name in ("from", "to"):
        assert_names(client.get("/api/assurance", params={name: day}, headers=auth("commissioner")), name, "1900-2199")


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_pages_refuse_dates_outside_the_years_a_record_holds(client: TestClient, day: str) -> None:
    sign_in(client, "commissioner")
    r = client.get("/assurance", params={"from": day})
    assert r.status_code == 422 and "1900-2199" in r.text
    sign_in(client, "admin")
    r = client.get("/admin/audit", params={"from": day, "to": day})
    assert r.status_code == 400 and "between 1900 and 2199" in r.text


def test_a_sentence_dated_9999_is_refused_naming_the_field_and_nothing_is_written(
        client: TestClient, auth: Auth, app: Any) -> None:
    before = people(app)
    for field, body in [("sentence.sentence_date", case_body(sentence__sentence_date="9999-12-31")),
                        ("person.date_of_birth", case_body(person__date_of_birth="0001-01-01")),
                        ("sentence.requirements.0.start_date",
                         case_body(**{"sentence__requirements": [{"type": "rehabilitation_activity",
                                                                   "start_date": "9999-12-31", "max_days": 20}]}))]:
        assert_names(client.post("/api/cases", json=body, headers=auth("om1")), field, "1900-2199")
    assert people(app) == before


def test_a_page_date_after_2199_is_refused_with_the_date_pattern(client: TestClient, auth: Auth) -> None:
    created = client.post("/api/cases", json=case_body(), headers=auth("admin")).json()
    client.post(f"/api/cases/{created['case_id']}/allocate", json={"staff_code": "S1"}, headers=auth("om1"))
    sign_in(client, "om1")
    page = client.get("/cases/A123456/appointments")
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    r = client.post("/cases/A123456/appointments", data={
        "csrf_token": token[1], "date-day": "31", "date-month": "12", "date-year": "9999", "start": "10:00"},
        follow_redirects=False)
    assert r.status_code == 400 and "must be between 1900 and 2199" in r.text
    for part, value in [("year", "99999999999"), ("month", "9" * 30), ("day", "1" * 25)]:
        boxes = {"date-day": "31", "date-month": "12", "date-year": "2030", f"date-{part}": value}
        r = client.post("/cases/A123456/appointments", data={"csrf_token": token[1], **boxes, "start": "10:00"},
                        follow_redirects=False)
        assert r.status_code == 400 and "must be a real date" in r.text, part  # was a 500 (OverflowError)


def test_audit_api_times_outside_the_years_are_refused(client: TestClient, auth: Auth) -> None:
    r = client.get("/api/audit", params={"until": "9999-12-31T23:59:59+00:00"}, headers=auth("admin"))
    assert_names(r, "until", "1900-2199")


# Lone surrogates -----------------------------------------------------------------------------------

def test_a_lone_surrogate_in_an_anonymous_json_body_is_a_422_naming_the_field(client: TestClient) -> None:
    for raw in (b'{"username": "\\ud800", "password": "x"}',       # the JSON escape
                b'{"username": "\xed\xa0\x80", "password": "x"}',  # the same code point as UTF-8 bytes
                b'{"username": "ok", "password": "\\udc00\\ud800"}'):
        r = client.post("/api/token", content=raw, headers={"content-type": "application/json"})
        field = "password" if b"ok" in raw else "username"
        assert_names(r, field, "lone surrogate")


def test_a_lone_surrogate_in_a_case_is_refused_before_anything_is_written(
        client: TestClient, auth: Auth, app: Any) -> None:
    before = people(app)
    body = json.dumps(case_body(person__last_name="Bl\ud800ggs"))  # json.dumps writes the escape
    r = client.post("/api/cases", content=body, headers={**auth("admin"), "content-type": "application/json"})
    assert_names(r, "person.last_name", "lone surrogate")
    r = client.post("/api/cases", content=json.dumps(case_body(sentence__requirements=[{"\ud800": 1}])),
                    headers={**auth("om1"), "content-type": "application/json"})
    assert_names(r, "sentence.requirements.0.\\ud800", "lone surrogate")
    assert people(app) == before


def test_a_surrogate_pair_and_an_escaped_backslash_are_text(client: TestClient, auth: Auth) -> None:
    body = json.dumps(case_body(person__first_name="Jo \U0001f600", person__last_name="Back\\ud800slash"))
    r = client.post("/api/cases", content=body, headers={**auth("admin"), "content-type": "application/json"})
    assert r.status_code == 201, r.text


def test_a_nul_in_a_json_body_is_refused_naming_the_field_before_anything_is_written(
        client: TestClient, auth: Auth, app: Any) -> None:
    # PostgreSQL stores no NUL in a text field: it was a 500 there, after the request was accepted.
    before = people(app)
    body = json.dumps(case_body(person__first_name="Jo\u0000"))
    r = client.post("/api/cases", content=body, headers={**auth("admin"), "content-type": "application/json"})
    assert_names(r, "person.first_name", "U+0000")
    assert people(app) == before


def test_a_nul_or_a_lone_surrogate_in_a_query_a_form_or_a_path_is_refused_naming_it(
        client: TestClient, auth: Auth) -> None:
    assert_names(client.get("/api/caseload?q=Bl%00ggs", headers=auth("om1")), "q", "U+0000")
    assert_names(client.get("/api/caseload?q=%ED%A0%80", headers=auth("om1")), "q", "surrogate")
    r = client.post("/sign-in", content=b"username=om1%00&password=x&csrf_token=t",
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert_names(r, "username", "U+0000")
    assert_names(client.get("/api/people/A12%0034", headers=auth("om1")), "path", "U+0000")


# Email header injection ----------------------------------------------------------------------------

@pytest.mark.parametrize("email", ["jo@example.org\r\nBcc: everyone@example.org", "jo@example.org\n",
                                   "jo@example.org\rX", "jo bloggs@example.org"])
def test_a_line_break_in_a_persons_email_is_refused_naming_the_field(
        client: TestClient, auth: Auth, app: Any, email: str) -> None:
    before = people(app)
    r = client.post("/api/cases", json=case_body(person__email=email), headers=auth("admin"))
    assert_names(r, "person.email", "no spaces, line breaks or control characters")
    assert people(app) == before


def test_a_valid_email_is_kept(client: TestClient, auth: Auth) -> None:
    body = case_body(person__email="jo.bloggs+probation@example.org")
    r = client.post("/api/cases", json=body, headers=auth("admin"))
    assert r.status_code == 201, r.text


def test_a_line_break_in_an_rar_recipients_email_is_refused(client: TestClient, auth: Auth) -> None:
    body = {"name": "District Judge Patel", "role": "sentencer", "email": "judge@example.org\r\nBcc: x@y.org",
            "sent_on": "2026-11-20", "format": "pdf"}
    r = client.post("/api/rar-information/recipients", json=body, headers=auth("om1"))
    assert_names(r, "email", "line breaks")


def test_an_organisations_email_with_a_trailing_line_feed_is_refused(app: Any) -> None:
    actor = Actor(username="admin", role=Role.ADMINISTRATOR)
    with app.state.sessions.begin() as s, pytest.raises(InvalidValue) as refused:
        admin.update_organisation(s, actor, "POL-WY", name="West Yorkshire Police",
                                  email="liaison@wyp.example\n", now=NOW)
    assert refused.value.field == "email" and "line breaks" in (refused.value.rule or "")
    with app.state.sessions() as s:
        assert s.get(OrganisationRow, "POL-WY").email != "liaison@wyp.example\n"  # type: ignore[union-attr]
