"""An application per test on a fresh database (SQLite and PostgreSQL), with reference data."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from probation.adapters.clock import fixed_clock
from probation.app import create_app
from probation.config import Settings
from tests.conftest import LONG_SESSIONS, NOW
from tests.factories import PASSWORD, seed_reference


@pytest.fixture
def app(db_url: str):  # type: ignore[no-untyped-def]
    application = create_app(Settings(database_url=db_url, env="test", **LONG_SESSIONS), clock=fixed_clock(NOW))
    with application.state.sessions.begin() as session:
        seed_reference(session)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as c:
        yield c


@pytest.fixture
def auth(client: TestClient) -> Callable[[str], dict[str, str]]:
    """Bearer headers for a user of the reference data (om1, tm1, admin, commissioner, ...)."""
    cache: dict[str, dict[str, str]] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in cache:
            r = client.post("/api/token", json={"username": username, "password": PASSWORD})
            assert r.status_code == 200, r.text
            cache[username] = {"Authorization": f"Bearer {r.json()['access_token']}"}
        return cache[username]

    return headers
