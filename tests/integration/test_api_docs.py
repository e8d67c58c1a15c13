"""The API documentation: Swagger UI from vendored files at /docs and the OpenAPI document at
/openapi.json; public outside production, behind sign-in in production unless configured public
(docs/SECURITY.md "API documentation")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from probation.adapters.clock import fixed_clock
from probation.app import create_app
from probation.config import Settings
from tests.conftest import NOW
from tests.factories import PASSWORD

STATIC = Path(__file__).resolve().parents[2] / "src/probation/web/static"
SECRET = "a-production-secret-of-more-than-32-bytes-for-tests"


@pytest.fixture
def make_client(seeded_sqlite: str) -> Iterator[Any]:
    made: list[Any] = []

    def make(**settings: Any) -> TestClient:
        app = create_app(Settings(database_url=seeded_sqlite, **settings), clock=fixed_clock(NOW))
        made.append(app)
        return TestClient(app, base_url="https://testserver")  # production cookies are Secure

    yield make
    for app in made:
        app.state.engine.dispose()


def sign_in(client: TestClient) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text)
    assert token
    r = client.post("/sign-in", data={"username": "om1", "password": PASSWORD, "csrf_token": token[1]},
                    follow_redirects=False)
    assert r.status_code == 303


def test_in_development_the_docs_are_public_and_load_only_the_sites_own_files(make_client: Any) -> None:
    c = make_client(env="development")
    r = c.get("/docs")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    scripts = re.findall(r"<script[^>]*>", r.text)
    assert scripts == ['<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js">',
                       '<script src="/static/api-docs.js">']  # no inline script, nothing from a CDN
    assert "cdn" not in r.text.lower() and 'data-openapi-url="/openapi.json"' in r.text
    for asset in ("/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/vendor/swagger-ui/swagger-ui.css",
                  "/static/api-docs.js"):
        assert c.get(asset).status_code == 200, f"{asset}: run scripts/vendor-assets.sh"
    doc = c.get("/openapi.json")
    assert doc.status_code == 200 and doc.json()["openapi"].startswith("3.")
    assert "/api/cases" in doc.json()["paths"]


def test_in_production_the_docs_need_a_signed_in_user(make_client: Any) -> None:
    c = make_client(env="production", secret_key=SECRET)
    r = c.get("/docs", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/sign-in?next=/docs"
    r = c.get("/openapi.json")
    assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"
    assert "PROBATION_API_DOCS_PUBLIC" in r.json()["errors"][0]["rule"]
    assert c.get("/openapi.json", headers={"Authorization": "Bearer forged"}).status_code == 401
    token = c.post("/api/token", json={"username": "om1", "password": PASSWORD}).json()["access_token"]
    r = c.get("/openapi.json", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and "/api/cases" in r.json()["paths"]
    sign_in(c)
    assert c.get("/docs").status_code == 200
    assert c.get("/openapi.json").status_code == 200


def test_in_production_the_docs_can_be_made_public(make_client: Any) -> None:
    c = make_client(env="production", secret_key=SECRET, api_docs_public=True)
    assert c.get("/docs").status_code == 200
    assert c.get("/openapi.json").status_code == 200


def test_redoc_is_not_served(make_client: Any) -> None:
    # One documentation page (Swagger UI); ReDoc needs inline styles and a CDN.
    assert make_client(env="development").get("/redoc").status_code == 404


def test_the_vendored_swagger_ui_is_pinned_and_copied_by_the_asset_script() -> None:
    root = STATIC.parents[3]
    assert '"swagger-ui-dist": "5.35.0"' in (root / "package.json").read_text()
    assert "swagger-ui-dist/swagger-ui-bundle.js" in (root / "scripts/vendor-assets.sh").read_text()
