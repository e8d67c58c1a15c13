"""Police liaison pages: the inbox of their own organisation's notices, a violation report with
GOV.UK errors, and the outcome once the offender manager decides; no access to other roles' pages
nor to another force's notices."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from probation.adapters.db.tables import OrganisationRow, UserRow
from probation.domain.roles import Role
from tests.conftest import NOW
from tests.em.factories import em_case
from tests.factories import password_hash
from tests.integration.test_web_practice import Auth, app, clock, post, sign_in, web  # noqa: F401


def notified_case(client: TestClient, auth: Auth, app: Any) -> tuple[int, int]:  # noqa: F811
    """A non-EM exclusion case whose commencement notice went to West Yorkshire Police, and a second
    force (North Yorkshire, user police2) that was told nothing."""
    with app.state.sessions.begin() as s:
        case_id = em_case(s, em=False, device=None)
        s.add(OrganisationRow(code="POL-NY", name="North Yorkshire Police", kind="police"))
        s.flush()
        s.add(UserRow(username="police2", password_hash=password_hash(), role=Role.POLICE_LIAISON.value,
                      staff_code=None, organisation_code="POL-NY", display_name="police2", active=True,
                      created_at=NOW))
    r = client.post(f"/api/em/cases/{case_id}/notices", json={"kind": "commencement", "recipients": ["POL-WY"]},
                    headers=auth("om1"))
    assert r.status_code == 201, r.text
    return case_id, r.json()["items"][0]["id"]


def report_form(case_id: int, **extra: str) -> dict[str, str]:
    seen = NOW - timedelta(hours=3)  # 07:00 London on 23 November 2026
    return {"case_id": str(case_id), "police_reference": "WY-123", "observed_date-day": str(seen.day),
            "observed_date-month": str(seen.month), "observed_date-year": str(seen.year),
            "observed_time": seen.strftime("%H:%M"), "location": "Briggate, Leeds",
            "details": "Seen in the city centre", **extra}


def test_police_see_their_notice_report_a_violation_and_see_the_outcome(
        client: TestClient, web: TestClient, auth: Auth, app: Any) -> None:  # noqa: F811
    case_id, notice_id = notified_case(client, auth, app)
    sign_in(web, "police")
    inbox = web.get("/police/notices")
    assert inbox.status_code == 200 and "Exclusion requirement started: E100001" in inbox.text
    assert 'href="/police/notices"' in inbox.text and 'href="/em/alerts"' not in inbox.text
    notice = web.get(f"/police/notices/{notice_id}").text
    assert "Leeds city centre" in notice and "Alan Ash" in notice and "<h1>" not in notice
    assert f"/police/reports/new?case={case_id}" in notice
    r = post(web, "/police/reports/new", report_form(case_id))
    assert r.status_code == 303 and r.headers["location"] == "/police/reports"
    page = web.get("/police/reports").text
    assert "Violation report WY-123 sent to the offender manager" in page and "Awaiting decision" in page
    rid = client.get("/api/em/police/violation-reports", headers=auth("om1")).json()["items"][0]["id"]
    r = client.post(f"/api/em/police/violation-reports/{rid}/decision", json={"decision": "warning"},
                    headers=auth("om1"))
    assert r.status_code == 200, r.text
    page = web.get("/police/reports").text
    assert "Formal warning given" in page and "Read the outcome notice" in page
    outcome_id = r.json()["outcome_notice_id"]
    outcome = web.get(f"/police/notices/{outcome_id}").text
    assert "A formal warning has been given." in outcome and "WY-123" in outcome


def test_a_report_with_missing_or_impossible_answers_is_refused_next_to_each_field(
        client: TestClient, web: TestClient, auth: Auth, app: Any) -> None:  # noqa: F811
    case_id, _ = notified_case(client, auth, app)
    sign_in(web, "police")
    r = post(web, "/police/reports/new", {})
    assert r.status_code == 400
    for field in ("case_id", "police_reference", "observed_date", "observed_time", "location", "details"):
        assert f'id="{field}-error"' in r.text, field
    assert 'href="#observed_date-day"' in r.text
    r = post(web, "/police/reports/new", report_form(case_id, **{"observed_date-day": "24"}),
             form_page="/police/reports/new")
    assert r.status_code == 400 and "must be in the past" in r.text and 'id="observed_date-error"' in r.text
    r = post(web, "/police/reports/new", report_form(case_id, **{"observed_date-month": "13"}))
    assert r.status_code == 400 and "must be a real date" in r.text
    for chosen in ("\u00b2", "9" * 20, "0", " "):  # not a case id the form offers: was a 500 for the first two
        r = post(web, "/police/reports/new", {**report_form(case_id), "case_id": chosen})
        assert r.status_code == 400 and 'id="case_id-error"' in r.text, chosen
    assert client.get("/api/em/police/violation-reports", headers=auth("om1")).json()["items"] == []


def test_another_force_sees_none_of_the_notices_and_cannot_report_on_the_person(
        client: TestClient, web: TestClient, auth: Auth, app: Any) -> None:  # noqa: F811
    case_id, notice_id = notified_case(client, auth, app)
    sign_in(web, "police2")
    inbox = web.get("/police/notices").text
    assert "E100001" not in inbox and "No notices have been sent to your organisation" in inbox
    r = web.get(f"/police/notices/{notice_id}")
    assert r.status_code == 404 and "E100001" not in r.text
    form_page = web.get("/police/reports/new").text
    assert "there is no one to report on" in form_page
    token = form_page.split('name="csrf_token" value="')[1].split('"')[0]  # the sign-out form's
    r = web.post("/police/reports/new", data={**report_form(case_id), "csrf_token": token},
                 follow_redirects=False)
    assert r.status_code == 400 and 'id="case_id-error"' in r.text
    assert "No exclusion notice to POL-NY" in r.text
    assert client.get("/api/em/police/violation-reports", headers=auth("om1")).json()["items"] == []


@pytest.mark.parametrize("path", ["/police/notices", "/police/notices/1", "/police/reports",
                                  "/police/reports/new"])
def test_monitoring_centre_and_practitioners_cannot_open_police_pages(web: TestClient, path: str) -> None:  # noqa: F811
    for user in ("em", "om1", "admin"):
        sign_in(web, user)
        r = web.get(path)
        assert r.status_code == 403, (user, path)
        assert "You cannot see this page" in r.text


def test_police_cannot_open_case_records(web: TestClient) -> None:  # noqa: F811
    sign_in(web, "police")
    assert web.get("/cases/E100001").status_code in (403, 404)
    assert web.get("/em/alerts").status_code == 403


def test_the_offender_manager_decides_a_police_report_on_a_page_and_the_force_sees_the_outcome(
        client: TestClient, web: TestClient, auth: Auth, app: Any) -> None:  # noqa: F811
    case_id, _ = notified_case(client, auth, app)
    sign_in(web, "police")
    assert post(web, "/police/reports/new", report_form(case_id)).status_code == 303
    assert web.get("/police-reports").status_code == 403
    sign_in(web, "om1")
    page = web.get("/police-reports").text
    assert "POL-WY WY-123" in page and "(E100001)" in page and "To decide" in page
    rid = client.get("/api/em/police/violation-reports", headers=auth("om1")).json()["items"][0]["id"]
    r = post(web, f"/police-reports/{rid}", {}, form_page="/police-reports")
    assert r.status_code == 400 and f'href="#decision-{rid}"' in r.text and f'id="decision-{rid}-error"' in r.text
    r = post(web, f"/police-reports/{rid}", {f"decision-{rid}": "breach", f"notes-{rid}": "second sighting"},
             form_page="/police-reports")
    assert r.status_code == 303
    assert "the outcome was sent to POL-WY" in web.get("/police-reports").text
    sign_in(web, "om3")  # another team: sees none of it
    assert "WY-123" not in web.get("/police-reports").text
    sign_in(web, "police")
    assert "Breach proceedings started" in web.get("/police/reports").text
