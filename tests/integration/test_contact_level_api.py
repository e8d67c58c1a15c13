"""GET /api/cases/{id}/contact-level, and the contact rows following it, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.protection_factories import Auth, nps_case, rosh_body

AS_OF = {"as_of": "2026-11-23"}


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
    r = client.post(f"/api/cases/{cid}/rosh-assessments",
                    json=rosh_body(levels={"public": "low", "known_adult": "low"}), headers=auth("om1"))
    assert r.status_code == 201, r.text
    r = client.post(f"/api/cases/{cid}/ogrs3", headers=auth("om1"), json={
        "total_sanctions": 3, "age_at_first_sanction": 16, "offence_code": "027/00",
        "conviction_date": "2024-03-01", "follow_up_date": "2024-07-01"})
    assert r.status_code == 201 and r.json()["band"] == "low", r.text
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
