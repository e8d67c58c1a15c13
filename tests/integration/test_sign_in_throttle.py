"""Sign-in throttling per username and per client address, stored in the database: a lock that
doubles from a minute up to an hour, the same answers for unknown usernames, no password check
while locked, and every failure, lock and refused attempt in the audit log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from probation.adapters.clock import SettableClock
from probation.adapters.db.tables import AuditRow
from probation.app import create_app
from probation.config import Settings
from probation.services import passwords
from tests.conftest import NOW
from tests.factories import PASSWORD, seed_reference

WRONG = "not-the-password"


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(NOW)


def make_app(db_url: str, clock: SettableClock, **settings: Any) -> Any:
    application = create_app(Settings(database_url=db_url, env="test", **settings), clock=clock)
    return application


@pytest.fixture
def app(db_url: str, clock: SettableClock) -> Iterator[Any]:
    application = make_app(db_url, clock)
    with application.state.sessions.begin() as session:
        seed_reference(session)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def verified(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The password hashes argon2 was asked to verify against."""
    calls: list[str] = []
    real = passwords.verify_password

    def spy(password_hash: str, password: str) -> bool:
        calls.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", spy)
    return calls


@pytest.fixture
def quick_verify(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 takes a large fraction of a second on purpose; tests of many attempts that are about the
    throttle, not the hash, compare the password directly."""
    monkeypatch.setattr(passwords, "verify_password", lambda password_hash, password: password == PASSWORD)


def token(client: TestClient, username: str, password: str) -> Any:
    return client.post("/api/token", json={"username": username, "password": password})


def audit_rows(app: Any, action: str) -> list[AuditRow]:
    with app.state.sessions() as session:
        return list(session.scalars(select(AuditRow).where(AuditRow.action == action).order_by(AuditRow.id)))


def test_thirty_wrong_passwords_then_the_right_one_is_refused_while_locked_and_accepted_after(
        client: TestClient, clock: SettableClock) -> None:
    answers = [token(client, "om1", WRONG) for _ in range(30)]
    assert [a.status_code for a in answers[:5]] == [401] * 5
    assert {a.status_code for a in answers[5:]} == {429}

    locked = token(client, "om1", PASSWORD)

    assert locked.status_code == 429
    assert locked.headers["content-type"] == "application/problem+json"
    assert locked.headers["Retry-After"] == "60"
    assert "try again in 1 minute" in locked.json()["detail"]
    clock.advance(seconds=59)
    assert token(client, "om1", PASSWORD).headers["Retry-After"] == "1"
    clock.advance(seconds=1)
    assert token(client, "om1", PASSWORD).status_code == 200


def test_a_locked_attempt_is_refused_without_checking_the_password(client: TestClient, verified: list[str]) -> None:
    for _ in range(5):
        token(client, "om1", WRONG)
    assert len(verified) == 5

    assert token(client, "om1", PASSWORD).status_code == 429
    assert token(client, "nobody", WRONG).status_code == 401  # another username is not locked

    assert len(verified) == 6


def test_an_unknown_username_is_verified_against_a_dummy_hash(client: TestClient, verified: list[str]) -> None:
    r = token(client, "nobody", WRONG)

    assert r.status_code == 401
    assert verified == [passwords.dummy_hash()]
    assert verified[0].startswith("$argon2id$")


@pytest.mark.usefixtures("quick_verify")
def test_an_unknown_username_gets_exactly_the_answers_a_real_one_gets(client: TestClient) -> None:
    def answers(username: str) -> list[tuple[int, str | None, dict[str, Any]]]:
        out = []
        for _ in range(7):
            r = token(client, username, WRONG)
            out.append((r.status_code, r.headers.get("Retry-After"), r.json()))
        return out

    assert answers("om2") == answers("nobody")


@pytest.mark.usefixtures("quick_verify")
def test_each_lock_is_twice_as_long_as_the_last_up_to_an_hour(client: TestClient, clock: SettableClock) -> None:
    waits = []
    for _ in range(8):
        for _ in range(5):
            token(client, "om1", WRONG)
        r = token(client, "om1", WRONG)
        assert r.status_code == 429
        waits.append(int(r.headers["Retry-After"]))
        clock.advance(seconds=waits[-1])

    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert token(client, "om1", PASSWORD).status_code == 200
    for _ in range(5):
        token(client, "om1", WRONG)
    assert token(client, "om1", WRONG).headers["Retry-After"] == "60"  # a right password starts over


@pytest.mark.usefixtures("quick_verify")
def test_a_right_password_clears_the_usernames_count(client: TestClient) -> None:
    for _ in range(4):
        token(client, "om1", WRONG)
    assert token(client, "om1", PASSWORD).status_code == 200
    for _ in range(4):
        assert token(client, "om1", WRONG).status_code == 401

    assert token(client, "om1", PASSWORD).status_code == 200


def test_failures_from_one_address_lock_it_for_every_username(db_url: str, clock: SettableClock) -> None:
    app = make_app(db_url, clock, sign_in_address_failures=3)
    with app.state.sessions.begin() as session:
        seed_reference(session)
    client = TestClient(app)
    for username in ("om1", "om2", "someone"):  # one failure each: no username is near its limit
        assert token(client, username, WRONG).status_code == 401

    r = token(client, "om3", PASSWORD)

    assert r.status_code == 429 and r.headers["Retry-After"] == "60"
    assert [row.subject for row in audit_rows(app, "locked")] == ["address:testclient"]
    app.state.engine.dispose()


def test_the_throttle_is_shared_by_every_server_process(app: Any, db_url: str, clock: SettableClock) -> None:
    other = make_app(db_url, clock)  # a second server process on the same database
    first, second = TestClient(app), TestClient(other)
    for i in range(5):
        assert token(first if i % 2 else second, "om1", WRONG).status_code == 401

    assert token(first, "om1", PASSWORD).status_code == 429
    assert token(second, "om1", PASSWORD).status_code == 429
    other.state.engine.dispose()


def test_failed_sign_ins_locks_and_refused_attempts_are_audited(app: Any, client: TestClient) -> None:
    for _ in range(5):
        token(client, "om1", WRONG)
    token(client, "om1", PASSWORD)
    token(client, "ghost", WRONG)

    failed = audit_rows(app, "login_failed")
    assert [(r.username, r.role, r.channel) for r in failed] == [("om1", "practitioner", "api")] * 5 + [
        ("ghost", "unknown", "api")]
    assert "wrong password" in (failed[0].detail or "") and "unknown username" in (failed[-1].detail or "")
    (lock,) = audit_rows(app, "locked")
    assert lock.subject == "user:om1" and "locked for 1 minute after 5 failed sign-ins" in (lock.detail or "")
    (throttled,) = audit_rows(app, "throttled")
    assert throttled.username == "om1" and "refused unchecked" in (throttled.detail or "")
    assert audit_rows(app, "login") == []


def test_the_sign_in_page_says_in_plain_words_when_signing_in_is_paused(client: TestClient,
                                                                         clock: SettableClock) -> None:
    def attempt(username: str, password: str) -> Any:
        page = client.get("/sign-in")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        return client.post("/sign-in", data={"username": username, "password": password, "csrf_token": csrf},
                           follow_redirects=False)

    for _ in range(5):
        assert attempt("tm1", WRONG).status_code == 400

    r = attempt("tm1", PASSWORD)

    assert r.status_code == 429 and r.headers["Retry-After"] == "60"
    assert "govuk-error-summary" in r.text
    assert "There have been too many failed attempts to sign in. Wait 1 minute, then try again" in r.text
    assert attempt("someone-else", WRONG).status_code == 400
    clock.advance(minutes=1)
    assert attempt("tm1", PASSWORD).status_code == 303
