"""Web sign-in state: a signed session cookie holding the username and a CSRF token."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from sqlalchemy.orm import Session

from probation.domain.errors import DomainError
from probation.services import users
from probation.services.context import Actor


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


def web_actor(request: Request, session: Session) -> Actor:
    username = request.session.get("user")
    if not username:
        raise NotSignedIn()
    try:
        actor = users.actor_for(session, str(username), "web")
    except users.AuthenticationFailed as exc:
        request.session.clear()
        raise NotSignedIn() from exc
    request.state.actor = actor  # a refusal later in the request is audited as this actor's (api/denials.py)
    return actor
