"""Generated over every GET route of the API and the pages, as every role that reads: an answer that
shows a person (their CRN or their name) leaves a read audit row about that person, so a route added
without its audit fails here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.db.tables import AuditRow
from probation.adapters.db.tables_delivery import AppointmentRow
from probation.em.tables import EmNoticeRow
from probation.services import audit
from tests import scope_world
from tests.conftest import NOW
from tests.em.factories import walk_in
from tests.factories import PASSWORD
from tests.integration.test_side_view_scope import sign_in
from tests.scope_world import OTHER, OWN, SURNAMES

pytestmark = pytest.mark.usefixtures("fresh_em_runtime")  # the EM runtime is per process

Auth = Callable[[str], dict[str, str]]
READERS = ("om1", "tm1", "provider", "em", "police", "risk", "commissioner", "admin")
# The audit trail lists whose records were read; reading it is not a read of those records.
NOT_RECORDS = {"/api/audit", "/admin/audit"}
PARAM = re.compile(r"{(\w+)}")


def get_routes(app: Any) -> Iterator[str]:
    """Every GET path of the application (API and pages), from the routers it includes."""
    seen: set[str] = set()
    for included in app.router.routes:
        for route in getattr(getattr(included, "original_router", None), "routes", [included]):
            if isinstance(route, APIRoute) and "GET" in route.methods and route.path not in seen:
                seen.add(route.path)
                yield route.path


def filled(path: str, values: dict[str, str]) -> str | None:
    """The path with its parameters from the world, or None when the world has no such record."""
    names = PARAM.findall(path)
    if any(n not in values for n in names):
        return None
    if "code" in names:  # /admin/teams/{code}, /admin/providers/{code}
        values = {**values, "code": "T1" if path.startswith("/admin/teams") else "NPS-NE"}
    return PARAM.sub(lambda m: values[m.group(1)], path)


def shown(text: str) -> set[str]:
    return {crn for crn, surname in SURNAMES.items() if crn in text or f" {surname}" in text}


def test_every_get_route_that_shows_a_person_audits_the_read(client: TestClient, auth: Auth, app: Any,
                                                             tmp_path: Path) -> None:
    with app.state.sessions.begin() as s:
        world = scope_world.build(s, outbox_dir=str(tmp_path / "outbox"))
        scope_world.om1_told(s, world[OWN])
        scope_world.letter(s, world[OWN], outbox_dir=str(tmp_path / "letters"))
        escalation = scope_world.escalation(s, world[OTHER])
    walk = walk_in(scope_world.device(OWN), NOW - timedelta(hours=1))
    alert = client.post("/api/em/ingest", json={"positions": walk}, headers=auth("em")).json()["alerts"][0]["id"]
    with app.state.sessions() as s:
        values = {"crn": OWN, "case_id": str(world[OWN]), "staff_code": "S1", "kind": "progress", "username": "om1",
                  "appointment_id": str(s.scalars(select(AppointmentRow.id).where(
                      AppointmentRow.case_id == world[OWN])).first()),
                  "notice_id": str(s.scalars(select(EmNoticeRow.id).where(EmNoticeRow.case_id == world[OWN])).one()),
                  "letter_id": "1", "code": "", "escalation_id": str(escalation), "alert_id": alert}
    tokens = {u: client.post("/api/token", json={"username": u, "password": PASSWORD}).json()["access_token"]
              for u in READERS}
    browsers = {u: TestClient(app) for u in READERS}  # one signed-in cookie session per user
    for user, browser in browsers.items():
        sign_in(browser, user)
    unaudited: list[tuple[str, str, set[str]]] = []
    showing: set[str] = set()
    for path in sorted(get_routes(app)):
        url = filled(path, values)
        if url is None or path in NOT_RECORDS:
            continue
        for user in READERS:
            with app.state.sessions() as s:
                mark = s.scalar(select(func.max(AuditRow.id))) or 0
            if path.startswith("/api/"):
                r = client.get(url, headers={"Authorization": f"Bearer {tokens[user]}"})
            else:
                r = browsers[user].get(url, follow_redirects=False)
            if r.status_code != 200 or r.headers.get("content-type", "").startswith("application/pdf"):
                continue
            people = shown(r.text)
            if people:
                showing.add(path)
            with app.state.sessions() as s:
                audited = {crn for crn in people if s.scalar(select(func.count()).select_from(AuditRow).where(
                    AuditRow.id > mark, AuditRow.username == user, AuditRow.action == "read", audit.about(crn)))}
            if people - audited:
                unaudited.append((user, url, people - audited))
    assert len(showing) > 40, sorted(showing)  # the world's people were reached through the routes
    assert unaudited == []
