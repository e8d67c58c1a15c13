"""The case lifecycle through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.db.tables import AuditRow, CaseEventRow, CaseRow, PersonRow
from tests.factories import case_body

Auth = Callable[[str], dict[str, str]]


def create(client: TestClient, auth: Auth, user: str = "admin", **overrides: Any) -> dict[str, Any]:
    """A case for the person of `case_body`: an administrator registers them under its CRN; a
    practitioner (who may only name a person they can see) sends `person__crn=None`."""
    r = client.post("/api/cases", json=case_body(**overrides), headers=auth(user))
    assert r.status_code == 201, r.text
    return r.json()


def counts(app: Any) -> tuple[int, int, int]:
    with app.state.sessions() as s:
        return (s.scalar(select(func.count()).select_from(PersonRow)) or 0,
                s.scalar(select(func.count()).select_from(CaseRow)) or 0,
                s.scalar(select(func.count()).select_from(CaseEventRow)) or 0)


def test_health_reports_the_database(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_a_case_created_from_a_court_outcome_is_recorded_with_its_first_event(client: TestClient, auth: Auth) -> None:
    created = create(client, auth, "om1", person__crn=None)
    r = client.get(f"/api/people/{created['crn']}", headers=auth("om1"))
    assert r.status_code == 200
    case = r.json()["cases"][0]
    assert case["sentence"]["end_date"] == "2027-11-02"
    assert case["sentence"]["requirements"][0]["max_days"] == 20
    assert [e["kind"] for e in case["history"]] == ["case_created"]
    assert case["history"][0]["actor"] == "om1"


def test_the_full_lifecycle_appends_one_event_per_change(client: TestClient, auth: Auth) -> None:
    cid = create(client, auth)["case_id"]
    h = auth("om1")
    steps = [("notify-agencies", {"agencies": ["POL-WY"]}), ("allocate", {"staff_code": "S1"}),
             ("induction", {"understood": {"sentence": True, "obligations": True, "rights": True,
                                           "consequences": True}}),
             ("transfer", {"to_team_code": "T2", "to_court_code": "BFDCC", "reason": "moved to Bradford"})]
    for name, body in steps:
        r = client.post(f"/api/cases/{cid}/{name}", json=body, headers=h)
        assert r.status_code == 200, (name, r.text)
    r = client.post(f"/api/cases/{cid}/accept-transfer", json={"staff_code": "S3"}, headers=auth("om3"))
    assert r.status_code == 200, r.text
    assert r.json()["team_code"] == "T2" and r.json()["court_code"] == "BFDCC"
    # The old team no longer sees the case; the new one does.
    assert client.get("/api/people/A123456", headers=auth("om1")).status_code == 404
    r = client.get("/api/people/A123456", headers=auth("om3"))
    kinds = [e["kind"] for e in r.json()["cases"][0]["history"]]
    assert kinds == ["case_created", "agencies_notified", "allocated", "induction_completed", "transfer_requested",
                     "transfer_accepted", "jurisdiction_changed"]
    r = client.post(f"/api/cases/{cid}/terminate", json={"reason": "revoked_early", "on": "2026-11-20",
                                                          "note": "good progress"}, headers=auth("om3"))
    assert r.status_code == 200 and r.json()["status"] == "terminated"
    r = client.post(f"/api/cases/{cid}/close", json={}, headers=auth("om3"))
    assert r.status_code == 200 and r.json()["status"] == "closed"


def test_a_woman_must_be_offered_a_female_offender_manager_before_allocation(client: TestClient, auth: Auth) -> None:
    cid = create(client, auth, person__sex="female", person__first_name="Ann")["case_id"]
    h = auth("om1")
    r = client.post(f"/api/cases/{cid}/allocate", json={"staff_code": "S2"}, headers=h)
    assert r.status_code == 409
    assert "female offender manager" in r.json()["detail"]
    r = client.post(f"/api/cases/{cid}/female-options", json={"female_offender_manager_accepted": True,
                                                               "female_only_environment_accepted": False}, headers=h)
    assert r.status_code == 200
    r = client.post(f"/api/cases/{cid}/allocate", json={"staff_code": "S1"}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "staff_code"
    r = client.post(f"/api/cases/{cid}/allocate", json={"staff_code": "S2"}, headers=h)
    assert r.status_code == 200 and r.json()["offender_manager_code"] == "S2"


def test_a_stale_version_is_refused_and_changes_nothing(client: TestClient, auth: Auth, app: Any) -> None:
    cid = create(client, auth)["case_id"]
    h = auth("om1")
    first = client.post(f"/api/cases/{cid}/allocate", json={"staff_code": "S1", "version": 1}, headers=h)
    assert first.status_code == 200 and first.json()["version"] == 2
    before = counts(app)
    r = client.post(f"/api/cases/{cid}/allocate", json={"staff_code": "S2", "version": 1}, headers=h)
    assert r.status_code == 409
    assert r.json()["errors"][0]["field"] == "version"
    assert counts(app) == before


def test_concurrent_sessions_cannot_overwrite_each_other(app: Any) -> None:
    """Two sessions load the same case; the second to save fails instead of silently overwriting."""
    from datetime import UTC, datetime

    from probation.domain.errors import Conflict
    from probation.domain.roles import Role
    from probation.services import cases
    from probation.services.context import Actor
    from tests.factories import community_order, person

    now = datetime(2026, 11, 23, 10, tzinfo=UTC)
    admin = Actor(username="admin", role=Role.ADMINISTRATOR)
    with app.state.sessions.begin() as s:
        cid = cases.create_case(s, admin, person=person(), sentence=community_order(), court_code="LDSMC",
                                organisation_code="NPS-NE", team_code="T1", now=now)
    first, second = app.state.sessions(), app.state.sessions()
    first.begin()
    second.begin()
    cases.apply(first, admin, cid, "allocate", {"staff_code": "S1"}, now=now)
    first.commit()
    import pytest

    with pytest.raises(Conflict):
        # The second session read version 1 before the first committed (it loads now; emulate the
        # race by pinning the version it believes it has).
        cases.apply(second, admin, cid, "allocate", {"staff_code": "S2"}, now=now, expected_version=1)
    second.rollback()
    first.close()
    second.close()
    with app.state.sessions() as s:
        assert s.get(CaseRow, cid).offender_manager_code == "S1"


def test_invalid_sentences_are_rejected_with_the_field_the_value_and_the_rule(client: TestClient, auth: Auth,
                                                                                app: Any) -> None:
    before = counts(app)
    cases_ = [
        ({"sentence__length_months": 40}, "length_months", "3 years"),
        ({"sentence__requirements": []}, "requirements", "at least one requirement"),
        ({"sentence__requirements": [{"type": "exclusion", "start_date": "2026-11-02", "length_months": 30,
                                       "places": ["Leeds city centre"]}]}, "length_months", "2-year"),
        ({"sentence__type": "suspended_sentence_order", "sentence__length_months": None,
          "sentence__custodial_term_days": 180, "sentence__operational_period_months": 3,
          "sentence__supervision_period_months": 3}, "operational_period_months", "6 months to 2 years"),
        ({"sentence__offence": {"code": "ABC"}}, "offence.code", "Home Office"),
        ({"person__date_of_birth": "2015-01-01"}, "date_of_birth", "18"),
        ({"court_code": "NOPE"}, "court_code", "exist"),
    ]
    for overrides, field, rule_words in cases_:
        r = client.post("/api/cases", json=case_body(**overrides), headers=auth("om1"))
        assert 400 <= r.status_code < 500, (overrides, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        err = r.json()["errors"][0]
        assert err["field"] == field, (overrides, err)
        assert rule_words in (err.get("rule", "") + err["message"]), (overrides, err)
    assert counts(app) == before


def test_malformed_json_wrong_types_and_unknown_enums_get_422_not_500(client: TestClient, auth: Auth) -> None:
    h = {**auth("om1"), "content-type": "application/json"}
    assert client.post("/api/cases", content=b"{not json", headers=h).status_code == 422
    r = client.post("/api/cases", json=case_body(sentence__type="life_sentence"), headers=auth("om1"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "sentence.type"
    r = client.post("/api/cases", json=case_body(sentence__length_months="twelve"), headers=auth("om1"))
    assert r.status_code == 422
    r = client.post("/api/cases", json={**case_body(), "surprise": 1}, headers=auth("om1"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "surprise"


def test_commands_in_the_wrong_state_are_conflicts(client: TestClient, auth: Auth) -> None:
    cid = create(client, auth)["case_id"]
    h = auth("om1")
    assert client.post(f"/api/cases/{cid}/close", json={}, headers=h).status_code == 409
    r = client.post(f"/api/cases/{cid}/induction", json={"understood": {"sentence": True, "obligations": True,
                                                                         "rights": True, "consequences": True}},
                    headers=h)
    assert r.status_code == 422 and "offender manager" in r.json()["detail"]
    assert client.post(f"/api/cases/{cid}/terminate", json={"reason": "completed", "on": "2026-11-20"},
                       headers=h).status_code == 422


def test_practitioners_see_their_team_only_and_restricted_cases_only_when_named(client: TestClient,
                                                                               auth: Auth) -> None:
    cid = create(client, auth)["case_id"]
    assert client.get("/api/people/A123456", headers=auth("om2")).status_code == 200  # same team
    assert client.get("/api/people/A123456", headers=auth("om3")).status_code == 404  # other team
    assert client.get("/api/people/A123456", headers=auth("commissioner")).status_code == 403
    assert client.get("/api/people/A123456", headers=auth("police")).status_code == 403
    client.post(f"/api/cases/{cid}/allocate", json={"staff_code": "S1"}, headers=auth("om1"))
    r = client.post(f"/api/cases/{cid}/restriction", json={"restricted": True, "staff_codes": [],
                                                            "reason": "staff member's relative"},
                    headers=auth("om1"))
    assert r.status_code == 200
    assert client.get("/api/people/A123456", headers=auth("om1")).status_code == 200
    assert client.get("/api/people/A123456", headers=auth("om2")).status_code == 404
    assert client.get("/api/caseload?scope=all", headers=auth("om2")).json()["total"] == 0
    assert client.get("/api/people/A123456", headers=auth("admin")).status_code == 404


def test_commissioners_cannot_create_or_change_cases(client: TestClient, auth: Auth, app: Any) -> None:
    before = counts(app)
    r = client.post("/api/cases", json=case_body(), headers=auth("commissioner"))
    assert r.status_code == 403
    assert counts(app) == before


def test_caseload_is_paginated_and_searchable(client: TestClient, auth: Auth) -> None:
    for i, name in enumerate(["Adams", "Baker", "Clark"]):
        create(client, auth, person__crn=f"B00000{i}", person__last_name=name)
    r = client.get("/api/caseload?scope=all&size=2", headers=auth("om1")).json()
    assert r["total"] == 3 and r["pages"] == 2 and [i["name"] for i in r["items"]] == ["Jo Adams", "Jo Baker"]
    r = client.get("/api/caseload?scope=all&size=2&page=2", headers=auth("om1")).json()
    assert [i["name"] for i in r["items"]] == ["Jo Clark"]
    assert client.get("/api/caseload?scope=all&q=bak", headers=auth("om1")).json()["total"] == 1
    assert client.get("/api/caseload?scope=all&q=B000002", headers=auth("om1")).json()["items"][0]["name"] == "Jo Clark"
    assert client.get("/api/caseload?size=0", headers=auth("om1")).status_code == 422


def test_every_read_and_write_of_a_record_is_audited(client: TestClient, auth: Auth, app: Any) -> None:
    crn = create(client, auth, "om1", person__crn=None)["crn"]
    client.get(f"/api/people/{crn}", headers=auth("om2"))
    with app.state.sessions() as s:
        rows = [(r.username, r.action, r.subject) for r in s.scalars(select(AuditRow).order_by(AuditRow.id))]
    assert ("om1", "write", crn) in rows
    assert ("om2", "read", crn) in rows
    r = client.get(f"/api/audit?subject={crn}", headers=auth("admin"))
    assert r.status_code == 200 and {i["action"] for i in r.json()["items"]} == {"read", "write"}
    assert client.get("/api/audit", headers=auth("om1")).status_code == 403


def test_requests_without_a_valid_token_are_refused(client: TestClient) -> None:
    assert client.get("/api/caseload").status_code == 401
    assert client.get("/api/caseload", headers={"Authorization": "Bearer forged"}).status_code == 401
    assert client.post("/api/token", json={"username": "om1", "password": "wrong"}).status_code == 401
