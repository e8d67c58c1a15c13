"""The end-of-sentence comparison of needs, risk and objectives, and the RAR information page,
PDF and record of recipients."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.db.tables import CaseEventRow
from tests.factories import PASSWORD
from tests.interventions_factories import Auth, add_plan, assessment, scores
from tests.protection_factories import history, nps_case, rosh_body


def events(app: Any) -> int:
    with app.state.sessions() as s:
        return s.scalar(select(func.count()).select_from(CaseEventRow)) or 0


def test_the_end_of_sentence_comparison_sets_needs_risk_and_objectives_side_by_side(
        app: Any, client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    h = auth("om1")
    add_plan(client, auth, cid)
    for on, level in (("2026-11-05", "high"), ("2026-11-20", "medium")):
        assert client.post(f"/api/cases/{cid}/rosh-assessments", json=rosh_body(assessed_on=on, levels={
            "public": level}), headers=h).status_code == 201
    client.post(f"/api/cases/{cid}/needs-assessments", json=assessment("start", "2026-11-05"), headers=h)
    url = f"/api/cases/{cid}/outcome-comparison"
    r = client.post(url, json={"reviewed_on": "2026-11-23"}, headers=h)
    assert r.status_code == 409 and "no end-of-sentence review" in r.json()["detail"]
    client.post(f"/api/cases/{cid}/terminate", json={"reason": "revoked_early", "on": "2026-11-23"}, headers=h)
    r = client.post(f"/api/cases/{cid}/plan/end-of-sentence-review",
                    json={"reviewed_on": "2026-11-23", "outcomes": ["partly_achieved", "achieved"]}, headers=h)
    assert r.status_code == 201, r.text
    before = events(app)
    r = client.post(url, json={"reviewed_on": "2026-11-23"}, headers=h)
    assert r.status_code == 409 and "no end needs assessment" in r.json()["detail"]
    assert events(app) == before
    r = client.post(f"/api/cases/{cid}/needs-assessments", json=assessment(
        "end", "2026-11-23", scores=scores(2, accommodation=0, thinking_behaviour=1)), headers=h)
    assert r.status_code == 201, r.text  # the end assessment is taken on a terminated case
    r = client.post(url, json={"reviewed_on": "2026-11-23", "notes": "settled"}, headers=h)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["needs_direction"] == "reduced"
    assert body["rosh"] == {"start": "high", "end": "medium"}
    acc = next(n for n in body["needs"] if n["need_area"] == "accommodation")
    assert acc == {"need_area": "accommodation", "start": 2, "end": 0, "change": -2, "direction": "reduced",
                   "in_plan": True}
    assert [o["outcome"] for o in body["objectives"]] == ["partly_achieved", "achieved"]
    assert body["outcome_counts"] == {"partly_achieved": 1, "achieved": 1}
    ev = [e for e in history(client, auth) if e["kind"] == "outcomes_compared"][0]
    assert ev["data"]["rosh_direction"] == "reduced" and ev["data"]["rows"]["manage"] == [34]
    assert client.get(url, headers=h).json()["id"] == body["id"]
    assert client.post(url, json={"reviewed_on": "2026-11-23"}, headers=h).status_code == 409


def sign_in(client: TestClient, username: str) -> None:
    page = client.get("/sign-in")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post("/sign-in", data={"username": username, "password": PASSWORD, "csrf_token": token,
                                      "next": "/"}, follow_redirects=False)
    assert r.status_code == 303, r.text


def test_the_rar_information_page_is_for_any_signed_in_user(client: TestClient) -> None:
    r = client.get("/rar-information", follow_redirects=False)
    assert r.status_code == 303 and "/sign-in" in r.headers["location"]
    sign_in(client, "police")
    r = client.get("/rar-information")
    assert r.status_code == 200
    assert "The Rehabilitation Activity Requirement" in r.text and "Assessment criteria" in r.text
    assert 'class="govuk-header"' in r.text and "Who has been sent it" not in r.text


def test_the_pdf_is_produced_and_who_was_sent_it_is_recorded(client: TestClient, auth: Auth) -> None:
    body = {"name": "District Judge Patel", "role": "sentencer", "organisation": "Leeds Magistrates' Court",
            "sent_on": "2026-11-20", "format": "pdf"}
    r = client.post("/api/rar-information/recipients", json=body, headers=auth("om1"))
    assert r.status_code == 201 and r.json()["version"] == "2026.1"
    bad = client.post("/api/rar-information/recipients", json={**body, "role": "journalist"}, headers=auth("om1"))
    assert bad.status_code == 422 and "journalist" in bad.json()["detail"]
    assert client.post("/api/rar-information/recipients", json=body, headers=auth("police")).status_code == 403
    listed = client.get("/api/rar-information/recipients", headers=auth("commissioner")).json()
    assert [x["name"] for x in listed["items"]] == ["District Judge Patel"]
    sign_in(client, "om1")
    page = client.get("/rar-information")
    assert "District Judge Patel" in page.text
    pdf = client.get("/rar-information.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
