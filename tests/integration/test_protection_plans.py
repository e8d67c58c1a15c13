"""Safeguarding records, the plan, its reviews and the end-of-sentence review through the API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.db.tables import CaseEventRow
from probation.adapters.db.tables_protection import SafeguardingRecordRow, SentencePlanRow
from tests.protection_factories import Auth, history, nps_case, plan_body, rosh_body


def counts(app: Any) -> tuple[int, int, int]:
    with app.state.sessions() as s:
        return (s.scalar(select(func.count()).select_from(CaseEventRow)) or 0,
                s.scalar(select(func.count()).select_from(SafeguardingRecordRow)) or 0,
                s.scalar(select(func.count()).select_from(SentencePlanRow)) or 0)


def test_children_services_check_concern_and_notification_are_evidenced(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    h = auth("om1")
    r = client.post(f"/api/cases/{cid}/safeguarding", json={"kind": "children_services_check", "on": "2026-11-05",
                                                           "agency_code": "CSC-LDS", "outcome": "known"}, headers=h)
    assert r.status_code == 201, r.text
    r = client.post(f"/api/cases/{cid}/safeguarding", json={"kind": "child_concern", "on": "2026-11-20",
                                                           "note": "child seen with bruising"}, headers=h)
    concern = r.json()["id"]
    r = client.post(f"/api/cases/{cid}/safeguarding",
                    json={"kind": "children_services_notification", "on": "2026-11-21", "agency_code": "CSC-LDS",
                          "related_id": concern}, headers=h)
    assert r.status_code == 201, r.text
    events = [e for e in history(client, auth) if e["kind"] in
              ("children_services_checked", "child_concern_identified", "children_services_notified")]
    assert [e["kind"] for e in events] == ["children_services_checked", "child_concern_identified",
                                           "children_services_notified"]
    assert events[0]["occurred_at"].startswith("2026-11-05") and events[0]["data"]["rows"] == [9]
    assert events[2]["data"]["related_id"] == concern
    notices = client.get("/api/me/notices", headers=h).json()["items"]
    assert notices[0]["change"] == "child_concern_identified"
    listed = client.get(f"/api/cases/{cid}/safeguarding?kind=child_concern", headers=h).json()["items"]
    assert [x["id"] for x in listed] == [concern]


def test_domestic_abuse_checks_safety_plans_home_visits_and_information_sharing(client: TestClient,
                                                                                auth: Auth) -> None:
    cid = nps_case(client, auth)
    h = auth("om1")
    bodies = [
        {"kind": "domestic_abuse_check", "on": "2026-11-06", "agency_code": "POL-WY", "outcome": "known_perpetrator"},
        {"kind": "safety_plan_offer", "on": "2026-11-07", "outcome": "declined", "topic": "vulnerability"},
        {"kind": "home_visit", "on": "2026-11-08", "topic": "plan", "note": "lives with partner"},
        {"kind": "information_shared", "on": "2026-11-09", "agency_code": "POL-WY", "register": "marac",
         "note": "MARAC referral form sent"},
    ]
    for body in bodies:
        r = client.post(f"/api/cases/{cid}/safeguarding", json=body, headers=h)
        assert r.status_code == 201, (body, r.text)
    kinds = [e["kind"] for e in history(client, auth)][-4:]
    assert kinds == ["domestic_abuse_checked", "safety_plan_offered", "home_visit_completed",
                     "inter_agency_information_shared"]


def test_bad_safeguarding_records_are_refused_and_write_nothing(client: TestClient, auth: Auth, app: Any) -> None:
    cid = nps_case(client, auth)
    before = counts(app)
    bad = [
        ({"kind": "children_services_check", "on": "2026-11-05", "outcome": "known"}, "agency_code", 422),
        ({"kind": "children_services_check", "on": "2026-11-05", "agency_code": "POL-WY", "outcome": "known"},
         "agency_code", 422),
        ({"kind": "children_services_check", "on": "2026-11-05", "agency_code": "NOPE", "outcome": "known"},
         "agency_code", 404),
        ({"kind": "children_services_check", "on": "2026-11-05", "agency_code": "CSC-LDS", "outcome": "maybe"},
         "outcome", 422),
        ({"kind": "home_visit", "on": "2026-11-24", "topic": "plan"}, "on", 422),        # tomorrow
        ({"kind": "home_visit", "on": "2026-10-01", "topic": "plan"}, "on", 422),        # before the sentence
        ({"kind": "home_visit", "on": "2026-11-10"}, "topic", 422),
        ({"kind": "children_services_notification", "on": "2026-11-10", "agency_code": "CSC-LDS",
          "related_id": 999}, "related_id", 404),
        ({"kind": "child_concern", "on": "2026-11-10"}, "note", 422),
        ({"kind": "information_shared", "on": "2026-11-10", "agency_code": "POL-WY", "note": "x",
          "register": "gang"}, "register", 422),
        ({"kind": "gossip", "on": "2026-11-10"}, "kind", 422),
    ]
    for body, field, status in bad:
        r = client.post(f"/api/cases/{cid}/safeguarding", json=body, headers=auth("om1"))
        assert r.status_code == status, (body, r.text)
        assert r.json()["errors"][0]["field"] == field, (body, r.text)
    assert counts(app) == before


def test_a_plan_covers_every_requirement_and_records_the_persons_agreement(client: TestClient, auth: Auth,
                                                                          app: Any) -> None:
    reqs = [{"type": "rehabilitation_activity", "start_date": "2026-11-02", "max_days": 20},
            {"type": "unpaid_work", "start_date": "2026-11-02", "hours": 100}]
    cid = nps_case(client, auth, sentence__requirements=reqs)
    before = counts(app)
    r = client.post(f"/api/cases/{cid}/plan", json=plan_body(), headers=auth("om1"))
    assert r.status_code == 422
    assert r.json()["errors"][0] == {"message": "the plan leaves unpaid work without an objective",
                                     "field": "objectives", "value": "unpaid_work",
                                     "rule": "a plan covers every requirement of the order"}
    r = client.post(f"/api/cases/{cid}/plan", json=plan_body(objectives=[
        {"description": "x", "requirement": "rehabilitation_activity"},
        {"description": "y", "requirement": "unpaid_work"},
        {"description": "z", "requirement": "curfew"}]), headers=auth("om1"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "objectives.requirement"
    r = client.post(f"/api/cases/{cid}/plan", json=plan_body(objectives=[
        {"description": "x", "requirement": "rehabilitation_activity"},
        {"description": "y", "requirement": "unpaid_work"},
        {"description": "be good"}]), headers=auth("om1"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "objectives"
    r = client.post(f"/api/cases/{cid}/plan", json=plan_body(agreed=False), headers=auth("om1"))
    assert r.status_code == 422
    assert counts(app) == before

    objectives = plan_body()["objectives"] + [{"description": "Complete 100 hours", "requirement": "unpaid_work"}]
    r = client.post(f"/api/cases/{cid}/plan", json=plan_body(objectives=objectives, agreed=False,
                                                             person_comments="wants a later start"),
                    headers=auth("om1"))
    assert r.status_code == 201, r.text
    assert r.json()["next_regular_review"] == "2027-03-12" and r.json()["review_needed"] == []
    event = [e for e in history(client, auth) if e["kind"] == "plan_completed"][-1]
    assert event["data"]["requirements"] == ["rehabilitation_activity", "unpaid_work"]
    assert event["data"]["agreed"] is False
    assert client.post(f"/api/cases/{cid}/plan", json=plan_body(objectives=objectives),
                       headers=auth("om1")).status_code == 409


def test_a_plan_waits_for_allocation(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth, allocate=False)
    r = client.post(f"/api/cases/{cid}/plan", json=plan_body(), headers=auth("om1"))
    assert r.status_code == 409 and "following allocation" in r.json()["errors"][0]["rule"]


def test_a_significant_change_calls_for_a_review_which_clears_it(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    h = auth("om1")
    assert client.post(f"/api/cases/{cid}/plan", json=plan_body(), headers=h).status_code == 201
    client.post(f"/api/cases/{cid}/rosh-assessments", json=rosh_body(assessed_on="2026-11-22"), headers=h)
    client.post(f"/api/cases/{cid}/registers", json={"register": "marac", "start_date": "2026-11-22"}, headers=h)
    plan = client.get(f"/api/cases/{cid}/plan", headers=h).json()
    assert plan["review_needed"] == ["rosh_change", "new_register"]
    r = client.post(f"/api/cases/{cid}/plan/reviews", json={"reviewed_on": "2026-11-19", "reasons": ["regular"],
                                                             "agreed": True}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reviewed_on"
    r = client.post(f"/api/cases/{cid}/plan/reviews", json={"reviewed_on": "2026-11-23", "reasons": ["rosh_change",
                    "new_register"], "agreed": True, "objectives": plan_body()["objectives"][:1]}, headers=h)
    assert r.status_code == 201, r.text
    plan = client.get(f"/api/cases/{cid}/plan", headers=h).json()
    assert plan["review_needed"] == [] and len(plan["objectives"]) == 1
    assert plan["last_reviewed_on"] == "2026-11-23" and plan["next_regular_review"] == "2027-03-15"
    event = [e for e in history(client, auth) if e["kind"] == "plan_reviewed"][-1]
    assert event["data"]["changes_addressed"] == ["rosh_change", "new_register"]


def test_the_end_of_sentence_review_comes_at_the_end_with_an_outcome_per_objective(client: TestClient,
                                                                                  auth: Auth) -> None:
    cid = nps_case(client, auth)
    h = auth("om1")
    client.post(f"/api/cases/{cid}/plan", json=plan_body(), headers=h)
    body = {"reviewed_on": "2026-11-23", "outcomes": ["achieved", "partly_achieved"]}
    r = client.post(f"/api/cases/{cid}/plan/end-of-sentence-review", json=body, headers=h)
    assert r.status_code == 409
    client.post(f"/api/cases/{cid}/terminate", json={"reason": "revoked_early", "on": "2026-11-23"}, headers=h)
    r = client.post(f"/api/cases/{cid}/plan/end-of-sentence-review", json={**body, "outcomes": ["achieved"]},
                    headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "outcomes"
    r = client.post(f"/api/cases/{cid}/plan/end-of-sentence-review", json=body, headers=h)
    assert r.status_code == 201, r.text
    event = [e for e in history(client, auth) if e["kind"] == "end_of_sentence_review_completed"][-1]
    assert event["data"]["outcomes"] == {"achieved": 1, "partly_achieved": 1, "not_achieved": 0}
    assert client.post(f"/api/cases/{cid}/plan/end-of-sentence-review", json=body, headers=h).status_code == 409
