"""The web shell: sign in with CSRF, caseload, case page, and role boundaries."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.factories import PASSWORD, case_body


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD, next_: str = "/") -> object:
    page = client.get("/sign-in")
    return client.post("/sign-in", data={"username": username, "password": password, "next": next_,
                                         "csrf_token": csrf(page.text)}, follow_redirects=False)


def test_pages_need_sign_in_and_return_to_the_page_asked_for(client: TestClient) -> None:
    r = client.get("/caseload?q=smith", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/sign-in?next=/caseload")
    r = sign_in(client, "om1", next_="/caseload?q=smith")
    assert r.status_code == 303 and r.headers["location"] == "/caseload?q=smith"


def test_a_wrong_password_shows_a_govuk_error_next_to_the_field(client: TestClient) -> None:
    r = sign_in(client, "om1", password="nope")
    assert r.status_code == 400
    assert "govuk-error-summary" in r.text and 'href="#password"' in r.text
    assert "The username or password is not right" in r.text


def test_a_form_without_the_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/sign-in")
    r = client.post("/sign-in", data={"username": "om1", "password": PASSWORD, "csrf_token": "forged"},
                    follow_redirects=False)
    assert r.status_code == 403


def test_the_caseload_lists_the_team_cases_and_the_case_page_shows_the_history(
        client: TestClient, auth: Callable[[str], dict[str, str]]) -> None:
    assert client.post("/api/cases", json=case_body(), headers=auth("admin")).status_code == 201
    sign_in(client, "om2")
    page = client.get("/caseload?scope=all")
    assert page.status_code == 200 and "Jo Bloggs" in page.text and "A123456" in page.text
    assert "Jo Bloggs" in client.get("/caseload?scope=all&q=blog").text
    assert "No cases match" in client.get("/caseload?scope=all&q=zzz").text
    case = client.get("/cases/A123456")
    assert case.status_code == 200
    assert "Community Order" in case.text and "Rehabilitation activity" in case.text
    assert "Case created" in case.text and "Leeds Magistrates" in case.text


def test_another_teams_practitioner_gets_not_found_and_a_commissioner_sees_no_people(
        client: TestClient, auth: Callable[[str], dict[str, str]]) -> None:
    client.post("/api/cases", json=case_body(), headers=auth("admin"))
    sign_in(client, "om3")
    assert client.get("/cases/A123456").status_code == 404
    client.cookies.clear()
    sign_in(client, "commissioner")
    assert client.get("/caseload").status_code == 403
    assert client.get("/cases/A123456").status_code == 403


def test_sign_out_ends_the_session(client: TestClient) -> None:
    sign_in(client, "om1")
    page = client.get("/caseload")
    r = client.post("/sign-out", data={"csrf_token": csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/caseload", follow_redirects=False).status_code == 303
