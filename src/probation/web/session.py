"""Web sign-in state: a signed cookie holding the session identifier (the server-side session row
decides whether it is still live; see services/auth_sessions.py) and the form's CSRF token."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from sqlalchemy.orm import Session

from probation.domain.errors import DomainError
from probation.services import auth_sessions, users
from probation.services.context import Actor

SESSION_KEY = "sid"  # the session identifier in the signed cookie


class NotSignedIn(Exception):
    pass


class CsrfFailed(DomainError):
    status = 403


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not submitted or not hmac.compare_digest(str(expected), submitted):
        raise CsrfFailed("the form has expired or did not come from this site; reload the page and try again",
                         field="csrf_token", value=None, rule="forms carry the CSRF token of your session")


def start_session(request: Request, identifier: str) -> None:
    """A new cookie for a new sign-in: nothing of the cookie before it (CSRF token included) is kept."""
    request.session.clear()
    request.session[SESSION_KEY] = identifier


def session_identifier(request: Request) -> str | None:
    value = request.session.get(SESSION_KEY)
    return str(value) if value else None


def web_actor(request: Request, session: Session) -> Actor:
    identifier = session_identifier(request)
    if not identifier:
        raise NotSignedIn()
    try:
        actor = auth_sessions.actor_for(session, identifier, channel="web", now=request.app.state.clock())
    except users.AuthenticationFailed as exc:
        request.session.clear()
        raise NotSignedIn() from exc
    request.state.actor = actor  # a refusal later in the request is audited as this actor's (api/denials.py)
    return actor
