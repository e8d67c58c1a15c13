"""An application per test on a fresh database (SQLite and PostgreSQL), with reference data, for the
integration tests of the core and of electronic monitoring alike (registered once, by
tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from probation.adapters.clock import fixed_clock
from probation.adapters.db import migrate
from probation.adapters.db.engine import make_engine
from probation.app import create_app
from probation.config import Settings
from probation.em.services.runtime import reset_runtimes
from tests import scope_world
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


@pytest.fixture
def world(app: Any, tmp_path: Path) -> dict[str, int]:
    """The cases of tests/scope_world.py: own team, another provider's, restricted, with their records."""
    with app.state.sessions.begin() as s:
        return scope_world.build(s, outbox_dir=str(tmp_path / "outbox"))


@pytest.fixture(scope="module")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One migrated SQLite database with the reference data, shared by a module's tests of HTTP
    behaviour that does not depend on the backend (headers, documentation pages)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'seeded.sqlite3'}"
    migrate.upgrade(make_engine(url))
    application = create_app(Settings(database_url=url, env="test"))
    with application.state.sessions.begin() as session:
        seed_reference(session)
    application.state.engine.dispose()
    return url


@pytest.fixture
def fresh_em_runtime() -> Iterator[None]:
    """The EM runtime (engine state) lives in the process: each test that ingests starts afresh."""
    reset_runtimes()
    yield
    reset_runtimes()
