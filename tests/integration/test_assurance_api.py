"""Worklist and assurance through the API: scoping, roles, formats and suppression."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.factories import case_body

Auth = Callable[[str], dict[str, str]]


def _case(client: TestClient, auth: Auth, crn: str) -> int:
    r = client.post("/api/cases", json=case_body(person__crn=crn), headers=auth("admin"))
    assert r.status_code == 201, r.text
    cid = int(r.json()["case_id"])
    assert client.post(f"/api/cases/{cid}/allocate", json={"staff_code": "S1"}, headers=auth("om1")).status_code == 200
    return cid


def test_the_worklist_lists_overdue_first_for_the_practitioner_and_the_team(client: TestClient, auth: Auth) -> None:
    _case(client, auth, "A100001")
    r = client.get("/api/worklist", params={"scope": "mine", "as_of": "2026-12-31"}, headers=auth("om1"))
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items and items[0]["status"] == "overdue" and items[0]["crn"] == "A100001"
    statuses = [i["status"] for i in items]
    assert statuses == sorted(statuses, key=lambda s: s != "overdue")
    assert client.get("/api/worklist", params={"scope": "mine"}, headers=auth("om2")).json()["items"] == []
    team = client.get("/api/worklist", params={"scope": "team", "as_of": "2026-12-31"}, headers=auth("tm1"))
    assert team.status_code == 200 and team.json()["total"] == len(items)
    assert client.get("/api/worklist", headers=auth("commissioner")).status_code == 403


def test_assurance_is_for_commissioners_and_administrators_with_small_cells_suppressed(
        client: TestClient, auth: Auth) -> None:
    for n in range(3):
        _case(client, auth, f"A20000{n}")
    assert client.get("/api/assurance", headers=auth("om1")).status_code == 403
    r = client.get("/api/assurance", params={"as_of": "2026-12-31"}, headers=auth("commissioner"))
    assert r.status_code == 200, r.text
    body = r.json()
    allocation = next(x for x in body["rows"] if x["spec_id"] == "manage" and x["row"] == 3)
    assert allocation["applicable_cases"] == 3 and allocation["met"] == 3
    sex = [x for x in body["breakdowns"]["sex"] if x["spec_id"] == "manage" and x["row"] == 3]
    assert sex and all(x["suppressed"] and x["met"] is None for x in sex)
    provider = [x for x in body["breakdowns"]["organisation_code"] if x["row"] == 3 and x["spec_id"] == "manage"]
    assert provider[0]["met"] == 3 and not provider[0]["suppressed"]
    admin = client.get("/api/assurance", params={"as_of": "2026-12-31"}, headers=auth("admin")).json()
    assert not any(x["suppressed"] for x in admin["breakdowns"]["sex"])
    csv = client.get("/api/assurance", params={"format": "csv", "as_of": "2026-12-31"}, headers=auth("admin"))
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.startswith("breakdown,group,spec_id,row,applicable_cases")
    other = client.get("/api/assurance", params={"provider": "CRC-A"}, headers=auth("admin")).json()
    assert other["rows"] == []
    bad = client.get("/api/assurance", params={"from": "2026-12-31", "to": "2026-01-01"}, headers=auth("admin"))
    assert bad.status_code == 422
