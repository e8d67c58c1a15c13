"""The directory, referrals from the plan, sessions counted as RAR days, and feedback to the
offender manager."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.db.tables import CaseEventRow
from probation.adapters.db.tables_interventions import ReferralRow
from tests.delivery_factories import MovableClock, add_locations
from tests.interventions_factories import Auth, add_plan, add_service, move, refer, service
from tests.protection_factories import history, nps_case


@pytest.fixture
def clock(app: Any) -> MovableClock:
    c = MovableClock()
    app.state.clock = c
    return c


def counts(app: Any) -> tuple[int, int]:
    with app.state.sessions() as s:
        return (s.scalar(select(func.count()).select_from(CaseEventRow)) or 0,
                s.scalar(select(func.count()).select_from(ReferralRow)) or 0)


def test_the_directory_lists_services_by_need_with_free_places(client: TestClient, auth: Auth) -> None:
    add_service(client, auth)
    add_service(client, auth, "DRUGS-1", name="Forward Leeds", need_areas=["drug_misuse"], capacity=2)
    r = client.get("/api/intervention-services?need_area=accommodation", headers=auth("om1"))
    assert [x["code"] for x in r.json()["items"]] == ["HOUSING-1"]
    assert r.json()["items"][0]["places_free"] == 5
    assert client.put("/api/intervention-services/X1", json=service("X1"), headers=auth("om1")).status_code == 403
    bad = client.put("/api/intervention-services/X1", json=service("X1", capacity=0), headers=auth("admin"))
    assert bad.status_code == 422 and "capacity" in bad.json()["detail"]
    bad = client.put("/api/intervention-services/X1", json=service("X1", need_areas=["gambling"]),
                     headers=auth("admin"))
    assert bad.status_code == 422 and "gambling" in bad.json()["detail"]


def test_a_referral_from_the_plan_goes_through_its_statuses_to_an_outcome(client: TestClient,
                                                                          auth: Auth) -> None:
    cid = nps_case(client, auth)
    add_plan(client, auth, cid)
    add_service(client, auth)
    ref = refer(client, auth, cid, objective=2)
    assert ref["status"] == "sent"
    move(client, auth, cid, ref["id"], "accepted", "2026-11-12")
    move(client, auth, cid, ref["id"], "started", "2026-11-16")
    done = move(client, auth, cid, ref["id"], "completed", "2026-11-20", outcome="achieved",
                notes="tenancy signed")
    assert done["status"] == "completed" and done["outcome"] == "achieved"
    assert [h["status"] for h in done["history"]] == ["sent", "accepted", "started", "completed"]
    events = [e for e in history(client, auth) if e["kind"] in ("referral_made", "referral_updated")]
    assert events[0]["kind"] == "referral_made" and events[0]["data"]["rows"] == {"manage": [18, 20]}
    assert [e["data"].get("status") for e in events[1:]] == ["accepted", "started", "completed"]


def test_bad_referrals_are_refused_with_nothing_written(app: Any, client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    add_service(client, auth)
    add_service(client, auth, "WOMEN-1", name="Women's centre", need_areas=["accommodation"],
                eligibility={"sexes": ["female"]})
    body = {"service_code": "HOUSING-1", "need_area": "accommodation", "sent_on": "2026-11-10"}
    before = counts(app)
    r = client.post(f"/api/cases/{cid}/referrals", json=body, headers=auth("om1"))
    assert r.status_code == 409 and "no plan" in r.json()["detail"]
    add_plan(client, auth, cid)
    before = counts(app)
    r = client.post(f"/api/cases/{cid}/referrals", json={**body, "need_area": "drug_misuse"}, headers=auth("om1"))
    assert r.status_code == 422  # the plan names no drug misuse objective
    r = client.post(f"/api/cases/{cid}/referrals", json={**body, "objective": 1}, headers=auth("om1"))
    assert r.status_code == 422 and "addresses thinking_behaviour" in r.json()["detail"]
    add_service(client, auth, "CBT-1", name="Thinking skills", need_areas=["attitudes"])
    r = client.post(f"/api/cases/{cid}/referrals", json={**body, "service_code": "CBT-1",
                                                        "need_area": "thinking_behaviour"}, headers=auth("om1"))
    assert r.status_code == 422 and "does not address thinking_behaviour" in r.json()["detail"]
    r = client.post(f"/api/cases/{cid}/referrals", json={**body, "service_code": "WOMEN-1"}, headers=auth("om1"))
    assert r.status_code == 422 and "female people only" in r.json()["detail"]
    r = client.post(f"/api/cases/{cid}/referrals", json={**body, "service_code": "NOPE"}, headers=auth("om1"))
    assert r.status_code == 404
    assert counts(app) == before


def test_a_full_service_refuses_a_referral_until_a_place_frees(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    add_plan(client, auth, cid)
    add_service(client, auth, capacity=1)
    first = refer(client, auth, cid)
    r = client.post(f"/api/cases/{cid}/referrals", json={"service_code": "HOUSING-1", "need_area": "accommodation",
                                                        "sent_on": "2026-11-11"}, headers=auth("om1"))
    assert r.status_code == 409 and "full (1 of 1 places taken)" in r.json()["detail"]
    move(client, auth, cid, first["id"], "withdrawn", "2026-11-12", reason="declined_by_person")
    refer(client, auth, cid, sent_on="2026-11-12")


def test_an_outcome_for_a_referral_that_never_started_is_refused(app: Any, client: TestClient,
                                                                 auth: Auth) -> None:
    cid = nps_case(client, auth)
    add_plan(client, auth, cid)
    add_service(client, auth)
    ref = refer(client, auth, cid)
    move(client, auth, cid, ref["id"], "accepted", "2026-11-12")
    before = counts(app)
    url = f"/api/cases/{cid}/referrals/{ref['id']}/status"
    r = client.post(url, json={"status": "completed", "on": "2026-11-13", "outcome": "achieved"}, headers=auth("om1"))
    assert r.status_code == 409 and "never started" in r.json()["detail"]
    r = client.post(url, json={"status": "withdrawn", "on": "2026-11-13"}, headers=auth("om1"))
    assert r.status_code == 422 and "withdrawal needs a reason" in r.json()["detail"]
    r = client.post(url, json={"status": "started", "on": "2026-11-11"}, headers=auth("om1"))
    assert r.status_code == 422 and "before the referral's last change" in r.json()["detail"]
    assert counts(app) == before


def test_progress_reported_by_others_is_fed_back_to_the_offender_manager(client: TestClient,
                                                                         auth: Auth) -> None:
    cid = nps_case(client, auth)
    add_plan(client, auth, cid)
    add_service(client, auth)
    ref = refer(client, auth, cid)
    move(client, auth, cid, ref["id"], "accepted", "2026-11-12", user="tm1")
    items = client.get("/api/me/referral-feedback", headers=auth("om1")).json()["items"]
    assert len(items) == 1 and items[0]["summary"]["status"] == "accepted" and items[0]["from"] == "tm1"
    r = client.post(f"/api/me/referral-feedback/{items[0]['id']}/acknowledge", headers=auth("om1"))
    assert r.status_code == 200 and r.json()["acknowledged"]
    assert client.get("/api/me/referral-feedback", headers=auth("om1")).json()["items"] == []
    kinds = [e["kind"] for e in history(client, auth)]
    assert "offender_manager_informed" in kinds


def test_a_session_of_a_rar_service_counts_as_a_rar_day_once_attended(client: TestClient, auth: Auth,
                                                                      clock: MovableClock) -> None:
    add_locations(client, auth)
    cid = nps_case(client, auth)
    add_plan(client, auth, cid)
    add_service(client, auth, rar_activity=True)
    ref = refer(client, auth, cid)
    url = f"/api/cases/{cid}/referrals/{ref['id']}/sessions"
    slot = {"starts_at": "2026-11-24T10:00:00+00:00", "ends_at": "2026-11-24T11:00:00+00:00",
            "location_code": "LDS1", "interviewer_code": "S1"}
    r = client.post(url, json=slot, headers=auth("om1"))
    assert r.status_code == 409 and "accepted" in r.json()["detail"]  # still only sent
    move(client, auth, cid, ref["id"], "accepted", "2026-11-20")
    r = client.post(url, json=slot, headers=auth("om1"))
    assert r.status_code == 201, r.text
    session = r.json()
    assert session["rar_activity"] is True
    clock.set("2026-11-24T12:00:00+00:00")
    attend = f"{url}/{session['id']}/attendance"
    r = client.post(attend, json={"outcome": "attended_complied"}, headers=auth("om1"))
    assert r.status_code == 409 and "started" in r.json()["detail"]
    move(client, auth, cid, ref["id"], "started", "2026-11-24")
    r = client.post(attend, json={"outcome": "attended_complied"}, headers=auth("om1"))
    assert r.status_code == 200, r.text
    rar = client.get(f"/api/cases/{cid}/rar", headers=auth("om1")).json()
    assert rar["days_used"] == 1 and rar["used_dates"] == ["2026-11-24"]
    listed = client.get(f"/api/cases/{cid}/referrals", headers=auth("om1")).json()["items"][0]
    assert [x["outcome"] for x in listed["sessions"]] == ["attended_complied"]
