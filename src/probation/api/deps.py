"""Request dependencies: the unit of work (one transaction per request), the clock and the actor."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from probation.services import audit, auth_sessions, users
from probation.services.context import Actor
from probation.services.sign_in import ThrottlePolicy

bearer = HTTPBearer(auto_error=False)


def _transaction(request: Request) -> Iterator[Session]:
    """Commit when the handler returns, roll back when it raises: a rejected request writes nothing
    but the audit rows it kept (a denied read, a failed sign-in), written once it has ended."""
    session: Session = request.app.state.sessions()
    try:
        with session.begin():
            yield session
    finally:
        session.close()
        audit.write_kept(session, request.app.state.sessions)
        auth_sessions.write_touched(session, request.app.state.sessions)


def get_session(session: Session = Depends(_transaction, scope="function")) -> Session:
    """The request's transaction. Scope "function": it commits when the handler returns and
    *before* the response is sent (FastAPI's default runs the code after `yield` once the response
    has gone), so a client never sees 2xx for a write that then fails to commit, and the page a
    POST redirects to always sees the write."""
    return session


def get_now(request: Request) -> datetime:
    now: datetime = request.app.state.clock()
    return now


def get_api_actor(request: Request, session: Session = Depends(get_session),
                  creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Actor:
    if creds is None:
        raise users.AuthenticationFailed("no bearer token", field="Authorization", value=None,
                                         rule="send Authorization: Bearer <token> from POST /api/token")
    actor = auth_sessions.actor_for(session, creds.credentials, channel="api", now=request.app.state.clock())
    request.state.actor = actor  # a refusal later in the request is audited as this actor's (api/denials.py)
    return actor


def client_address(request: Request) -> str:
    """The address sign-ins are throttled by: the client's, as the server sees it (behind a reverse
    proxy, the proxy must be trusted to pass it on; see docs/SECURITY.md)."""
    return request.client.host if request.client and request.client.host else "unknown"


def throttle_policy(request: Request) -> ThrottlePolicy:
    return ThrottlePolicy.from_settings(request.app.state.settings)
