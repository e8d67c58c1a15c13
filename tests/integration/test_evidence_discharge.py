"""Issue 4 item 9: every event recorded through the API discharges the matching catalogue rows.

One community order with a RAR and one legacy order with a supervision requirement; events
recorded by the delivery (appointments, contacts, enforcement, reports) and protection (RoSH,
plan, reviews) features; the spot-checked rows move from due (or overdue) to met. On SQLite and
PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.delivery_factories import Auth, MovableClock, add_locations, book, create_case, outcome
from tests.protection_factories import plan_body, rosh_body


@pytest.fixture
def clock(app: Any) -> MovableClock:
    c = MovableClock()
    app.state.clock = c
    return c


def status(client: TestClient, auth: Auth, cid: int, as_of: str) -> dict[tuple[str, int], list[str]]:
    r = client.get(f"/api/cases/{cid}/obligations", params={"as_of": as_of}, headers=auth("om1"))
    assert r.status_code == 200, r.text
    out: dict[tuple[str, int], list[str]] = {}
    for o in r.json()["obligations"]:
        out.setdefault((o["spec"], o["row"]), []).append(o["status"])
    return out


def ok(r: Any) -> Any:
    assert r.status_code in (200, 201), r.text
    return r.json()


def test_recorded_events_meet_the_rar_and_manage_rows(client: TestClient, auth: Auth, clock: MovableClock) -> None:
    add_locations(client, auth)
    cid = create_case(client, auth)
    h = auth("om1")
    before = status(client, auth, cid, "2026-11-23")
    assert before[("rar", 2)] == ["overdue"] and before[("manage", 29)] == ["due"]
    assert before[("manage", 8)] == ["due"] and before[("manage", 24)] == ["not_yet_due"]

    ok(client.put(f"/api/cases/{cid}/diverse-needs", json={"unavailable": []}, headers=h))
    ok(client.post(f"/api/cases/{cid}/rosh-assessments", json=rosh_body(), headers=h))
    ok(client.post(f"/api/cases/{cid}/plan", json=plan_body(), headers=h))
    ok(client.post(f"/api/cases/{cid}/reports/progress/request", json={"due_by": "2026-12-07"}, headers=h))
    ok(client.post(f"/api/cases/{cid}/reports/progress/submit", headers=h))
    kept = book(client, auth, cid, "2026-11-24T10:00:00+00:00")
    missed = book(client, auth, cid, "2026-11-25T10:00:00+00:00")
    clock.set("2026-11-24T12:00:00+00:00")
    outcome(client, auth, cid, kept["id"], "attended_complied")
    clock.set("2026-11-25T12:00:00+00:00")
    outcome(client, auth, cid, missed["id"], "unacceptable_absence")
    ok(client.post(f"/api/cases/{cid}/enforcement", json={"action": "warning_letter"}, headers=h))
    clock.set("2026-11-26T12:00:00+00:00")
    ok(client.post(f"/api/cases/{cid}/plan/reviews", headers=h,
                   json={"reviewed_on": "2026-11-26", "reasons": ["regular"], "agreed": True}))

    after = status(client, auth, cid, "2026-11-26")
    assert after[("rar", 1)][-1] == "met"            # appointments given at the level of contact
    assert after[("rar", 2)] == ["met_late"]          # diverse needs recorded
    assert set(after[("rar", 3)]) == {"met"}          # offender manager told of each outcome
    assert after[("manage", 8)] == ["met"]            # plan completed
    assert after[("manage", 29)] == ["met"]           # RoSH assessed
    assert after[("manage", 24)] == ["met"]           # report: requested and submitted
    assert after[("manage", 21)][-1] == "met"         # monitoring: each contact recorded
    assert after[("manage", 26)] == ["met"]           # enforcement: failure to comply, then a warning
    assert after[("manage", 32)][0] == "met"          # reviews: the plan reviewed in its period


def test_recorded_events_meet_the_supervision_rows(client: TestClient, auth: Auth, clock: MovableClock) -> None:
    add_locations(client, auth)
    cid = create_case(client, auth, sentence__offence__offence_date="2014-06-01", sentence__requirements=[
        {"type": "supervision", "start_date": "2026-11-02", "length_months": 12}])
    h = auth("om1")
    before = status(client, auth, cid, "2026-11-23")
    assert before[("supervision", 2)] == ["overdue"] and before[("supervision", 5)][-1] == "due"
    ok(client.put(f"/api/cases/{cid}/diverse-needs", json={"unavailable": []}, headers=h))
    kept = book(client, auth, cid, "2026-11-24T10:00:00+00:00")
    clock.set("2026-11-24T12:00:00+00:00")
    outcome(client, auth, cid, kept["id"], "attended_complied")
    after = status(client, auth, cid, "2026-11-24")
    assert after[("supervision", 1)][-1] == "met"     # appointment given
    assert after[("supervision", 2)] == ["met_late"]  # diverse needs
    assert after[("supervision", 5)][-1] == "met"     # an account at the appointment attended
    assert after[("supervision", 13)][-1] == "met"    # the contact recorded
    assert set(after[("supervision", 15)]) == {"met"}  # the offender manager informed
