"""Every read of personal data is an audit row naming the CRNs it showed, whatever the channel (API,
page, calendar, PDF): an administrator's search for a person finds each read of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from probation.adapters.db.tables_admin import LetterRow
from probation.services import audit
from tests import scope_world
from tests.factories import case_body
from tests.integration.test_side_view_scope import sign_in
from tests.scope_world import OTHER, OWN

pytestmark = pytest.mark.usefixtures("fresh_em_runtime")  # the EM runtime is per process

Auth = Callable[[str], dict[str, str]]


def reads(app: Any, crn: str, username: str) -> list[str]:
    """The details of the read rows about this person by this user (newest first)."""
    with app.state.sessions() as s:
        return [r.detail or "" for r in audit.search(s, audit.AuditQuery(subject=crn, action="read"))
                if r.username == username]


def read_once(app: Any, crn: str, username: str, fetch: Callable[[], Any]) -> None:
    before = len(reads(app, crn, username))
    r = fetch()
    assert r.status_code == 200, r.text
    assert len(reads(app, crn, username)) == before + 1, (crn, username)


def test_court_notifications_and_enquiries_are_audited_with_the_people_they_show(
        client: TestClient, auth: Auth, app: Any, world: dict[str, int]) -> None:
    for path in ("/api/em/notifications", "/api/em/enquiries"):
        read_once(app, OWN, "em", lambda: client.get(path, headers=auth("em")))  # noqa: B023
        assert reads(app, OTHER, "em")
    sign_in(client, "em")
    for page in ("/em/notifications?show=all", "/em/enquiries", "/em/schedule?show=all", "/em/schedule/new"):
        read_once(app, OWN, "em", lambda: client.get(page))  # noqa: B023


def test_diverse_needs_and_rar_progress_are_audited(client: TestClient, auth: Auth, app: Any,
                                                     world: dict[str, int]) -> None:
    read_once(app, OWN, "om1", lambda: client.get(f"/api/cases/{world[OWN]}/diverse-needs", headers=auth("om1")))
    r = client.post("/api/cases", json=case_body(person__crn="A200002"), headers=auth("admin"))
    assert r.status_code == 201, r.text
    read_once(app, "A200002", "om1", lambda: client.get(f"/api/cases/{r.json()['case_id']}/rar",
                                                        headers=auth("om1")))


def test_updates_and_referral_feedback_are_audited_with_their_people(
        client: TestClient, auth: Auth, app: Any, world: dict[str, int]) -> None:
    with app.state.sessions.begin() as s:
        scope_world.om1_told(s, world[OWN])
    read_once(app, OWN, "om1", lambda: client.get("/api/offender-manager/updates", headers=auth("om1")))
    read_once(app, OWN, "om1", lambda: client.get("/api/me/referral-feedback", headers=auth("om1")))


def test_notices_and_violation_reports_are_audited_with_the_people_they_show(
        client: TestClient, auth: Auth, app: Any, world: dict[str, int]) -> None:
    read_once(app, OWN, "police", lambda: client.get("/api/em/police/notices", headers=auth("police")))
    read_once(app, OWN, "om1", lambda: client.get("/api/em/police/notices", headers=auth("om1")))
    read_once(app, OWN, "police", lambda: client.get("/api/em/police/violation-reports", headers=auth("police")))
    read_once(app, OWN, "om1", lambda: client.get("/api/em/police/violation-reports", headers=auth("om1")))
    notice = next(n for n in client.get("/api/em/police/notices", headers=auth("police")).json()["items"]
                  if n["case_id"] == world[OWN])
    read_once(app, OWN, "police", lambda: client.get(f"/api/em/notices/{notice['id']}.pdf", headers=auth("police")))
    sign_in(client, "police")
    for page in ("/police/notices", f"/police/notices/{notice['id']}", "/police/reports", "/police/reports/new"):
        read_once(app, OWN, "police", lambda: client.get(page))  # noqa: B023
    sign_in(client, "om1")
    read_once(app, OWN, "om1", lambda: client.get("/police-reports"))


def test_a_diary_and_a_worklist_are_audited_with_each_person_they_show(
        client: TestClient, auth: Auth, app: Any, world: dict[str, int]) -> None:
    read_once(app, OWN, "tm1", lambda: client.get("/api/staff/S1/appointments.ics", headers=auth("tm1")))
    items = client.get("/api/worklist?scope=team", headers=auth("tm1")).json()["items"]
    assert {i["crn"] for i in items} == {OWN}
    read_once(app, OWN, "tm1", lambda: client.get("/api/worklist?scope=team", headers=auth("tm1")))
    sign_in(client, "om1")
    read_once(app, OWN, "om1", lambda: client.get("/worklist"))


def test_the_administrators_letter_log_and_a_letter_are_audited(
        client: TestClient, auth: Auth, app: Any, world: dict[str, int], tmp_path: Path) -> None:
    with app.state.sessions.begin() as s:
        scope_world.letter(s, world[OWN], outbox_dir=str(tmp_path / "letters"))
    sign_in(client, "admin")
    read_once(app, OWN, "admin", lambda: client.get("/admin/letters"))
    with app.state.sessions() as s:
        letter_id = s.scalars(select(LetterRow.id)).one()
    read_once(app, OWN, "admin", lambda: client.get(f"/admin/letters/{letter_id}"))
