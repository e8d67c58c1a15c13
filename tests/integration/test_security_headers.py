"""Security headers on every response: pages, API answers, static files, errors and redirects
(docs/SECURITY.md "Security headers")."""

from __future__ import annotations

import hashlib
import re
from base64 import b64encode
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from probation.adapters.clock import fixed_clock
from probation.api.security_headers import CSP
from probation.app import create_app
from probation.config import Settings
from tests.conftest import NOW
from tests.delivery_factories import create_case
from tests.factories import PASSWORD

TEMPLATES = Path(__file__).resolve().parents[2] / "src/probation/web/templates"
DOCUMENT_TEMPLATES = Path(__file__).resolve().parents[2] / "src/probation/adapters/documents/templates"
STATIC = TEMPLATES.parent / "static"
EM_TEMPLATES = Path(__file__).resolve().parents[2] / "src/probation/em/templates"  # the EM package's own
PRODUCTION_SECRET = "a-production-secret-of-more-than-32-bytes-for-tests"


def client_for(seeded_sqlite: str, **settings: Any) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=seeded_sqlite, **{"env": "test", **settings}), clock=fixed_clock(NOW))

    @app.get("/test-only/boom")
    def boom() -> None:
        raise RuntimeError("an unexpected failure")

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def client(seeded_sqlite: str) -> Iterator[TestClient]:
    yield from client_for(seeded_sqlite)


@pytest.fixture(scope="module")
def production(seeded_sqlite: str) -> Iterator[TestClient]:
    yield from client_for(seeded_sqlite, env="production", secret_key=PRODUCTION_SECRET)


def signed_in(client: TestClient, username: str = "om1") -> TestClient:
    page = client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text
    r = client.post("/sign-in", data={"username": username, "password": PASSWORD, "csrf_token": token[1]},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


def assert_protected(r: Any) -> None:
    h = r.headers
    assert h["content-security-policy"] == CSP, r.request.url
    assert "script-src 'self'" in CSP and "'unsafe-inline'" not in CSP and "frame-ancestors 'none'" in CSP
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "no-referrer"
    assert h["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path, status", [
    ("/sign-in", 200),                  # a page
    ("/", 303),                         # a redirect
    ("/caseload", 303),                 # a page that needs sign-in: redirected
    ("/api/worklist", 401),             # an API problem
    ("/api/people/A123456", 401),
    ("/no-such-page", 404),             # an error
    ("/health", 200),
    ("/test-only/boom", 500),           # the framework's own error page
])
def test_every_answer_has_the_security_headers_and_is_not_stored(client: TestClient, path: str, status: int) -> None:
    r = client.get(path, follow_redirects=False)
    assert r.status_code == status
    assert_protected(r)
    assert r.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in r.headers  # development and test run over plain HTTP


def bearer(client: TestClient, username: str) -> dict[str, str]:
    token = client.post("/api/token", json={"username": username, "password": PASSWORD}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_signed_in_pages_and_api_answers_with_personal_data_are_not_stored(client: TestClient) -> None:
    h = bearer(client, "om1")
    create_case(client, lambda u: h if u == "om1" else bearer(client, u), person__crn="H000001")
    r = client.get("/api/people/H000001", headers=h)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert_protected(r)
    r = signed_in(client).get("/caseload")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert_protected(r)


def test_static_assets_stay_cacheable_and_protected(client: TestClient) -> None:
    for path in ("/static/app.css", "/static/app.js", "/static/vendor/govuk/govuk-frontend.min.js"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "no-store" not in r.headers.get("cache-control", "") and r.headers.get("etag")
        assert_protected(r)


def test_production_adds_strict_transport_security(production: TestClient) -> None:
    for path in ("/sign-in", "/static/app.css", "/no-such-page"):
        r = production.get(path, follow_redirects=False)
        assert r.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
        assert_protected(r)


def test_no_template_or_page_has_an_inline_script() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handlers = re.compile(r"\son[a-z]+\s*=|javascript:", re.I)
    offenders = [str(p.relative_to(folder)) for folder in (TEMPLATES, DOCUMENT_TEMPLATES, EM_TEMPLATES)
                 for p in folder.rglob("*.html") if inline.search(p.read_text()) or handlers.search(p.read_text())]
    assert offenders == []


def test_every_script_a_template_loads_is_served_from_the_site(client: TestClient) -> None:
    sources = {m for folder in (TEMPLATES, DOCUMENT_TEMPLATES, EM_TEMPLATES) for p in folder.rglob("*.html")
               for m in re.findall(r'<script[^>]*\bsrc="([^"]+)"', p.read_text())}
    assert "/static/js-enabled.js" in sources and "/static/app.js" in sources
    for src in sources:
        assert src.startswith("/static/"), src
        assert client.get(src).status_code == 200, src


def test_a_printable_document_allows_exactly_its_own_stylesheet_and_no_script(client: TestClient) -> None:
    h = bearer(client, "om1")
    case_id = create_case(client, lambda u: h if u == "om1" else bearer(client, u), person__crn="H000002")
    r = client.get(f"/api/cases/{case_id}/reports/progress?format=html", headers=h)
    assert r.status_code == 200
    styles = re.findall(r"<style[^>]*>(.*?)</style>", r.text, re.S)
    assert styles
    policy = r.headers["content-security-policy"]
    for css in styles:
        assert f"'sha256-{b64encode(hashlib.sha256(css.encode()).digest()).decode()}'" in policy
    assert "default-src 'none'" in policy and "script-src" not in policy and "frame-ancestors 'none'" in policy
    assert r.headers["cache-control"] == "no-store"
