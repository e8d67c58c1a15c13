"""Browser tests (tests/e2e, tests/em/e2e): a real server on a free local port and Debian's Chromium
driven by Playwright, one of each per test process (registered once, by tests/conftest.py).

Playwright cannot download its own browser on this network, so it launches /usr/bin/chromium
(installed by `make test`) with the flags that work offline. A missing browser fails the tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn

from probation.adapters.db import migrate
from probation.adapters.db.engine import make_engine
from probation.app import create_app
from probation.config import Settings
from probation.domain.roles import Role

ARTIFACTS = Path(os.environ.get("PROBATION_TEST_ARTIFACTS", "test-artifacts"))
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]


def chromium_path() -> str:
    path = os.environ.get("PROBATION_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError("Chromium not found: `make test` installs Debian's chromium package")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.factories import case_body, seed_reference

    db = tmp_path_factory.mktemp("e2e") / "e2e.sqlite3"
    url = f"sqlite:///{db}"
    migrate.upgrade(make_engine(url))
    app = create_app(Settings(database_url=url, env="test"))
    with app.state.sessions.begin() as session:
        seed_reference(session)
    _seed_cases(app)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        if time.time() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    _ = case_body  # imported for _seed_cases


def _seed_cases(app) -> None:  # type: ignore[no-untyped-def]
    from probation.api.cases import to_domain
    from probation.api.schemas import CaseIn
    from probation.services import cases
    from probation.services.context import Actor
    from tests.factories import case_body

    now = datetime.now(UTC)
    admin = Actor(username="admin", role=Role.ADMINISTRATOR)
    with app.state.sessions.begin() as session:
        for i, (first, last, sex) in enumerate([("Jo", "Bloggs", "male"), ("Ann", "Ashworth", "female"),
                                                ("Sam", "Carter", "male")]):
            body = CaseIn.model_validate(case_body(person__crn=f"E00000{i}", person__first_name=first,
                                                   person__last_name=last, person__sex=sex))
            person, sentence = to_domain(body, f"E00000{i}")
            cid = cases.create_case(session, admin, person=person, sentence=sentence, court_code="LDSMC",
                                    organisation_code="NPS-NE", team_code="T1", now=now)
            if sex == "female":
                cases.apply(session, admin, cid, "female-options", {"female_offender_manager_accepted": True,
                                                                   "female_only_environment_accepted": True}, now=now)
                cases.apply(session, admin, cid, "allocate", {"staff_code": "S2"}, now=now)
            else:
                cases.apply(session, admin, cid, "allocate", {"staff_code": "S1"}, now=now)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    # The server shares two cores with the browser and the test: allow a slow page rather than fail.
    expect.set_options(timeout=15_000)
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    refused: list[str] = []  # the browser reports each Content-Security-Policy violation on the console
    pg.on("console", lambda m: refused.append(f"{pg.url}: {m.text}") if "Content Security Policy" in m.text else None)
    yield pg
    context.close()
    assert refused == [], "the page broke its Content-Security-Policy"


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in as a reference-data user and wait until the browser has left the sign-in page."""
    from tests.factories import PASSWORD

    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def accessible(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """No axe-core WCAG 2.2 AA violations on the page, and a screenshot of it as an artefact."""
    assert axe_violations(page) == [], name
    screenshot(page, name)


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


AXE = Path(__file__).resolve().parents[1] / "src/probation/web/static/vendor/axe/axe.min.js"


def axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """WCAG 2.2 A and AA violations reported by axe-core on the current page."""
    if not AXE.exists():
        raise RuntimeError("axe-core missing: run `make test` (it vendors the npm packages)")
    # Run through the browser's developer protocol, which no page's Content-Security-Policy governs
    # (an injected <script> would be refused: pages allow scripts from the site only, and printable
    # documents none at all).
    page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate("""async () => await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})""")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in result["violations"]]
