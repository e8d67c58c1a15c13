"""Escalation from a contracted provider to the NPS risk team (Manage rows 22, 30, 31)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.db.tables import CaseEventRow
from probation.adapters.db.tables_protection import RiskEscalationRow
from tests.protection_factories import Auth, history, nps_case, provider_case

ESCALATION = {"concern": "new partner with two children; threats reported",
              "evidence": "police call-out log 2026-11-21"}


def counts(app: Any) -> tuple[int, int]:
    with app.state.sessions() as s:
        return (s.scalar(select(func.count()).select_from(CaseEventRow)) or 0,
                s.scalar(select(func.count()).select_from(RiskEscalationRow)) or 0)


def refer(client: TestClient, auth: Auth, cid: int) -> int:
    r = client.post(f"/api/cases/{cid}/risk-escalations", json=ESCALATION, headers=auth("provider"))
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "referred"
    eid: int = r.json()["id"]
    return eid


def test_the_nps_takes_a_referred_case_and_it_transfers_to_the_named_nps_team(client: TestClient,
                                                                              auth: Auth) -> None:
    cid = provider_case(client, auth)
    eid = refer(client, auth, cid)
    queue = client.get("/api/risk/escalations", headers=auth("risk")).json()
    assert [(e["id"], e["crn"], e["status"]) for e in queue["items"]] == [(eid, "A123456", "referred")]
    r = client.post(f"/api/risk/escalations/{eid}/decision",
                    json={"decision": "take_responsibility", "assessed_rosh": "high",
                          "rationale": "risk to children now high", "to_team_code": "T1"}, headers=auth("risk"))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "decided" and r.json()["decided_by"] == "risk"
    assert client.get("/api/risk/escalations", headers=auth("risk")).json()["items"] == []
    r = client.post(f"/api/risk/escalations/{eid}/action", json={"note": "case papers sent to T1"},
                    headers=auth("provider"))
    assert r.status_code == 200 and r.json()["status"] == "actioned"
    kinds = [e["kind"] for e in history(client, auth, "admin")]
    assert kinds[-5:] == ["risk_escalation_indicated", "risk_escalation_referred", "nps_risk_decision_recorded",
                          "transfer_requested", "nps_decision_actioned"]
    # The NPS team accepts the transfer through the lifecycle as usual.
    r = client.post(f"/api/cases/{cid}/accept-transfer", json={"staff_code": "S1"}, headers=auth("om1"))
    assert r.status_code == 200, r.text
    assert r.json()["organisation_code"] == "NPS-NE"


def test_the_nps_may_keep_a_case_with_the_provider_with_a_planned_review(client: TestClient, auth: Auth) -> None:
    cid = provider_case(client, auth)
    eid = refer(client, auth, cid)
    r = client.post(f"/api/risk/escalations/{eid}/decision",
                    json={"decision": "keep_with_provider", "assessed_rosh": "medium", "rationale": "not high",
                          "planned_review_date": "2027-01-15"}, headers=auth("risk"))
    assert r.status_code == 200 and r.json()["planned_review_date"] == "2027-01-15"
    event = [e for e in history(client, auth, "admin") if e["kind"] == "nps_risk_decision_recorded"][-1]
    assert event["data"] == {"escalation_id": eid, "decision": "keep_with_provider", "rosh": "medium",
                             "to_team": None, "planned_review_date": "2027-01-15"}
    assert not any(e["kind"] == "transfer_requested" for e in history(client, auth, "admin"))


def test_decisions_that_contradict_the_rule_are_refused_and_write_nothing(client: TestClient, auth: Auth,
                                                                           app: Any) -> None:
    cid = provider_case(client, auth)
    eid = refer(client, auth, cid)
    before = counts(app)
    bad = [
        ({"decision": "take_responsibility", "assessed_rosh": "medium", "rationale": "x", "to_team_code": "T1"},
         "assessed_rosh", 422),
        ({"decision": "take_responsibility", "assessed_rosh": "high", "rationale": "x"}, "to_team_code", 422),
        ({"decision": "take_responsibility", "assessed_rosh": "high", "rationale": "x", "to_team_code": "T3"},
         "to_team_code", 422),
        ({"decision": "take_responsibility", "assessed_rosh": "high", "rationale": "x", "to_team_code": "NOPE"},
         "to_team_code", 404),
        ({"decision": "keep_with_provider", "assessed_rosh": "high", "rationale": "x",
          "planned_review_date": "2027-01-15"}, "assessed_rosh", 422),
        ({"decision": "keep_with_provider", "assessed_rosh": "low", "rationale": "x"}, "planned_review_date", 422),
        ({"decision": "keep_with_provider", "assessed_rosh": "low", "rationale": "x",
          "planned_review_date": "2026-11-01"}, "planned_review_date", 422),
        ({"decision": "maybe", "assessed_rosh": "low", "rationale": "x"}, "decision", 422),
    ]
    for body, field, status in bad:
        r = client.post(f"/api/risk/escalations/{eid}/decision", json=body, headers=auth("risk"))
        assert r.status_code == status, (body, r.text)
        assert r.json()["errors"][0]["field"] == field, (body, r.text)
    assert counts(app) == before


def test_each_side_may_only_take_its_own_steps(client: TestClient, auth: Auth) -> None:
    cid = provider_case(client, auth)
    assert client.get("/api/risk/escalations", headers=auth("om1")).status_code == 403
    assert client.post(f"/api/cases/{cid}/risk-escalations", json=ESCALATION,
                       headers=auth("risk")).status_code == 403
    r = client.post(f"/api/cases/{cid}/risk-escalations", json={**ESCALATION, "refer": False},
                    headers=auth("provider"))
    eid = r.json()["id"]
    assert r.json()["status"] == "indicated"
    # Not yet referred: not in the queue, and the NPS cannot decide it.
    assert client.get("/api/risk/escalations", headers=auth("risk")).json()["items"] == []
    r = client.post(f"/api/risk/escalations/{eid}/decision",
                    json={"decision": "keep_with_provider", "assessed_rosh": "low", "rationale": "x",
                          "planned_review_date": "2027-01-15"}, headers=auth("risk"))
    assert r.status_code == 409
    assert client.post(f"/api/risk/escalations/{eid}/refer", json={}, headers=auth("provider")).status_code == 200
    assert client.post(f"/api/risk/escalations/{eid}/refer", json={}, headers=auth("provider")).status_code == 409
    assert client.post(f"/api/risk/escalations/{eid}/action", json={"note": "x"},
                       headers=auth("provider")).status_code == 409
    # Another team cannot see the escalation at all.
    assert client.get(f"/api/risk/escalations/{eid}", headers=auth("om3")).status_code == 404
    # A second open escalation on the same case is refused.
    assert client.post(f"/api/cases/{cid}/risk-escalations", json=ESCALATION,
                       headers=auth("provider")).status_code == 409


def test_an_nps_case_is_not_referred_to_the_nps(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    r = client.post(f"/api/cases/{cid}/risk-escalations", json=ESCALATION, headers=auth("om1"))
    assert r.status_code == 409
    assert "not a contracted provider" in r.json()["detail"]


def test_the_offender_manager_is_told_of_the_nps_decision(client: TestClient, auth: Auth) -> None:
    # An unallocated NPS team member sees team notices; here the provider case's OM is S5 (no
    # practitioner login), so the notice row names S5 and team T3.
    cid = provider_case(client, auth)
    eid = refer(client, auth, cid)
    client.post(f"/api/risk/escalations/{eid}/decision",
                json={"decision": "keep_with_provider", "assessed_rosh": "medium", "rationale": "not high",
                      "planned_review_date": "2027-01-15"}, headers=auth("risk"))
    from probation.adapters.db.tables_protection import OffenderManagerNoticeRow

    with client.app.state.sessions() as s:  # type: ignore[attr-defined]
        notice = s.scalars(select(OffenderManagerNoticeRow)).one()
    assert (notice.staff_code, notice.team_code, notice.change) == ("S5", "T3", "nps_risk_decision_recorded")
    assert "2027-01-15" in notice.summary
