"""Compliance, enforcement, court outcomes and early revocation through the API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.delivery_factories import Auth, MovableClock, add_locations, book, create_case, kinds, outcome


@pytest.fixture
def clock(app: Any) -> MovableClock:
    c = MovableClock()
    app.state.clock = c
    return c


def fail(client: TestClient, auth: Auth, clock: MovableClock, cid: int, start: str,
         value: str = "unacceptable_absence") -> None:
    appt = book(client, auth, cid, start)
    clock.set(start.replace("T10:00", "T12:00"))
    outcome(client, auth, cid, appt["id"], value)


def compliance(client: TestClient, auth: Auth, cid: int) -> dict[str, Any]:
    r = client.get(f"/api/cases/{cid}/compliance", headers=auth("om1"))
    assert r.status_code == 200, r.text
    return dict(r.json())


def decide(client: TestClient, auth: Auth, cid: int, action: str) -> Any:
    return client.post(f"/api/cases/{cid}/enforcement", json={"action": action}, headers=auth("om1"))


def test_one_warning_then_breach_then_the_court_continues_the_order(client: TestClient, auth: Auth,
                                                                    clock: MovableClock) -> None:
    add_locations(client, auth)
    cid = create_case(client, auth)
    assert compliance(client, auth, cid)["next_action"]["action"] == "none"
    fail(client, auth, clock, cid, "2026-11-24T10:00:00+00:00")
    c = compliance(client, auth, cid)
    assert c["next_action"]["action"] == "warning_letter"
    assert c["next_action"]["due_by"] == "2026-12-08"  # 10 working days after Tuesday 24 November
    wrong = decide(client, auth, cid, "breach_to_court")
    assert wrong.status_code == 409 and "calls for warning letter" in wrong.json()["detail"]
    assert decide(client, auth, cid, "warning_letter").status_code == 201
    assert kinds(client, auth)[-2:] == ["warning_issued", "enforcement_decision_recorded"]
    assert decide(client, auth, cid, "warning_letter").status_code == 409  # nothing left to act on

    fail(client, auth, clock, cid, "2026-12-01T10:00:00+00:00", "attended_failed_to_comply")
    c = compliance(client, auth, cid)
    assert c["next_action"]["action"] == "breach_to_court" and c["next_action"]["due_by"] == "2026-12-15"
    r = decide(client, auth, cid, "breach_to_court")
    assert r.status_code == 201, r.text
    breach_id = r.json()["id"]
    assert kinds(client, auth)[-2:] == ["breach_initiated", "enforcement_decision_recorded"]
    c = compliance(client, auth, cid)
    assert c["breach_in_progress"]["id"] == breach_id and c["next_action"]["action"] == "await_outcome"

    h = auth("om1")
    bad = client.post(f"/api/cases/{cid}/enforcement/{breach_id}/outcome", json={"outcome": "recalled",
                                                                              "on": "2026-12-01"}, headers=h)
    assert bad.status_code == 422
    future = client.post(f"/api/cases/{cid}/enforcement/{breach_id}/outcome",
                         json={"outcome": "continue", "on": "2026-12-31"}, headers=h)
    assert future.status_code == 422
    ok = client.post(f"/api/cases/{cid}/enforcement/{breach_id}/outcome", json={"outcome": "continue",
                                                                             "on": "2026-12-01"}, headers=h)
    assert ok.status_code == 200, ok.text
    again = client.post(f"/api/cases/{cid}/enforcement/{breach_id}/outcome", json={"outcome": "amend",
                                                                                "on": "2026-12-01"}, headers=h)
    assert again.status_code == 409
    c = compliance(client, auth, cid)
    assert c["breach_in_progress"] is None and c["previous_breaches"] == 1
    assert c["counted_from"] == "2026-12-02" and c["failures"] == [] and c["failures_last_12_months"] == 2


def test_revocation_on_breach_terminates_the_case(client: TestClient, auth: Auth, clock: MovableClock) -> None:
    add_locations(client, auth)
    cid = create_case(client, auth)
    fail(client, auth, clock, cid, "2026-11-24T10:00:00+00:00")
    decide(client, auth, cid, "warning_letter")
    fail(client, auth, clock, cid, "2026-11-26T10:00:00+00:00")
    breach_id = decide(client, auth, cid, "breach_to_court").json()["id"]
    r = client.post(f"/api/cases/{cid}/enforcement/{breach_id}/outcome",
                    json={"outcome": "revoke_and_resentence", "on": "2026-11-26", "notes": "re-sentenced"},
                    headers=auth("om1"))
    assert r.status_code == 200, r.text
    case = client.get("/api/people/A123456", headers=auth("om1")).json()["cases"][0]
    assert case["status"] == "terminated" and case["termination_reason"] == "revoked_on_breach"
    assert [e["kind"] for e in case["history"]][-2:] == ["enforcement_decision_recorded", "terminated"]


def test_a_licence_escalates_to_a_recall_recommendation(client: TestClient, auth: Auth,
                                                        clock: MovableClock) -> None:
    add_locations(client, auth)
    sentence = {"type": "custodial", "sentence_date": "2026-01-05", "custodial_term_days": 365,
                "offence": {"code": "02801", "offence_date": "2025-10-01"}, "requirements": []}
    cid = create_case(client, auth, sentence=sentence)
    fail(client, auth, clock, cid, "2026-11-24T10:00:00+00:00")
    assert decide(client, auth, cid, "warning_letter").status_code == 201
    fail(client, auth, clock, cid, "2026-11-25T10:00:00+00:00")
    c = compliance(client, auth, cid)
    assert c["next_action"]["action"] == "recall_recommendation" and c["next_action"]["policy"] == "licence"
    breach_id = decide(client, auth, cid, "recall_recommendation").json()["id"]
    r = client.post(f"/api/cases/{cid}/enforcement/{breach_id}/outcome", json={"outcome": "continue",
                                                                            "on": "2026-11-25"},
                    headers=auth("om1"))
    assert r.status_code == 422 and "not an outcome of a recall" in r.json()["detail"]


def test_only_case_managers_take_enforcement_decisions(client: TestClient, auth: Auth, clock: MovableClock) -> None:
    add_locations(client, auth)
    cid = create_case(client, auth)
    fail(client, auth, clock, cid, "2026-11-24T10:00:00+00:00")
    assert client.post(f"/api/cases/{cid}/enforcement", json={"action": "warning_letter"},
                       headers=auth("provider")).status_code == 403


def test_orders_meeting_the_early_revocation_criteria_are_flagged_once(client: TestClient, auth: Auth,
                                                                       clock: MovableClock) -> None:
    cid = create_case(client, auth, sentence__requirements=[{"type": "unpaid_work", "start_date": "2026-11-02",
                                                             "hours": 100}])
    r = client.get(f"/api/cases/{cid}/early-revocation", headers=auth("om1")).json()
    assert r["criteria_met"] is False and r["criteria"][0]["name"] == "served"
    assert client.post("/api/early-revocation/flags", headers=auth("om1")).json()["items"] == []
    clock.set("2027-05-04T09:00:00+00:00")  # 183 of 365 days served
    r = client.get(f"/api/cases/{cid}/early-revocation", headers=auth("om1")).json()
    assert r["criteria_met"] is True and r["to_confirm"] == ["unpaid_work"]
    items = client.post("/api/early-revocation/flags", headers=auth("om1")).json()["items"]
    assert [(i["case_id"], i["newly_flagged"]) for i in items] == [(cid, True)]
    assert kinds(client, auth)[-1] == "early_revocation_criteria_met"
    items = client.post("/api/early-revocation/flags", headers=auth("om1")).json()["items"]
    assert [(i["case_id"], i["newly_flagged"]) for i in items] == [(cid, False)]
    assert kinds(client, auth).count("early_revocation_criteria_met") == 1
    crn = client.get(f"/api/cases/{cid}/obligations", headers=auth("om1")).json()["crn"]
    reads = client.get(f"/api/audit?subject={crn}&action=read", headers=auth("admin")).json()["items"]
    assert [r["username"] for r in reads if r["detail"] == "early revocation flags (1)"] == ["om1", "om1"]
    assert client.post("/api/early-revocation/flags", headers=auth("om2")).json()["items"] == []
