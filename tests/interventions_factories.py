"""Helpers for the interventions tests: bodies for needs assessments, services and referrals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from probation.domain.protection.plans import NeedArea

Auth = Callable[[str], dict[str, str]]


def scores(default: int = 1, **overrides: int) -> dict[str, int]:
    out = {a.value: default for a in NeedArea}
    out.update(overrides)
    return out


def assessment(stage: str = "start", on: str = "2026-11-05", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"stage": stage, "assessed_on": on, "assessor": "Alan Ash", "scores": scores(2)}
    body.update(overrides)
    return body


def service(code: str = "HOUSING-1", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "name": "Leeds Housing Advice", "provider": "Shelter Leeds",
                            "kind": "specialist_service", "need_areas": ["accommodation", "finance"],
                            "location": "Leeds city centre", "capacity": 5}
    body.update(overrides)
    return body


def add_service(client: TestClient, auth: Auth, code: str = "HOUSING-1", **overrides: Any) -> dict[str, Any]:
    r = client.put(f"/api/intervention-services/{code}", json=service(code, **overrides), headers=auth("admin"))
    assert r.status_code == 200, r.text
    return dict(r.json())


def add_plan(client: TestClient, auth: Auth, cid: int, user: str = "om1") -> None:
    body = {"completed_on": "2026-11-06", "agreed": True, "objectives": [
        {"description": "Complete thinking skills work", "requirement": "rehabilitation_activity",
         "need_area": "thinking_behaviour"},
        {"description": "Find settled accommodation", "need_area": "accommodation"}]}
    r = client.post(f"/api/cases/{cid}/plan", json=body, headers=auth(user))
    assert r.status_code == 201, r.text


def refer(client: TestClient, auth: Auth, cid: int, user: str = "om1", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"service_code": "HOUSING-1", "need_area": "accommodation", "sent_on": "2026-11-10"}
    body.update(overrides)
    r = client.post(f"/api/cases/{cid}/referrals", json=body, headers=auth(user))
    assert r.status_code == 201, r.text
    return dict(r.json())


def move(client: TestClient, auth: Auth, cid: int, rid: int, status: str, on: str, user: str = "om1",
         **extra: Any) -> dict[str, Any]:
    r = client.post(f"/api/cases/{cid}/referrals/{rid}/status", json={"status": status, "on": on, **extra},
                    headers=auth(user))
    assert r.status_code == 200, r.text
    return dict(r.json())


def woman_case(client: TestClient, auth: Auth, **overrides: Any) -> int:
    """A woman's NPS case in team T1: the female options recorded, allocated to S2 (om2)."""
    from tests.factories import case_body

    r = client.post("/api/cases", json=case_body(person__sex="female", **overrides), headers=auth("admin"))
    assert r.status_code == 201, r.text
    cid = int(r.json()["case_id"])
    r = client.post(f"/api/cases/{cid}/female-options", json={"female_offender_manager_accepted": True,
                    "female_only_environment_accepted": False}, headers=auth("om1"))
    assert r.status_code == 200, r.text
    r = client.post(f"/api/cases/{cid}/allocate", json={"staff_code": "S2"}, headers=auth("om1"))
    assert r.status_code == 200, r.text
    return cid
