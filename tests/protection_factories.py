"""Helpers for the protection tests: cases at the NPS and at a contracted provider, bodies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.factories import case_body

Auth = Callable[[str], dict[str, str]]


def nps_case(client: TestClient, auth: Auth, *, allocate: bool = True, **overrides: Any) -> int:
    """An NPS North East case in team T1 for the person of `case_body` (registered under its CRN by
    an administrator), allocated to S1 by om1."""
    r = client.post("/api/cases", json=case_body(**overrides), headers=auth("admin"))
    assert r.status_code == 201, r.text
    cid: int = r.json()["case_id"]
    if allocate:
        r = client.post(f"/api/cases/{cid}/allocate", json={"staff_code": "S1"}, headers=auth("om1"))
        assert r.status_code == 200, r.text
    return cid


def provider_case(client: TestClient, auth: Auth, **overrides: Any) -> int:
    """A contracted provider's case (CRC-A, team T3), created by an administrator."""
    body = case_body(organisation_code="CRC-A", team_code="T3", **overrides)
    r = client.post("/api/cases", json=body, headers=auth("admin"))
    assert r.status_code == 201, r.text
    cid: int = r.json()["case_id"]
    r = client.post(f"/api/cases/{cid}/allocate", json={"staff_code": "S5"}, headers=auth("admin"))
    assert r.status_code == 200, r.text
    return cid


def rosh_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"assessed_on": "2026-11-20", "assessor": "Alan Ash",
                            "levels": {"public": "medium", "known_adult": "low"}}
    body.update(overrides)
    return body


def plan_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "completed_on": "2026-11-20", "agreed": True,
        "objectives": [
            {"description": "Complete thinking skills work", "requirement": "rehabilitation_activity"},
            {"description": "Find settled accommodation", "need_area": "accommodation"},
        ]}
    body.update(overrides)
    return body


def history(client: TestClient, auth: Auth, user: str = "om1", crn: str = "A123456") -> list[dict[str, Any]]:
    r = client.get(f"/api/people/{crn}", headers=auth(user))
    assert r.status_code == 200, r.text
    events: list[dict[str, Any]] = r.json()["cases"][0]["history"]
    return events
