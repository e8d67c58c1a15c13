"""A refused read answers as if the record did not exist (404) or names the role rule (403), writes
nothing, and leaves a `denied` audit row naming who asked, through which channel, and for what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.db.tables import AuditRow, Base
from tests.integration.test_side_view_scope import sign_in
from tests.scope_world import OTHER, OWN

pytestmark = pytest.mark.usefixtures("fresh_em_runtime")  # the EM runtime is per process

Auth = Callable[[str], dict[str, str]]
# the audit log and the sign-ins of the test itself (sessions, the sign-in throttle) are not the refused requests' doing
AUDIT_TABLES = {"audit_log", "audit_subject", "auth_session", "sign_in_throttle"}


def counts(app: Any) -> dict[str, int]:
    """Rows in every table but the audit log's."""
    with app.state.sessions() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) or 0
                for t in Base.metadata.sorted_tables if t.name not in AUDIT_TABLES}


def audit_since(app: Any, last_id: int) -> list[tuple[str, str, str | None, str]]:
    with app.state.sessions() as s:
        return [(r.username, r.action, r.subject, r.channel) for r in s.scalars(
            select(AuditRow).where(AuditRow.id > last_id, AuditRow.action != "login").order_by(AuditRow.id))]


def last_audit_id(app: Any) -> int:
    with app.state.sessions() as s:
        return s.scalar(select(func.max(AuditRow.id))) or 0


def test_another_providers_case_asked_for_by_api_and_page_is_not_found_and_a_denied_row_is_kept(
        client: TestClient, auth: Auth, app: Any, world: dict[str, int]) -> None:
    before, mark = counts(app), last_audit_id(app)
    assert client.get(f"/api/people/{OTHER}", headers=auth("om1")).status_code == 404
    assert client.get(f"/api/cases/{world[OTHER]}/obligations", headers=auth("om1")).status_code == 404
    sign_in(client, "om1")
    assert client.get(f"/cases/{OTHER}").status_code == 404
    assert client.get(f"/cases/{OTHER}/appointments").status_code == 404
    assert counts(app) == before
    assert audit_since(app, mark) == [("om1", "denied", OTHER, "api"),
                                      ("om1", "denied", f"case:{world[OTHER]}", "api"),
                                      ("om1", "denied", OTHER, "web"),
                                      ("om1", "denied", OTHER, "web")]


def test_a_role_refusal_is_a_denied_row_too(client: TestClient, auth: Auth, app: Any,
                                            world: dict[str, int]) -> None:
    mark = last_audit_id(app)
    assert client.get(f"/api/people/{OWN}", headers=auth("commissioner")).status_code == 403
    assert client.get("/api/em/notifications", headers=auth("om1")).status_code == 403
    assert client.get("/api/staff/S1/appointments.ics", headers=auth("om3")).status_code == 403
    assert audit_since(app, mark) == [("commissioner", "denied", OWN, "api"), ("om1", "denied", None, "api"),
                                      ("om3", "denied", "staff:S1", "api")]


def test_a_case_outside_the_callers_scope_answers_exactly_as_a_case_that_does_not_exist(
        client: TestClient, auth: Auth, world: dict[str, int]) -> None:
    unknown_id = max(world.values()) + 1000
    for path in ("/api/cases/{}/obligations", "/api/cases/{}/appointments", "/api/em/cases/{}"):
        other = client.get(path.format(world[OTHER]), headers=auth("om1"))
        unknown = client.get(path.format(unknown_id), headers=auth("om1"))
        assert other.status_code == unknown.status_code == 404, path
        assert OTHER not in other.text
        assert other.text.replace(str(world[OTHER]), "N") == unknown.text.replace(str(unknown_id), "N"), path


def test_requests_without_a_signed_in_user_write_no_audit_row(client: TestClient, app: Any,
                                                              world: dict[str, int]) -> None:
    mark = last_audit_id(app)
    assert client.get(f"/api/people/{OWN}").status_code == 401
    assert client.get(f"/cases/{OWN}", follow_redirects=False).status_code == 303
    assert audit_since(app, mark) == []
