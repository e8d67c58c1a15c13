"""Server-side sessions: every web sign-in and API token is a session row, so sign-out, an
administrator's "sign out everywhere", a password reset and deactivation end it at once, for every
copy of the cookie or token; expiry follows the service's clock."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from probation.adapters.clock import SettableClock
from probation.adapters.db.tables_auth import AuthSessionRow
from probation.app import create_app
from probation.config import Settings
from tests.conftest import NOW
from tests.factories import PASSWORD, seed_reference

Auth = Callable[[str], dict[str, str]]


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(NOW)


@pytest.fixture
def app(db_url: str, clock: SettableClock) -> Iterator[Any]:
    application = create_app(Settings(database_url=db_url, env="test"), clock=clock)
    with application.state.sessions.begin() as session:
        seed_reference(session)
    yield application
    application.state.engine.dispose()


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def browser(app: Any, username: str, password: str = PASSWORD) -> TestClient:
    """A browser of its own, signed in."""
    client = TestClient(app)
    page = client.get("/sign-in")
    r = client.post("/sign-in", data={"username": username, "password": password, "csrf_token": csrf(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


def copy_of(app: Any, client: TestClient) -> TestClient:
    """Another browser holding a copy of the first one's cookie (as a thief would)."""
    thief = TestClient(app)
    thief.cookies.set("probation_session", client.cookies["probation_session"])
    return thief


def signed_out(client: TestClient) -> bool:
    r = client.get("/caseload", follow_redirects=False)
    assert r.status_code in (200, 303), r.status_code
    return r.status_code == 303 and r.headers["location"].startswith("/sign-in")


def token_for(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/token", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_signing_out_ends_the_session_on_the_server_so_a_copied_cookie_stops_working(app: Any) -> None:
    om1 = browser(app, "om1")
    thief = copy_of(app, om1)
    assert not signed_out(thief)

    om1.post("/sign-out", data={"csrf_token": csrf(om1.get("/account").text)})

    assert signed_out(thief) and signed_out(om1)


def test_api_sign_out_revokes_the_callers_token_and_no_other(client: TestClient) -> None:
    first, second = token_for(client, "om1"), token_for(client, "om1")

    r = client.post("/api/sign-out", headers=first)

    assert r.status_code == 204
    refused = client.get("/api/me", headers=first)
    assert refused.status_code == 401 and refused.headers["content-type"] == "application/problem+json"
    assert "ended" in refused.json()["detail"]
    assert client.get("/api/me", headers=second).status_code == 200


def test_a_password_reset_ends_every_session_and_token_of_that_user(app: Any, client: TestClient) -> None:
    om2 = browser(app, "om2")
    token = token_for(client, "om2")
    other_user = token_for(client, "om1")
    admin = browser(app, "admin")

    r = admin.post("/admin/users/om2/password", data={"password": "harbour-plum-kettle",
                                                      "confirm": "harbour-plum-kettle",
                                                      "csrf_token": csrf(admin.get("/admin/users/om2").text)},
                   follow_redirects=False)

    assert r.status_code == 303
    assert signed_out(om2)
    assert client.get("/api/me", headers=token).status_code == 401
    assert client.get("/api/me", headers=other_user).status_code == 200
    assert browser(app, "om2", "harbour-plum-kettle").get("/caseload").status_code == 200


def test_sign_out_everywhere_from_the_admin_page_ends_every_session_of_the_user(app: Any, client: TestClient) -> None:
    om1_laptop, om1_phone = browser(app, "om1"), browser(app, "om1")
    token = token_for(client, "om1")
    admin = browser(app, "admin")
    page = admin.get("/admin/users/om1").text
    assert "3 live sessions" in page

    r = admin.post("/admin/users/om1/sign-out-everywhere", data={"csrf_token": csrf(page)})

    assert r.status_code == 200 and "om1 has been signed out everywhere (3 sessions ended)" in r.text
    assert signed_out(om1_laptop) and signed_out(om1_phone)
    assert client.get("/api/me", headers=token).status_code == 401
    assert "No live sessions" in admin.get("/admin/users/om1").text
    assert not signed_out(admin)


def test_sign_out_everywhere_through_the_api_is_for_administrators(app: Any, client: TestClient, auth: Auth) -> None:
    om2 = browser(app, "om2")
    token = token_for(client, "om2")

    assert client.post("/api/users/om2/sign-out-everywhere", headers=auth("om1")).status_code == 403
    assert client.post("/api/users/nobody/sign-out-everywhere", headers=auth("admin")).status_code == 404
    r = client.post("/api/users/om2/sign-out-everywhere", headers=auth("admin"))

    assert r.status_code == 200 and r.json() == {"username": "om2", "sessions_ended": 2}
    assert signed_out(om2) and client.get("/api/me", headers=token).status_code == 401
    audit = client.get("/api/audit", params={"action": "write"}, headers=auth("admin")).json()["items"]
    assert any(i["subject"] == "user:om2" and "signed out everywhere; 2 session(s) ended" in i["detail"]
               for i in audit)


def test_deactivating_a_user_ends_their_sessions_and_reactivating_does_not_revive_them(
        app: Any, client: TestClient) -> None:
    om3 = browser(app, "om3")
    token = token_for(client, "om3")
    admin = browser(app, "admin")
    form = {"display_name": "om3", "role": "practitioner", "staff_code": "S3", "organisation_code": ""}

    for active in ("no", "yes"):
        r = admin.post("/admin/users/om3", data={**form, "active": active,
                                                 "csrf_token": csrf(admin.get("/admin/users/om3").text)},
                       follow_redirects=False)
        assert r.status_code == 303

    assert signed_out(om3)
    assert client.get("/api/me", headers=token).status_code == 401
    assert client.get("/api/me", headers=token_for(client, "om3")).status_code == 200  # a new sign-in works


def test_a_token_and_a_web_session_expire_by_the_services_clock(app: Any, client: TestClient,
                                                                 clock: SettableClock) -> None:
    settings = app.state.settings
    token = token_for(client, "om1")
    om1 = browser(app, "om1")

    clock.advance(seconds=settings.session_max_age_s - 1)
    assert not signed_out(om1)
    clock.advance(seconds=1)
    assert signed_out(om1)
    assert client.get("/api/me", headers=token).status_code == 200  # tokens last longer than pages
    clock.advance(seconds=settings.token_max_age_s - settings.session_max_age_s)
    r = client.get("/api/me", headers=token)
    assert r.status_code == 401 and "expired" in r.json()["detail"]


def test_only_a_hash_of_the_random_identifier_is_stored_and_the_token_names_nobody(app: Any,
                                                                                    client: TestClient) -> None:
    r = client.post("/api/token", json={"username": "om1", "password": PASSWORD})
    body = r.json()
    token = body["access_token"]
    assert set(body) == {"access_token", "token_type", "expires_at"}

    with app.state.sessions() as session:
        rows = session.scalars(select(AuthSessionRow)).all()
    assert [row.id_hash for row in rows] == [hashlib.sha256(token.encode()).hexdigest()]
    assert rows[0].channel == "api" and rows[0].address == "testclient"
    assert "om1" not in token and len(token) >= 43  # 256 random bits, nothing to decode


def test_a_web_session_identifier_is_not_accepted_as_a_bearer_token(app: Any, client: TestClient) -> None:
    om1 = browser(app, "om1")
    with app.state.sessions() as session:
        assert session.scalar(select(AuthSessionRow.channel)) == "web"
    import base64
    import json

    payload = om1.cookies["probation_session"].split(".")[0]
    identifier = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))["sid"]

    r = client.get("/api/me", headers={"Authorization": f"Bearer {identifier}"})

    assert r.status_code == 401 and "web channel" in r.json()["detail"]


def test_checking_a_token_is_one_query_and_last_seen_is_written_at_most_once_a_minute(
        app: Any, client: TestClient, clock: SettableClock) -> None:
    token = token_for(client, "om1")  # om1 has a staff record in a team: the actor needs all three rows
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement.split()[0].upper())

    event.listen(app.state.engine, "before_cursor_execute", count)
    try:
        me = client.get("/api/me", headers=token)
        assert me.status_code == 200 and me.json()["team_code"] == "T1" and me.json()["organisation_code"] == "NPS-NE"
        assert statements == ["SELECT"]
        statements.clear()
        clock.advance(seconds=61)
        assert client.get("/api/me", headers=token).status_code == 200
        assert statements == ["SELECT", "UPDATE"]  # last seen, in a short transaction after the request
    finally:
        event.remove(app.state.engine, "before_cursor_execute", count)
    with app.state.sessions() as session:
        last_seen = session.scalar(select(AuthSessionRow.last_seen_at))
    assert last_seen is not None and last_seen.replace(tzinfo=None) == clock().replace(tzinfo=None)


def test_sessions_expired_for_over_a_day_are_dropped_at_the_users_next_sign_in(
        app: Any, client: TestClient, clock: SettableClock) -> None:
    token_for(client, "om1")
    token_for(client, "om2")
    clock.advance(seconds=app.state.settings.token_max_age_s, days=1, microseconds=1)

    token_for(client, "om1")

    with app.state.sessions() as session:
        users = sorted(session.scalars(select(AuthSessionRow.user_id)))
    assert len(users) == 2  # om1's new session and om2's old one (om2 has not signed in since)
