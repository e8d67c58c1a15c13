"""Commissioned options offered to the cases that qualify, and structured sessions."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.db.tables import CaseEventRow
from probation.api.interventions import get_contract
from probation.catalogue import load_catalogue
from probation.catalogue.models import Contract
from tests.interventions_factories import Auth, woman_case
from tests.protection_factories import history, nps_case


def everything() -> Contract:
    return Contract(contract_id="all_options", provider="test", rule_overrides={}, timescale_overrides={},
                    commissioned_options=load_catalogue().option_ids)


def events(app: Any) -> int:
    with app.state.sessions() as s:
        return s.scalar(select(func.count()).select_from(CaseEventRow)) or 0


def offer(client: TestClient, auth: Auth, cid: int, option: str, **extra: Any) -> Any:
    return client.post(f"/api/cases/{cid}/options", json={"option_id": option, "offered_on": "2026-11-20",
                                                          **extra}, headers=auth("om1"))


def test_a_woman_is_offered_enhanced_contact_under_the_default_contract(client: TestClient, auth: Auth) -> None:
    cid = woman_case(client, auth)
    listed = {o["option_id"]: o for o in client.get(f"/api/cases/{cid}/options", headers=auth("om1")).json()["items"]}
    assert listed["supervision.women_enhanced_contact"]["commissioned"]
    assert listed["supervision.women_enhanced_contact"]["qualifies"]
    assert not listed["supervision.compliance_programme"]["commissioned"]
    r = offer(client, auth, cid, "supervision.women_enhanced_contact")
    assert r.status_code == 201, r.text
    oid = r.json()["id"]
    r = client.post(f"/api/cases/{cid}/options/{oid}/status", json={"status": "taken_up", "on": "2026-11-21"},
                    headers=auth("om1"))
    assert r.status_code == 200 and r.json()["status"] == "taken_up"
    kinds = [e for e in history(client, auth) if e["kind"] in ("option_offered", "option_updated")]
    assert kinds[0]["data"]["rows"] == {"supervision": [22]} and kinds[1]["data"]["status"] == "taken_up"


def test_an_option_not_commissioned_or_not_qualifying_is_refused(app: Any, client: TestClient,
                                                                 auth: Auth) -> None:
    cid = nps_case(client, auth)  # a man aged 36 with no warnings
    before = events(app)
    r = offer(client, auth, cid, "supervision.compliance_programme")
    assert r.status_code == 409 and "not commissioned under contract default" in r.json()["detail"]
    r = offer(client, auth, cid, "supervision.women_enhanced_contact")
    assert r.status_code == 409 and "for women" in r.json()["detail"]
    r = offer(client, auth, cid, "supervision.mentoring")
    assert r.status_code == 409 and "not in a vulnerable group" in r.json()["detail"]
    r = offer(client, auth, cid, "supervision.mentoring", groups=["vulnerable_adult"])
    assert r.status_code == 422 and "without a reason" in r.json()["detail"]
    assert offer(client, auth, cid, "supervision.knitting").status_code == 422
    assert events(app) == before
    r = offer(client, auth, cid, "supervision.mentoring", groups=["vulnerable_adult"], reason="learning disability")
    assert r.status_code == 201, r.text
    assert "vulnerable_adult" in r.json()["qualification"]
    assert offer(client, auth, cid, "supervision.mentoring", groups=["vulnerable_adult"],
                 reason="again").status_code == 409


def test_mentoring_taken_up_records_the_mentor_assigned_evidence(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth, person__date_of_birth="2004-01-10")  # 22: a young adult
    r = offer(client, auth, cid, "supervision.mentoring")
    assert r.status_code == 201 and "young_adult" in r.json()["qualification"]
    url = f"/api/cases/{cid}/options/{r.json()['id']}/status"
    assert client.post(url, json={"status": "completed", "on": "2026-11-21"}, headers=auth("om1")).status_code == 409
    assert client.post(url, json={"status": "taken_up", "on": "2026-11-21"}, headers=auth("om1")).status_code == 200
    r = client.post(url, json={"status": "completed", "on": "2026-11-22"}, headers=auth("om1"))
    assert r.status_code == 200 and [h["status"] for h in r.json()["history"]] == ["offered", "taken_up", "completed"]
    kinds = [e["kind"] for e in history(client, auth)]
    assert kinds.count("mentor_assigned") == 1


def test_the_compliance_programme_goes_to_cases_with_a_warning_in_the_last_year(app: Any, client: TestClient,
                                                                               auth: Auth) -> None:
    app.dependency_overrides[get_contract] = everything
    cid = nps_case(client, auth)
    r = offer(client, auth, cid, "supervision.compliance_programme")
    assert r.status_code == 409 and "not at risk of enforcement" in r.json()["detail"]
    from datetime import date

    from probation.adapters.db.tables_delivery import EnforcementActionRow
    with app.state.sessions.begin() as s:
        s.add(EnforcementActionRow(case_id=cid, action="warning_letter", failure_day=date(2026, 11, 10),
                                   decided_on=date(2026, 11, 11), decided_by="om1"))
    r = offer(client, auth, cid, "supervision.compliance_programme")
    assert r.status_code == 201 and "1 warning(s)" in r.json()["qualification"]
    r = client.post(f"/api/cases/{cid}/options/{r.json()['id']}/status",
                    json={"status": "taken_up", "on": "2026-11-21"}, headers=auth("om1"))
    assert r.status_code == 200
    started = [e for e in history(client, auth) if e["kind"] == "compliance_programme_started"]
    assert started and started[0]["data"]["rows"] == {"supervision": [18]}


def test_structured_sessions_record_what_was_covered_and_the_response(app: Any, client: TestClient,
                                                                      auth: Auth) -> None:
    cid = nps_case(client, auth)
    plans = client.get("/api/structured-session-plans", headers=auth("om1")).json()["items"]
    victim = next(p for p in plans if p["topic"] == "victim_awareness")["sessions"][0]
    body = {"topic": "victim_awareness", "number": 1, "delivered_on": "2026-11-20",
            "covered": victim["items"][:2], "response": "engaged"}
    r = client.post(f"/api/cases/{cid}/structured-sessions", json=body, headers=auth("om1"))
    assert r.status_code == 201, r.text
    ev = [e for e in history(client, auth) if e["kind"] == "structured_session_delivered"][0]
    assert ev["data"]["topic"] == "victim_awareness" and ev["data"]["rows"] == {"supervision": [9, 19]}
    before = events(app)
    for bad, words in (({"number": 9}, "no session 9"), ({"covered": ["juggling"]}, "not in session 1"),
                       ({"covered": []}, "covered nothing"), ({"response": "not_engaged"}, "without notes"),
                       ({"topic": "astrology"}, "not known"), ({"delivered_on": "2026-12-01"}, "after today")):
        r = client.post(f"/api/cases/{cid}/structured-sessions", json={**body, **bad}, headers=auth("om1"))
        assert r.status_code == 422 and words in r.json()["detail"], (bad, r.text)
    assert events(app) == before
    listed = client.get(f"/api/cases/{cid}/structured-sessions", headers=auth("om1")).json()
    assert listed["coverage"] == {"victim_awareness": {"delivered": 1, "of": 3}}
