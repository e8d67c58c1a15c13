"""RoSH, OGRS3, registers and offender manager notices through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.db.tables import CaseEventRow
from probation.adapters.db.tables_protection import RegisterEntryRow, RoshAssessmentRow
from tests.protection_factories import Auth, history, nps_case, provider_case, rosh_body


def counts(app: Any) -> tuple[int, int, int]:
    with app.state.sessions() as s:
        return (s.scalar(select(func.count()).select_from(CaseEventRow)) or 0,
                s.scalar(select(func.count()).select_from(RoshAssessmentRow)) or 0,
                s.scalar(select(func.count()).select_from(RegisterEntryRow)) or 0)


def test_a_rosh_assessment_is_recorded_with_its_event_history_and_a_notice(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    r = client.post(f"/api/cases/{cid}/rosh-assessments", json=rosh_body(), headers=auth("om1"))
    assert r.status_code == 201, r.text
    assert r.json()["rosh"] == "medium"
    r = client.post(f"/api/cases/{cid}/rosh-assessments",
                    json=rosh_body(assessed_on="2026-11-23", levels={"children": "very_high", "public": "high"}),
                    headers=auth("om1"))
    assert r.status_code == 201 and r.json()["rosh"] == "very_high"
    risk = client.get(f"/api/cases/{cid}/risk", headers=auth("om1")).json()
    assert risk["rosh"] == "very_high" and risk["responsible"] == "nps_region"
    assert [a["rosh"] for a in risk["rosh_history"]] == ["medium", "very_high"]
    events = [e for e in history(client, auth) if e["kind"] == "rosh_assessed"]
    assert events[-1]["data"]["previous_rosh"] == "medium"
    assert events[-1]["data"]["changed"] is True and events[-1]["data"]["escalated"] is True
    notices = client.get("/api/me/notices", headers=auth("om1")).json()["items"]
    assert notices[0]["change"] == "rosh_assessed" and "very high (was medium)" in notices[0]["summary"]
    assert notices[0]["read"] is False


def test_an_escalated_rosh_on_a_provider_case_says_the_nps_should_manage_it(client: TestClient, auth: Auth) -> None:
    cid = provider_case(client, auth)
    r = client.post(f"/api/cases/{cid}/rosh-assessments", json=rosh_body(levels={"public": "high"}),
                    headers=auth("admin"))
    assert r.status_code == 201
    event = [e for e in history(client, auth, "admin") if e["kind"] == "rosh_assessed"][-1]
    assert event["data"]["needs_nps"] is True and event["data"]["managed_by"] == "contracted_provider"


def test_bad_rosh_input_is_refused_and_writes_nothing(client: TestClient, auth: Auth, app: Any) -> None:
    cid = nps_case(client, auth)
    before = counts(app)
    cases = [
        (rosh_body(assessed_on="2026-11-24"), "assessed_on"),          # tomorrow
        (rosh_body(assessed_on="1980-01-01"), "assessed_on"),          # before birth
        (rosh_body(levels={"public": "severe"}), "levels.public"),
        (rosh_body(levels={"neighbours": "low"}), "levels"),
        (rosh_body(assessor="  "), "assessor"),
    ]
    for body, field in cases:
        r = client.post(f"/api/cases/{cid}/rosh-assessments", json=body, headers=auth("om1"))
        assert r.status_code == 422, (body, r.text)
        assert r.json()["errors"][0]["field"] == field, r.text
    r = client.post(f"/api/cases/{cid}/rosh-assessments", json=rosh_body(assessed_on="2026-02-30"),
                    headers=auth("om1"))
    assert r.status_code == 422
    assert counts(app) == before


def test_ogrs3_is_scored_from_the_person_and_case_and_kept_with_its_model(client: TestClient, auth: Auth) -> None:
    # The docs/RISK.md worked example: male born 1999-06-15, convicted 2024-03-01, follow-up 2024-07-01.
    cid = nps_case(client, auth, person__date_of_birth="1999-06-15")
    body = {"total_sanctions": 3, "age_at_first_sanction": 16, "offence_code": "027/00",
            "conviction_date": "2024-03-01", "follow_up_date": "2024-07-01"}
    r = client.post(f"/api/cases/{cid}/ogrs3", json=body, headers=auth("om1"))
    assert r.status_code == 201, r.text
    out = r.json()
    assert (out["one_year"], out["two_year"], out["band"]) == (31, 48, "low")
    assert (out["model"], out["version"]) == ("ogrs3", "3.0")
    assert out["inputs"]["offence_code"] == "02700" and out["inputs"]["sex"] == "male"
    risk = client.get(f"/api/cases/{cid}/risk", headers=auth("om1")).json()
    assert risk["latest_scores"]["ogrs3"]["two_year"] == 48
    assert any(e["kind"] == "reoffending_predictor_scored" for e in history(client, auth))


def test_ogrs3_refuses_unknown_and_group_offence_codes_and_impossible_ages(client: TestClient, auth: Auth,
                                                                           app: Any) -> None:
    cid = nps_case(client, auth)
    before = counts(app)
    base = {"total_sanctions": 3, "age_at_first_sanction": 16}
    for body, field in [({**base, "offence_code": "99999"}, "offence_code"),
                        ({**base, "offence_code": "950/00"}, "offence_code"),
                        ({**base, "offence_code": "ABC"}, "offence_code"),
                        ({**base, "age_at_first_sanction": 8}, "first_sanction_age"),
                        ({**base, "age_at_first_sanction": 60}, "first_sanction_age"),
                        ({**base, "total_sanctions": 0}, "sanctions"),
                        ({**base, "conviction_date": "2027-01-01"}, "conviction_date"),
                        ({**base, "model_version": "9.9"}, "model")]:
        r = client.post(f"/api/cases/{cid}/ogrs3", json=body, headers=auth("om1"))
        assert r.status_code in (404, 422), (body, r.text)
        assert r.json()["errors"][0]["field"] == field, (body, r.text)
    assert counts(app) == before


def test_a_mappa_registration_needs_category_and_level_and_makes_the_case_the_npss(client: TestClient,
                                                                                  auth: Auth, app: Any) -> None:
    cid = nps_case(client, auth)
    before = counts(app)
    r = client.post(f"/api/cases/{cid}/registers", json={"register": "mappa", "start_date": "2026-11-10"},
                    headers=auth("om1"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "category"
    r = client.post(f"/api/cases/{cid}/registers",
                    json={"register": "mappa", "start_date": "2026-11-10", "category": 4, "level": 1},
                    headers=auth("om1"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "category"
    r = client.post(f"/api/cases/{cid}/registers",
                    json={"register": "visor", "start_date": "2026-11-10", "category": 1}, headers=auth("om1"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "category"
    r = client.post(f"/api/cases/{cid}/registers",
                    json={"register": "marac", "start_date": "2026-11-10", "review_date": "2026-11-09"},
                    headers=auth("om1"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "review_date"
    r = client.post(f"/api/cases/{cid}/registers",
                    json={"register": "marac", "start_date": "2026-11-10", "end_date": "2026-11-10"},
                    headers=auth("om1"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "end_date"
    r = client.post(f"/api/cases/{cid}/registers", json={"register": "gang", "start_date": "2026-11-10"},
                    headers=auth("om1"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "register"
    assert counts(app) == before

    r = client.post(f"/api/cases/{cid}/registers",
                    json={"register": "mappa", "start_date": "2026-11-10", "category": 2, "level": 2,
                          "review_date": "2027-02-10"}, headers=auth("om1"))
    assert r.status_code == 201, r.text
    risk = client.get(f"/api/cases/{cid}/risk", headers=auth("om1")).json()
    assert risk["mappa"] is True and risk["active_registers"] == ["mappa"]
    assert risk["responsible"] == "nps_region"
    event = [e for e in history(client, auth) if e["kind"] == "register_added"][-1]
    assert event["data"]["register"] == "mappa" and event["data"]["category"] == 2
    r = client.post(f"/api/cases/{cid}/registers",
                    json={"register": "mappa", "start_date": "2026-11-12", "category": 1, "level": 1},
                    headers=auth("om1"))
    assert r.status_code == 409


def test_registers_are_reviewed_and_ended_with_events_and_notices(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    r = client.post(f"/api/cases/{cid}/registers",
                    json={"register": "domestic_abuse_perpetrator", "start_date": "2026-11-03"}, headers=auth("om1"))
    rid = r.json()["id"]
    risk = client.get(f"/api/cases/{cid}/risk", headers=auth("om1")).json()
    assert risk["agencies_to_notify"] == ["police"]
    r = client.post(f"/api/cases/{cid}/registers/{rid}/review",
                    json={"reviewed_on": "2026-11-20", "next_review_date": "2027-02-20"}, headers=auth("om1"))
    assert r.status_code == 200 and r.json()["review_date"] == "2027-02-20"
    r = client.post(f"/api/cases/{cid}/registers/{rid}/end", json={"end_date": "2026-11-02", "reason": "x"},
                    headers=auth("om1"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "end_date"
    r = client.post(f"/api/cases/{cid}/registers/{rid}/end",
                    json={"end_date": "2026-11-23", "reason": "MARAC closed the case"}, headers=auth("om1"))
    assert r.status_code == 200 and r.json()["end_date"] == "2026-11-23"
    assert client.get(f"/api/cases/{cid}/risk", headers=auth("om1")).json()["active_registers"] == []
    kinds = [e["data"].get("action") for e in history(client, auth) if e["kind"] == "registers_reviewed"]
    assert kinds == ["reviewed", "ended"]
    changes = [n["change"] for n in client.get("/api/me/notices", headers=auth("om1")).json()["items"]]
    assert changes == ["registers_reviewed", "register_added"]


def test_the_scheme_check_records_which_schemes_cover_the_person(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    r = client.post(f"/api/cases/{cid}/scheme-checks",
                    json={"checked_on": "2026-11-20", "schemes_checked": ["mappa", "ppo", "iom", "marac"]},
                    headers=auth("om1"))
    assert r.status_code == 201 and r.json()["active_registers"] == []
    event = [e for e in history(client, auth) if e["kind"] == "registers_reviewed"][-1]
    assert event["data"]["schemes_checked"] == ["iom", "mappa", "marac", "ppo"]


def test_notices_are_read_only_by_their_offender_manager(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    client.post(f"/api/cases/{cid}/rosh-assessments", json=rosh_body(), headers=auth("om1"))
    notice = client.get("/api/me/notices?unread=true", headers=auth("om1")).json()["items"][0]
    assert client.post(f"/api/me/notices/{notice['id']}/read", json={}, headers=auth("om3")).status_code == 404
    assert client.get("/api/me/notices", headers=auth("om3")).json()["items"] == []
    r = client.post(f"/api/me/notices/{notice['id']}/read", json={}, headers=auth("om1"))
    assert r.status_code == 200 and r.json()["read"] is True
    assert client.get("/api/me/notices?unread=true", headers=auth("om1")).json()["items"] == []
    assert client.get("/api/me/notices", headers=auth("commissioner")).status_code == 403


def test_protection_records_are_hidden_from_other_teams_and_refused_to_readers(client: TestClient,
                                                                               auth: Auth) -> None:
    cid = nps_case(client, auth)
    assert client.get(f"/api/cases/{cid}/risk", headers=auth("om3")).status_code == 404
    assert client.post(f"/api/cases/{cid}/rosh-assessments", json=rosh_body(),
                       headers=auth("om3")).status_code == 404
    assert client.post(f"/api/cases/{cid}/rosh-assessments", json=rosh_body(),
                       headers=auth("police")).status_code == 403
    # The NPS risk team may assess RoSH on any case.
    assert client.post(f"/api/cases/{cid}/rosh-assessments", json=rosh_body(),
                       headers=auth("risk")).status_code == 201


def test_the_obligations_hook_sees_each_risk_change_and_can_refuse_it(client: TestClient, auth: Auth,
                                                                      app: Any) -> None:
    from probation.domain.errors import Conflict
    from probation.services.protection import notices as protection_notices

    seen: list[protection_notices.RiskChange] = []

    def recompute(session: Any, change: protection_notices.RiskChange) -> None:
        seen.append(change)

    def refuse(session: Any, change: protection_notices.RiskChange) -> None:
        raise Conflict("engine says no", field="case_id", value=change.case_id, rule="test hook")

    cid = nps_case(client, auth)
    protection_notices.on_risk_change(recompute)
    try:
        client.post(f"/api/cases/{cid}/rosh-assessments", json=rosh_body(), headers=auth("om1"))
    finally:
        protection_notices.remove_hook(recompute)
    assert [(c.case_id, c.events[0].kind.value, c.events[0].data["rosh"]) for c in seen] == [
        (cid, "rosh_assessed", "medium")]
    before = counts(app)
    protection_notices.on_risk_change(refuse)
    try:
        r = client.post(f"/api/cases/{cid}/rosh-assessments", json=rosh_body(), headers=auth("om1"))
    finally:
        protection_notices.remove_hook(refuse)
    assert r.status_code == 409 and counts(app) == before
