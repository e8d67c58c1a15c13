"""Composition root: the JSON API under /api, the web pages at /, static assets, problem responses."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from probation import api as api_package
from probation import web as web_package
from probation.adapters.clock import Clock, system_clock
from probation.adapters.db import load_all_tables
from probation.adapters.db.engine import make_engine, make_session_factory
from probation.api import problems, routes
from probation.api.request_limits import RequestLimits
from probation.api.request_text import RequestText
from probation.api.security_headers import SecurityHeaders
from probation.config import Settings, get_settings
from probation.services import obligations, retention
from probation.web import pages
from probation.web.practice import appointments, case, enforcement

STATIC = Path(__file__).resolve().parent / "web" / "static"


class PlatformApp(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        """The framework's stack inside three guards of our own: security headers on every
        response (the framework's own 500 page included), then the request limits, then the JSON
        text check, so an oversized or malformed body is refused before anything parses it or
        authenticates the caller (docs/SECURITY.md)."""
        settings: Settings = self.state.settings
        inner = RequestText(super().build_middleware_stack())
        return SecurityHeaders(RequestLimits.from_settings(inner, settings),
                               production=settings.env == "production")


def create_app(settings: Settings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    settings = settings or get_settings()
    load_all_tables()
    obligations.use_contact_matrix(settings.contact_matrix)  # a bad file stops start-up, naming the problem
    retention.use_policy(settings.retention)  # likewise the retention policy
    # The API documentation is served by web/pages_api_docs.py (vendored assets, sign-in in production).
    app = PlatformApp(title="Probation service-delivery platform", version="0.1.0",
                      description="Case records, obligations and assurance for the HMPPS probation service "
                                  "specifications. Errors are RFC 9457 problem details.",
                      docs_url=None, redoc_url=None, openapi_url=None)
    engine = make_engine(settings.database_url, echo=settings.log_sql)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_session_factory(engine)
    app.state.clock = clock
    problems.install(app)
    app.include_router(routes.health_router)
    app.include_router(routes.router)
    # Each feature adds `api/routes_<feature>.py` and `web/pages_<feature>.py`, each with a `router`.
    for package in (api_package, web_package):
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            if info.name.startswith(("routes_", "pages_")):
                app.include_router(importlib.import_module(f"{package.__name__}.{info.name}").router)
    for practice in (appointments, case, enforcement):
        app.include_router(practice.router)
    pages.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
