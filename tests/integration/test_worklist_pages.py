"""The worklist and assurance pages: signed-in users, roles, charts and CSV download."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.factories import PASSWORD, case_body

Auth = Callable[[str], dict[str, str]]


def sign_in(client: TestClient, username: str) -> None:
    page = client.get("/sign-in").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = client.post("/sign-in", data={"username": username, "password": PASSWORD, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


def test_the_worklist_page_shows_overdue_items_for_the_practitioner(client: TestClient, auth: Auth) -> None:
    created = client.post("/api/cases", json=case_body(), headers=auth("admin"))
    assert created.status_code == 201
    cid = created.json()["case_id"]
    client.post(f"/api/cases/{cid}/allocate", json={"staff_code": "S1"}, headers=auth("om1"))
    sign_in(client, "om1")
    r = client.get("/worklist")
    assert r.status_code == 200
    assert "My worklist" in r.text and "Overdue" in r.text and "A123456" in r.text
    assert 'href="/worklist"' in r.text


def test_the_assurance_page_draws_charts_for_a_commissioner_and_refuses_a_practitioner(
        client: TestClient, auth: Auth) -> None:
    assert client.post("/api/cases", json=case_body(), headers=auth("admin")).status_code == 201
    sign_in(client, "commissioner")
    r = client.get("/assurance")
    assert r.status_code == 200
    assert "<svg" in r.text and "manage 1" in r.text and "<script src=\"http" not in r.text
    csv = client.get("/assurance.csv")
    assert csv.status_code == 200 and csv.text.startswith("breakdown,group")
    client.cookies.clear()
    sign_in(client, "om1")
    assert client.get("/assurance").status_code == 403
