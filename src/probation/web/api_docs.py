"""The API documentation: Swagger UI at /docs and the OpenAPI document at /openapi.json.

Swagger UI's files are vendored from npm (swagger-ui-dist, scripts/vendor-assets.sh) and it is
started by an external script, so the page needs no CDN and keeps the site's Content-Security-
Policy. Public outside production; in production only to a signed-in user (a web session or an
API token) unless PROBATION_API_DOCS_PUBLIC=true (docs/SECURITY.md "API documentation")."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.orm import Session

from probation.api.deps import bearer, get_api_actor, get_session
from probation.api.problems import problem
from probation.config import Settings
from probation.services import users
from probation.web.pages import TEMPLATES
from probation.web.session import NotSignedIn, web_actor

router = APIRouter(include_in_schema=False)
OPENAPI_URL = "/openapi.json"


def docs_public(settings: Settings) -> bool:
    return settings.api_docs_public or settings.env != "production"


@router.get("/docs")
def api_docs(request: Request, session: Session = Depends(get_session)) -> HTMLResponse:
    if not docs_public(request.app.state.settings):
        web_actor(request, session)  # not signed in: to the sign-in page, and back here after
    return TEMPLATES.TemplateResponse(request, "api_docs/swagger.html", {"openapi_url": OPENAPI_URL})


@router.get(OPENAPI_URL)
def openapi_document(request: Request, session: Session = Depends(get_session),
                     creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Response:
    if not docs_public(request.app.state.settings):
        try:
            if creds is not None:
                get_api_actor(request=request, session=session, creds=creds)
            else:
                web_actor(request, session)
        except (users.AuthenticationFailed, NotSignedIn):
            return problem(401, "sign in to read the API documentation", instance=request.url.path,
                           headers={"WWW-Authenticate": "Bearer"},
                           errors=[{"field": "Authorization", "rule": "in production the API documentation "
                                    "is for signed-in users (PROBATION_API_DOCS_PUBLIC=true makes it public)",
                                    "message": "send Authorization: Bearer <token>, or sign in"}])
    schema: dict[str, Any] = request.app.openapi()
    return JSONResponse(schema)
