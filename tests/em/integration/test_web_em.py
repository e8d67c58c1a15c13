"""The monitoring centre's pages: the live alert queue and its JSON, an alert with its map and the
acknowledge / assign / escalate / close form with GOV.UK errors, the installation schedule, the
notification queries and the enquiries log; no access for other roles."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import NOW
from tests.em.factories import CENTRE, em_case, fix, offset, walk_in
from tests.integration.test_web_practice import Auth, app, clock, post, sign_in, web  # noqa: F401

pytestmark = pytest.mark.usefixtures("fresh_em_runtime")  # the EM runtime is per process



def entry_alert(client: TestClient, auth: Auth, app: Any) -> dict[str, Any]:  # noqa: F811
    with app.state.sessions.begin() as s:
        em_case(s)
    body = client.post("/api/em/ingest", json={"positions": walk_in("DEV-1", NOW - timedelta(hours=1))},
                       headers=auth("em")).json()
    return next(a for a in body["alerts"] if a["kind"] == "entry")


def test_the_queue_lists_open_alerts_and_its_json_feeds_the_live_update(
        client: TestClient, web: TestClient, auth: Auth, app: Any) -> None:  # noqa: F811
    alert = entry_alert(client, auth, app)
    sign_in(web, "em")
    page = web.get("/em/alerts")
    assert page.status_code == 200
    assert f'href="/em/alerts/{alert["id"]}"' in page.text and "Alan Ash" not in page.text
    assert "E100001" in page.text and 'aria-live="polite"' in page.text
    assert '/static/em-queue.js' in page.text and "Refresh the queue" in page.text
    assert 'href="/em/alerts"' in page.text  # in the service navigation
    feed = web.get("/em/queue.json")
    assert feed.status_code == 200 and feed.headers["cache-control"] == "no-store"
    items = feed.json()["items"]
    assert alert["id"] in [i["id"] for i in items]
    item = next(i for i in items if i["id"] == alert["id"])
    assert item["crn"] == "E100001" and item["kind"] == "entry" and item["href"].endswith(alert["id"])
    assert web.get("/static/em-queue.js").status_code == 200


def test_an_alert_shows_its_zone_and_trail_as_a_map_and_is_acknowledged_then_closed(
        client: TestClient, web: TestClient, auth: Auth, app: Any) -> None:  # noqa: F811
    alert = entry_alert(client, auth, app)
    sign_in(web, "em")
    url = f"/em/alerts/{alert['id']}"
    page = web.get(url).text
    assert "<svg" in page and 'role="img"' in page and "Z1 (exclusion)" in page
    assert "British National Grid" in page and "<polyline" in page
    r = post(web, url, {"action": "close", "outcome": "false_alert"})
    assert r.status_code == 400  # high priority: acknowledged first
    assert 'href="#action"' in r.text and "acknowledged before it is closed" in r.text
    r = post(web, url, {"action": "acknowledge"})
    assert r.status_code == 303 and r.headers["location"] == url
    assert f"Alert {alert['id']} acknowledged" in web.get(url).text
    r = post(web, url, {"action": "close", "outcome": "violation_confirmed", "note": "seen on CCTV"})
    assert r.status_code == 303 and r.headers["location"] == "/em/alerts"
    queue = web.get("/em/alerts").text
    assert "closed: Violation confirmed" in queue and f'href="/em/alerts/{alert["id"]}"' not in queue
    assert f'href="/em/alerts/{alert["id"]}"' in web.get("/em/alerts?show=all").text
    detail = client.get(f"/api/em/alerts/{alert['id']}", headers=auth("em")).json()
    assert detail["status"] == "closed" and detail["outcome"] == "violation_confirmed"


def test_an_alert_action_with_missing_answers_is_refused_next_to_each_field(
        client: TestClient, web: TestClient, auth: Auth, app: Any) -> None:  # noqa: F811
    alert = entry_alert(client, auth, app)
    sign_in(web, "em")
    url = f"/em/alerts/{alert['id']}"
    r = post(web, url, {})
    assert r.status_code == 400 and 'href="#action"' in r.text and 'id="action-error"' in r.text
    r = post(web, url, {"action": "assign"})
    assert r.status_code == 400 and 'id="to-error"' in r.text and "Enter who the alert is assigned to" in r.text
    r = post(web, url, {"action": "close"})
    assert r.status_code == 400 and 'id="outcome-error"' in r.text
    r = post(web, url, {"action": "acknowledge", "note": "x" * 1001})
    assert r.status_code == 400 and 'id="note-error"' in r.text
    assert client.get(f"/api/em/alerts/{alert['id']}", headers=auth("em")).json()["status"] == "raised"


def test_an_installation_visit_is_booked_into_the_schedule_with_errors_for_bad_times(
        client: TestClient, web: TestClient, auth: Auth, app: Any) -> None:  # noqa: F811
    with app.state.sessions.begin() as s:
        case_id = em_case(s, device=None)
    sign_in(web, "em")
    form = {"case_id": str(case_id), "purpose": "installation", "visit_date-day": "25",
            "visit_date-month": "11", "visit_date-year": "2026", "start_time": "22:00", "end_time": "23:00",
            "staff_name": "Al Fitter", "staff_sex": "male"}
    r = post(web, "/em/schedule/new", form)
    assert r.status_code == 400 and 'href="#reason"' in r.text and "outside 08:00-21:00" in r.text
    r = post(web, "/em/schedule/new", {})
    assert r.status_code == 400
    for field in ("case_id", "purpose", "visit_date", "start_time", "end_time", "staff_name", "staff_sex"):
        assert f'id="{field}-error"' in r.text, field
    r = post(web, "/em/schedule/new", {**form, "start_time": "10:00", "end_time": "11:00"})
    assert r.status_code == 303 and r.headers["location"] == "/em/schedule"
    page = web.get("/em/schedule").text
    assert "Installation visit booked for 25 November 2026 at 10:00" in page
    assert "E100001" in page and "Al Fitter" in page


def test_a_notification_query_is_resolved_and_an_enquiry_logged_and_answered(
        client: TestClient, web: TestClient, auth: Auth, app: Any) -> None:  # noqa: F811
    with app.state.sessions.begin() as s:
        em_case(s, device=None)
    r = client.post("/api/em/notifications", json={
        "reference": "N-1", "crn": "E100001", "court_code": "LDSMC", "order_date": "2026-11-02",
        "requirement_start": "2026-11-02", "requirement_end": "2027-05-02",
        "exclusion_places": ["Leeds city centre"]}, headers=auth("em"))
    query = r.json()["queries"][0]
    sign_in(web, "em")
    page = web.get("/em/notifications").text
    assert "N-1" in page and query["problem"] in page
    url = f"/em/notification-queries/{query['id']}"
    r = post(web, url, {}, form_page="/em/notifications")
    assert r.status_code == 400 and f'href="#resolution-{query["id"]}"' in r.text
    r = post(web, url, {f"resolution-{query['id']}": "address confirmed by the court"},
             form_page="/em/notifications")
    assert r.status_code == 303
    assert f"Query {query['id']} resolved" in web.get("/em/notifications").text

    r = post(web, "/em/enquiries", {"crn": "Z999999"})
    assert r.status_code == 400
    for field in ("caller_kind", "caller", "channel", "subject", "crn"):
        assert f'id="{field}-error"' in r.text, field
    r = post(web, "/em/enquiries", {"caller_kind": "agency", "caller": "PC Jones", "channel": "phone",
                                    "subject": "Is the tag still fitted?", "crn": "e100001"})
    assert r.status_code == 303
    page = web.get("/em/enquiries").text
    assert "Is the tag still fitted?" in page and "E100001" in page
    eid = client.get("/api/em/enquiries", headers=auth("em")).json()["items"][0]["id"]
    r = post(web, f"/em/enquiries/{eid}/response", {f"response-{eid}": "Yes, fitted on 5 November"},
             form_page="/em/enquiries")
    assert r.status_code == 303
    assert "Yes, fitted on 5 November" in web.get("/em/enquiries").text


@pytest.mark.parametrize("path", ["/em/alerts", "/em/queue.json", "/em/schedule", "/em/schedule/new",
                                  "/em/notifications", "/em/enquiries"])
def test_police_and_practitioners_cannot_open_monitoring_centre_pages(
        web: TestClient, path: str) -> None:  # noqa: F811
    for user in ("police", "om1"):
        sign_in(web, user)
        r = web.get(path)
        assert r.status_code == 403, (user, path)
        assert "You cannot see this page" in r.text


def test_police_cannot_act_on_an_alert_or_see_it(
        client: TestClient, web: TestClient, auth: Auth, app: Any) -> None:  # noqa: F811
    alert = entry_alert(client, auth, app)
    sign_in(web, "police")
    assert web.get(f"/em/alerts/{alert['id']}").status_code == 403
    token = web.get("/account").text.split('name="csrf_token" value="')[1].split('"')[0]
    r = web.post(f"/em/alerts/{alert['id']}", data={"action": "acknowledge", "csrf_token": token},
                 follow_redirects=False)
    assert r.status_code == 403
    assert client.get(f"/api/em/alerts/{alert['id']}", headers=auth("em")).json()["status"] == "raised"


def test_the_queue_needs_a_signed_in_session(web: TestClient) -> None:  # noqa: F811
    r = web.get("/em/queue.json", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/sign-in")


def test_an_alert_a_late_fix_supersedes_stays_in_the_queue_marked_as_such(
        client: TestClient, web: TestClient, auth: Auth, app: Any) -> None:  # noqa: F811
    with app.state.sessions.begin() as s:
        em_case(s)
    south, through, north = (offset(*CENTRE, n, 0) for n in (-600, 0, 600))
    t = NOW - timedelta(hours=1)
    gap = client.post("/api/em/ingest", json=[fix("DEV-1", t, *south),
                                              fix("DEV-1", t + timedelta(minutes=2), *north)],
                      headers=auth("em")).json()
    inferred = next(a for a in gap["alerts"] if a["kind"] == "entry")  # between sparse fixes
    late = client.post("/api/em/ingest", json=[fix("DEV-1", t + timedelta(seconds=70), *through)],
                       headers=auth("em")).json()
    assert inferred["id"] in late["superseded_alerts"]
    assert any(a["kind"] == "entry" and a["new"] for a in late["alerts"])  # placed by the late fix
    detail = client.get(f"/api/em/alerts/{inferred['id']}", headers=auth("em")).json()
    assert detail["superseded_at"] and detail["status"] == "raised"  # kept, for the record
    sign_in(web, "em")
    page = web.get(f"/em/alerts/{inferred['id']}").text
    assert 'id="alert-superseded"' in page and "Superseded by later data" in page
    assert "(superseded by later data)" in web.get("/em/alerts").text
    item = next(i for i in web.get("/em/queue.json").json()["items"] if i["id"] == inferred["id"])
    assert item["superseded"] is True
