"""Helpers for the delivery tests: a clock the test moves, cases, locations and bookings via the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import NOW
from tests.factories import case_body

Auth = Callable[[str], dict[str, str]]


@dataclass
class MovableClock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now = self.now + timedelta(**delta)

    def set(self, at: str) -> None:
        self.now = datetime.fromisoformat(at)


def create_case(client: TestClient, auth: Auth, user: str = "om1", *, allocate_to: str | None = "S1",
                **overrides: Any) -> int:
    """A case for the person of `case_body` under its fixed CRN: registered by an administrator (a
    practitioner may only name a CRN they can already see), then allocated by `user`."""
    r = client.post("/api/cases", json=case_body(**overrides), headers=auth("admin"))
    assert r.status_code == 201, r.text
    cid = int(r.json()["case_id"])
    if allocate_to:
        r = client.post(f"/api/cases/{cid}/allocate", json={"staff_code": allocate_to}, headers=auth(user))
        assert r.status_code == 200, r.text
    return cid


def add_locations(client: TestClient, auth: Auth) -> None:
    for body in ({"code": "LDS1", "name": "Leeds Probation Office", "female_only": False,
                  "step_free_access": False},
                 {"code": "WC1", "name": "Leeds Women's Centre", "female_only": True, "step_free_access": True}):
        r = client.post("/api/locations", json=body, headers=auth("admin"))
        assert r.status_code == 201, r.text


def slot(start: str, minutes: int = 60) -> dict[str, str]:
    begin = datetime.fromisoformat(start)
    return {"starts_at": begin.isoformat(), "ends_at": (begin + timedelta(minutes=minutes)).isoformat()}


def booking(start: str, minutes: int = 60, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {**slot(start, minutes), "contact_type": "office", "location_code": "LDS1",
                            "interviewer_code": "S1"}
    body.update(overrides)
    return body


def book(client: TestClient, auth: Auth, cid: int, start: str, user: str = "om1", minutes: int = 60,
         **overrides: Any) -> dict[str, Any]:
    r = client.post(f"/api/cases/{cid}/appointments", json=booking(start, minutes, **overrides), headers=auth(user))
    assert r.status_code == 201, r.text
    return dict(r.json())


def outcome(client: TestClient, auth: Auth, cid: int, appointment_id: int, value: str, user: str = "om1",
            **extra: Any) -> dict[str, Any]:
    r = client.post(f"/api/cases/{cid}/appointments/{appointment_id}/outcome", json={"outcome": value, **extra},
                    headers=auth(user))
    assert r.status_code == 200, r.text
    return dict(r.json())


def kinds(client: TestClient, auth: Auth, crn: str = "A123456", user: str = "om1") -> list[str]:
    r = client.get(f"/api/people/{crn}", headers=auth(user))
    assert r.status_code == 200, r.text
    return [e["kind"] for e in r.json()["cases"][0]["history"]]


def history(client: TestClient, auth: Auth, crn: str = "A123456", user: str = "om1") -> list[dict[str, Any]]:
    r = client.get(f"/api/people/{crn}", headers=auth(user))
    return list(r.json()["cases"][0]["history"])
