"""GET /api/cases/{id}/contact-level, and the contact rows following it, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from probation.adapters.clock import fixed_clock
from probation.app import create_app
from probation.config import Settings
from probation.domain.errors import InvalidValue
from tests.conftest import NOW
from tests.factories import PASSWORD, seed_reference
from tests.protection_factories import Auth, nps_case, rosh_body

AS_OF = {"as_of": "2026-11-23"}


LOW_OGRS3 = {"total_sanctions": 3, "age_at_first_sanction": 16, "offence_code": "027/00",
             "conviction_date": "2024-03-01", "follow_up_date": "2024-07-01"}  # band low


def assess_low_rosh(client: TestClient, auth: Auth, cid: int) -> None:
    r = client.post(f"/api/cases/{cid}/rosh-assessments",
                    json=rosh_body(levels={"public": "low", "known_adult": "low"}), headers=auth("om1"))
    assert r.status_code == 201, r.text


def score_low_ogrs3(client: TestClient, auth: Auth, cid: int) -> None:
    r = client.post(f"/api/cases/{cid}/ogrs3", headers=auth("om1"), json=LOW_OGRS3)
    assert r.status_code == 201 and r.json()["band"] == "low", r.text


def level(client: TestClient, auth: Auth, cid: int, user: str = "om1") -> dict[str, Any]:
    r = client.get(f"/api/cases/{cid}/contact-level", params=AS_OF, headers=auth(user))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def rar_row_1(client: TestClient, auth: Auth, cid: int) -> list[dict[str, Any]]:
    r = client.get(f"/api/cases/{cid}/obligations", params=AS_OF, headers=auth("om1"))
    assert r.status_code == 200, r.text
    return [o for o in r.json()["obligations"] if o["spec"] == "rar" and o["row"] == 1]


def test_an_unassessed_case_is_seen_weekly_and_says_why(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    body = level(client, auth, cid)
    assert (body["level"], body["interval_days"], body["enhanced"]) == ("weekly", 7, False)
    assert body["unknown"] == ["ogrs3_band", "rosh"]
    assert "not assessed" in body["reasons"][0]
    assert {"spec_id": "post_release", "row": 7} in body["level_rows"]
    # RAR from 2 November: weekly periods from 2, 9 and 16 November up to the 23rd (exclusive).
    assert [o["opens"] for o in rar_row_1(client, auth, cid)] == [
        "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]


def test_low_rosh_and_low_ogrs3_is_four_weekly_after_twelve_weekly_contacts(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth, person__date_of_birth="1999-06-15")
    assess_low_rosh(client, auth, cid)
    score_low_ogrs3(client, auth, cid)
    body = level(client, auth, cid)
    assert (body["level"], body["interval_days"], body["unknown"]) == ("four_weekly", 28, [])
    assert body["cell"] == {"rosh": "low", "ogrs3_band": "low", "level": "four_weekly"}
    assert body["initial"] == {"interval_days": 7, "days": 84}


def test_a_young_woman_is_told_enhanced_contact_is_not_commissioned(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth, allocate=False, person__date_of_birth="2002-01-01", person__sex="female")
    body = level(client, auth, cid)
    assert body["enhanced"] is False and body["contract"] == "national_minimum_only"
    assert body["not_commissioned"] == ["female", "young_adult"]


def test_unknown_cases_are_404_and_commissioners_403(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    assert client.get("/api/cases/999999/contact-level", headers=auth("om1")).status_code == 404
    assert client.get(f"/api/cases/{cid}/contact-level", headers=auth("commissioner")).status_code == 403
    bad = client.get(f"/api/cases/{cid}/contact-level", params={"as_of": "2026-13-01"}, headers=auth("om1"))
    assert bad.status_code == 422


def worklist_contact_items(client: TestClient, auth: Auth, as_of: str) -> list[dict[str, Any]]:
    r = client.get("/api/worklist", params={"as_of": as_of}, headers=auth("om1"))
    assert r.status_code == 200, r.text
    return [i for i in r.json()["items"] if (i["spec"], i["row"]) == ("rar", 1)]


def test_the_worklist_shows_the_contact_due_at_the_cases_level(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth)
    # Weekly (not assessed): the period opened on 23 November is due by its last day, the 29th;
    # the three earlier weeks had no appointment and are overdue.
    items = worklist_contact_items(client, auth, "2026-11-23")
    assert [(i["due"], i["status"]) for i in items] == [
        ("2026-11-08", "overdue"), ("2026-11-15", "overdue"), ("2026-11-22", "overdue"), ("2026-11-29", "due")]
    # Low RoSH and low OGRS3: weekly for the first twelve weeks from the start (2 November), then
    # four-weekly from 25 January 2027, so in March the open period runs 22 February to 21 March.
    assess_low_rosh(client, auth, cid)
    score_low_ogrs3(client, auth, cid)
    dues = [i["due"] for i in worklist_contact_items(client, auth, "2027-03-01")]
    assert dues[-4:] == ["2027-01-17", "2027-01-24", "2027-02-21", "2027-03-21"]
    assert len(dues) == 12 + 2


def test_a_configured_matrix_sets_the_level_and_a_bad_one_stops_start_up(db_url: str, tmp_path: Path) -> None:
    from probation.domain.contact_level import DEFAULT_MATRIX_FILE

    text = DEFAULT_MATRIX_FILE.read_text(encoding="utf-8")
    weekly_low = tmp_path / "matrix.yaml"
    weekly_low.write_text(text.replace("low:       {low: four_weekly,", "low:       {low: weekly,"), encoding="utf-8")
    app = create_app(Settings(database_url=db_url, env="test", contact_matrix=str(weekly_low)),
                     clock=fixed_clock(NOW))
    try:
        with app.state.sessions.begin() as session:
            seed_reference(session)
        with TestClient(app) as client:
            tokens = {u: client.post("/api/token", json={"username": u, "password": PASSWORD}).json()["access_token"]
                      for u in ("om1", "admin")}
            h = {"Authorization": f"Bearer {tokens['om1']}"}
            cid = nps_case(client, lambda u: {"Authorization": f"Bearer {tokens[u]}"})
            assert client.post(f"/api/cases/{cid}/rosh-assessments", headers=h,
                               json=rosh_body(levels={"public": "low", "known_adult": "low"})).status_code == 201
            assert client.post(f"/api/cases/{cid}/ogrs3", headers=h, json=LOW_OGRS3).status_code == 201
            body = level(client, lambda _u: h, cid)
            assert body["cell"] == {"rosh": "low", "ogrs3_band": "low", "level": "weekly"}
            assert body["interval_days"] == 7
    finally:
        app.state.engine.dispose()

    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("  weekly: 7\n", ""), encoding="utf-8")
    with pytest.raises(InvalidValue) as err:
        create_app(Settings(database_url=db_url, env="test", contact_matrix=str(broken)))
    assert "weekly" in str(err.value) and "not in levels" in str(err.value)
    create_app(Settings(database_url=db_url, env="test")).state.engine.dispose()  # back to the default


def test_a_risk_change_tells_the_offender_manager_the_level_of_contact(client: TestClient, auth: Auth) -> None:
    cid = nps_case(client, auth, person__date_of_birth="1990-06-15")
    assess_low_rosh(client, auth, cid)
    first = client.get("/api/me/notices", headers=auth("om1")).json()["items"][0]["summary"]
    # OGRS3 not yet scored: the most frequent level for low RoSH, never a guess of low likelihood.
    assert first.endswith("RoSH low on 2026-11-20. Level of contact: fortnightly (at most 14 days between contacts).")
    score_low_ogrs3(client, auth, cid)
    latest = client.get("/api/me/notices", headers=auth("om1")).json()["items"][0]
    assert latest["change"] == "reoffending_predictor_scored"
    assert "Level of contact: four weekly (at most 28 days" in latest["summary"]
