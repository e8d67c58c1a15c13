"""Shared fixtures: database URLs for SQLite and a throwaway PostgreSQL, an app client per role."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from probation import em
from probation.adapters.db import migrate
from probation.adapters.db.engine import make_engine
from tests import pg

# The suite composes the platform as its entry points do (probation.app, probation.cli.main): tests
# that call the data-protection services directly see electronic monitoring's holdings too.
em.install()

# Fixtures shared by the core's tests and electronic monitoring's, registered once here rather than
# imported into a second conftest: the integration tests' application, client and sign-ins, and the
# browser tests' server, browser and page (a test process starts one of each, whichever folder its
# browser tests come from).
pytest_plugins = ["tests.app_fixtures", "tests.browser"]

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
# Sessions expire by the service's clock. Tests that move that clock on by days or months, to reach
# a due date, keep their sign-ins by giving sessions a lifetime longer than the move.
LONG_SESSIONS = {"session_max_age_s": 400 * 86400, "token_max_age_s": 400 * 86400}


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pg.PgServer]:
    server = pg.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: pg.PgServer) -> str:
    """A database migrated once; each test clones it (CREATE DATABASE ... TEMPLATE) in milliseconds."""
    admin = create_engine(pg_server.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE probation_template"))
    engine = make_engine(pg_server.url("probation_template"))
    migrate.upgrade(engine)
    engine.dispose()
    admin.dispose()
    return "probation_template"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


_counter = {"n": 0}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """A maker of freshly migrated, empty databases on one backend (SQLite files copied from a
    migrated template, PostgreSQL databases cloned from one), each dropped after the test."""
    made: list[str] = []
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")

        def make_sqlite() -> str:
            path = tmp_path / f"probation-{len(made)}.sqlite3"
            shutil.copyfile(template, path)
            made.append(str(path))
            return f"sqlite:///{path}"
        yield make_sqlite
        return
    server: pg.PgServer = request.getfixturevalue("pg_server")
    template_name = request.getfixturevalue("pg_template")
    admin = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")

    def make_pg() -> str:
        _counter["n"] += 1
        made.append(f"t_{_counter['n']}_{abs(hash(request.node.nodeid)) % 10**8}")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{made[-1]}" TEMPLATE {template_name}'))
        return server.url(made[-1])
    try:
        yield make_pg
    finally:
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db_url(new_database: Callable[[], str]) -> str:
    """A freshly migrated, empty database: SQLite file or PostgreSQL database."""
    return new_database()
