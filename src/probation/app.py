"""Composition root: the JSON API under /api, the web pages at /, static assets, problem responses."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from probation import em
from probation.adapters.clock import Clock, system_clock
from probation.adapters.db import load_all_tables
from probation.adapters.db.engine import make_engine, make_session_factory
from probation.api import (
    cases,
    contact_level,
    data_protection,
    delivery,
    interventions,
    obligations,
    problems,
    protection,
)
from probation.api.answers import PROBLEMS
from probation.api.request_limits import RequestLimits
from probation.api.request_text import RequestText
from probation.api.security_headers import SecurityHeaders
from probation.config import Settings, get_settings
from probation.em.api import routes as em_api
from probation.em.web import centre as em_centre_pages
from probation.em.web import police as police_pages
from probation.services import retention
from probation.services.obligations.per_case import use_contact_matrix
from probation.web import admin as admin_pages
from probation.web import api_docs as api_docs_pages
from probation.web import assurance as assurance_pages
from probation.web import data_protection as data_protection_pages
from probation.web import deliveries as deliveries_pages
from probation.web import interventions as interventions_pages
from probation.web import lifecycle as lifecycle_pages
from probation.web import nav, pages
from probation.web import risk_team as risk_team_pages
from probation.web import updates as updates_pages
from probation.web import worklist as worklist_pages
from probation.web.practice import appointments as practice_appointments
from probation.web.practice import case as practice_case
from probation.web.practice import enforcement as practice_enforcement

STATIC = Path(__file__).resolve().parent / "web" / "static"

# Every router of the service, in matching order: the JSON API, then the pages (the core pages'
# router comes last, with their session middleware, through pages.install). A feature adds its
# router here; tests/unit/test_app_routers.py fails on a router that is not served.
ROUTERS: tuple[APIRouter, ...] = (
    cases.health_router,
    cases.router,
    contact_level.router,
    data_protection.router,
    delivery.router,
    em_api.router,
    interventions.router,
    obligations.router,
    protection.router,
    admin_pages.router,
    api_docs_pages.router,
    assurance_pages.router,
    data_protection_pages.router,
    deliveries_pages.router,
    em_centre_pages.router,
    interventions_pages.router,
    lifecycle_pages.router,
    police_pages.router,
    practice_appointments.router,
    practice_case.router,
    practice_enforcement.router,
    risk_team_pages.router,
    updates_pages.router,
    worklist_pages.router,
)


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
    use_contact_matrix(settings.contact_matrix)  # a bad file stops start-up, naming the problem
    retention.use_policy(settings.retention)  # likewise the retention policy
    # The API documentation is served by web/api_docs.py (vendored assets, sign-in in production).
    app = PlatformApp(title="Probation service-delivery platform", version="0.1.0",
                      description="Case records, obligations and assurance for the HMPPS probation service "
                                  "specifications. Errors are RFC 9457 problem details.",
                      docs_url=None, redoc_url=None, openapi_url=None, responses=PROBLEMS)
    engine = make_engine(settings.database_url, echo=settings.log_sql)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_session_factory(engine)
    app.state.clock = clock
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    em.install()  # electronic monitoring's holdings join the map of a person's records
    nav.extend(*em_centre_pages.MENU, *police_pages.MENU)  # the core's menu is web/nav.py MENU
    pages.install(app)
    app.mount("/static", StaticFiles(directory=STATIC, packages=[em.STATIC]), name="static")
    return app
