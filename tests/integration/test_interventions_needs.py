"""Needs assessments over the sentence, change per person and the commissioners' summary."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.db.tables import CaseEventRow
from probation.adapters.db.tables_interventions import NeedsAssessmentRow
from tests.interventions_factories import Auth, add_plan, assessment, scores
from tests.protection_factories import history, nps_case, rosh_body


def counts(app: Any) -> tuple[int, int]:
    with app.state.sessions() as s:
        return (s.scalar(select(func.count()).select_from(CaseEventRow)) or 0,
                s.scalar(select(func.count()).select_from(NeedsAssessmentRow)) or 0)


def post(client: TestClient, auth: Auth, cid: int, body: dict[str, Any], user: str = "om1") -> Any:
    return client.post(f"/api/cases/{cid}/needs-assessments", json=body, headers=auth(user))


def test_needs_scored_at_start_and_review_show_the_change_in_each_need(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    add_plan(client, auth, cid)
    assert post(client, auth, cid, assessment("start", "2026-11-05")).status_code == 201
    r = post(client, auth, cid, assessment("review", "2026-11-20",
                                           scores=scores(2, accommodation=0, thinking_behaviour=1, finance=2)))
    assert r.status_code == 201, r.text
    assert r.json()["total"] == 17
    body = client.get(f"/api/cases/{cid}/needs", headers=auth("om1")).json()
    by_area = {c["need_area"]: c for c in body["changes"]}
    assert by_area["accommodation"] == {"need_area": "accommodation", "first": 2, "latest": 0, "change": -2,
                                        "direction": "reduced", "in_plan": True}
    assert by_area["thinking_behaviour"]["direction"] == "reduced" and by_area["thinking_behaviour"]["in_plan"]
    assert by_area["finance"]["direction"] == "unchanged" and not by_area["finance"]["in_plan"]
    assert body["plan_needs"] == "reduced"
    events = [e for e in history(client, auth) if e["kind"] == "needs_assessed"]
    assert [e["data"]["stage"] for e in events] == ["start", "review"]
    assert events[1]["data"]["rows"] == {"supervision": [11], "post_release": [6]}
    assert events[0]["occurred_at"].startswith("2026-11-05")


def test_a_score_outside_the_scale_is_refused_and_nothing_is_written(app: Any, client: TestClient,
                                                                      auth: Auth) -> None:
    cid = nps_case(client, auth)
    before = counts(app)
    for bad, field in ((3, "scores.accommodation"), (-1, "scores.accommodation")):
        r = post(client, auth, cid, assessment(scores=scores(1, accommodation=bad)))
        assert r.status_code == 422, r.text
        problem = r.json()
        assert "0-2 scale" in problem["detail"] and field in str(problem)
    missing = scores(1)
    del missing["attitudes"]
    r = post(client, auth, cid, assessment(scores=missing))
    assert r.status_code == 422 and "attitudes" in r.json()["detail"]
    r = post(client, auth, cid, assessment(scores={**scores(1), "gambling": 1}))
    assert r.status_code == 422 and "gambling" in r.json()["detail"]
    assert counts(app) == before


def test_assessments_run_start_then_reviews_then_one_end(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    assert post(client, auth, cid, assessment("review")).status_code == 409
    assert post(client, auth, cid, assessment("start", "2026-11-10")).status_code == 201
    assert post(client, auth, cid, assessment("start", "2026-11-11")).status_code == 409
    r = post(client, auth, cid, assessment("review", "2026-11-09"))
    assert r.status_code == 422 and "before the previous assessment" in r.json()["detail"]
    assert post(client, auth, cid, assessment("review", "2026-11-24")).status_code == 422  # after today
    assert post(client, auth, cid, assessment("end", "2026-11-20")).status_code == 201
    assert post(client, auth, cid, assessment("review", "2026-11-21")).status_code == 409


def test_commissioners_see_change_per_need_without_any_person_record(client: TestClient, auth: Auth) -> None:
    first = nps_case(client, auth)
    second = nps_case(client, auth, person__crn="B123456")
    for cid, later in ((first, scores(2, accommodation=0)), (second, scores(2, accommodation=2, finance=1))):
        assert post(client, auth, cid, assessment("start", "2026-11-05")).status_code == 201
        assert post(client, auth, cid, assessment("review", "2026-11-20", scores=later)).status_code == 201
    client.post(f"/api/cases/{first}/rosh-assessments", json=rosh_body(assessed_on="2026-11-05",
                levels={"public": "high"}), headers=auth("om1"))
    client.post(f"/api/cases/{first}/rosh-assessments", json=rosh_body(assessed_on="2026-11-20",
                levels={"public": "medium"}), headers=auth("om1"))
    r = client.get("/api/interventions/needs-summary", headers=auth("commissioner"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["cases_compared"] == 2 and body["rosh"] == {"reduced": 1, "unchanged": 0, "increased": 0}
    areas = {a["need_area"]: a for a in body["areas"]}
    assert areas["accommodation"] == {"need_area": "accommodation", "cases": 2, "reduced": 1, "unchanged": 1,
                                      "increased": 0, "mean_first": 2.0, "mean_latest": 1.0}
    assert areas["finance"]["reduced"] == 1
    assert "A123456" not in r.text and "B123456" not in r.text
    assert client.get("/api/interventions/needs-summary", headers=auth("om1")).status_code == 403
    assert client.get(f"/api/cases/{first}/needs", headers=auth("commissioner")).status_code == 403
