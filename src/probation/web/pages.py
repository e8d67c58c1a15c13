"""Web pages: sign in, caseload, case page. Later features add their pages beside these."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import FileSystemLoader
from sqlalchemy.orm import Session
from starlette.middleware.sessions import SessionMiddleware

from probation.api.denials import audit_refusal
from probation.api.deps import client_address, get_now, get_session, throttle_policy
from probation.domain.calendar import LONDON
from probation.domain.errors import DomainError
from probation.domain.roles import Role
from probation.services import audit, auth_sessions, cases, users
from probation.services import sign_in as signing
from probation.web.forms import CSRF
from probation.web.nav import nav_for
from probation.web.session import (
    NotSignedIn,
    csrf_token,
    session_identifier,
    start_session,
    web_actor,
)

TEMPLATES = Jinja2Templates(directory=[str(Path(__file__).parent / "templates"),
                                       str(Path(__file__).parent.parent / "adapters" / "documents" / "templates")])
TEMPLATES.env.globals["Role"] = Role
TEMPLATES.env.globals["nav_for"] = nav_for
TEMPLATES.env.filters["date"] = lambda d: d.strftime("%-d %b %Y") if d else ""
TEMPLATES.env.filters["datetime"] = lambda t: t.astimezone(LONDON).strftime("%-d %B %Y at %H:%M") if t else ""
TEMPLATES.env.filters["label"] = lambda v: str(v).replace("_", " ").capitalize() if v is not None else ""


def add_templates(directory: Path) -> None:
    """A feature package's own template folder, searched after the platform's (electronic
    monitoring's pages extend base.html and use the shared macros)."""
    loader = TEMPLATES.env.loader
    assert isinstance(loader, FileSystemLoader)
    if str(directory) not in loader.searchpath:
        loader.searchpath.append(str(directory))


router = APIRouter(include_in_schema=False)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("actor", None)
    context["csrf_token"] = csrf_token(request)
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status)


def home_for(role: Role) -> str:
    if role is Role.COMMISSIONER:
        return "/assurance"
    return "/caseload" if role.sees_people else "/account"


@router.get("/")
def index(request: Request) -> Response:
    return RedirectResponse("/caseload" if session_identifier(request) else "/sign-in", status_code=303)


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "sign_in.html", next=next, errors={}, username="")


@router.post("/sign-in")
def sign_in(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/"),
            csrf: None = CSRF, now: datetime = Depends(get_now)) -> Response:
    errors: dict[str, str] = {}
    if not username.strip():
        errors["username"] = "Enter your username"
    if not password:
        errors["password"] = "Enter your password"
    status, retry_after = 400, None
    if not errors:
        try:
            signed = signing.sign_in(request.app.state.sessions, username=username.strip(),
                                     password=password, address=client_address(request), channel="web",
                                     now=now, policy=throttle_policy(request),
                                     max_age_s=request.app.state.settings.session_max_age_s)
        except signing.TooManyAttempts as exc:
            status, retry_after = 429, exc.retry_after
            errors["username"] = (f"There have been too many failed attempts to sign in. Wait "
                                  f"{signing.wait_words(exc.retry_after)}, then try again")
        except users.AuthenticationFailed:
            errors["password"] = "The username or password is not right"
        else:
            start_session(request, signed.identifier)
            local = next.startswith("/") and not next.startswith("//") and next != "/"
            target = next if local else home_for(signed.actor.role)
            return RedirectResponse(target, status_code=303)
    response = render(request, "sign_in.html", status=status, next=next, errors=errors, username=username)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


@router.post("/sign-out")
def sign_out(request: Request, csrf: None = CSRF, session: Session = Depends(get_session),
             now: datetime = Depends(get_now)) -> Response:
    """End this browser's session on the server, not only its cookie: a copy of the cookie is refused too."""
    identifier = session_identifier(request)
    if identifier:
        try:
            actor = web_actor(request, session)
        except NotSignedIn:
            pass
        else:
            auth_sessions.end(session, identifier, now=now, reason="signed out")
            audit.record(session, actor, "logout", None, "signed out via web", at=now)
    request.session.clear()
    return RedirectResponse("/sign-in", status_code=303)


@router.get("/account")
def account(request: Request, session: Session = Depends(get_session)) -> HTMLResponse:
    actor = web_actor(request, session)
    return render(request, "account.html", actor=actor)


@router.get("/caseload")
def caseload(request: Request, q: str | None = Query(None, max_length=100), scope: str = Query("mine"),
             page: int = Query(1, ge=1, le=100_000), session: Session = Depends(get_session),
             now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = web_actor(request, session)
    if scope not in ("mine", "all"):
        scope = "mine"
    result = cases.list_caseload(session, actor, scope=scope, q=q, page=page, size=25, now=now)
    return render(request, "caseload.html", actor=actor, page=result, q=q or "", scope=scope)


@router.get("/cases/{crn}")
def case_page(crn: str, request: Request, session: Session = Depends(get_session),
              now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = web_actor(request, session)
    record = cases.get_person_record(session, actor, crn, now=now)
    return render(request, "case.html", actor=actor, record=record, as_of=now.date())


def install(app: FastAPI) -> None:
    settings = app.state.settings
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="probation_session",
                       max_age=settings.session_max_age_s, same_site="lax", https_only=settings.env == "production")
    app.include_router(router)
    previous = app.exception_handlers.get(DomainError)

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?next={quote(target)}", status_code=303)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        if request.url.path.startswith("/api") or previous is None:
            assert previous is not None
            handled = previous(request, exc)  # the API's handler, a coroutine
            return handled if isinstance(handled, Response) else await handled
        await audit_refusal(request, exc)
        return render(request, "error.html", status=exc.status, error=exc)
