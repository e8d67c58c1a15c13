"""RFC 9457 problem details for every error, naming the field, the value and the rule."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from probation.api.denials import audit_refusal
from probation.domain.errors import DomainError

PROBLEM = "application/problem+json"
TITLES = {400: "Bad request", 401: "Not signed in", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
          409: "Conflict", 413: "Content too large", 415: "Unsupported media type", 422: "Invalid input",
          429: "Too many requests", 500: "Internal error"}


def problem(status: int, detail: str, *, errors: list[dict[str, Any]] | None = None,
            instance: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": f"https://probation.example/problems/{status}",
                            "title": TITLES.get(status, "Error"), "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _loc(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _safe(value: Any) -> Any:
    if value is None or isinstance(value, int | float | bool | str):
        return value if not isinstance(value, str) or len(value) < 200 else value[:200] + "..."
    return str(value)[:200]


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        await audit_refusal(request, exc)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if getattr(exc, "retry_after", None):  # a throttled sign-in says when to try again
            headers = {**(headers or {}), "Retry-After": str(exc.retry_after)}  # type: ignore[attr-defined]
        return problem(exc.status, exc.message, errors=[exc.as_dict()], instance=request.url.path, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for e in exc.errors():
            field = _loc(tuple(e.get("loc", ())))
            errors.append({"field": field, "value": _safe(e.get("input")), "rule": e.get("msg", "invalid"),
                           "message": f"{field}: {e.get('msg', 'invalid')}"})
        detail = "; ".join(f"{e['field']}: {e['rule']}" for e in errors[:5])
        return problem(422, detail or "invalid request", errors=errors, instance=request.url.path)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        return problem(409, "the change conflicts with existing records", instance=request.url.path,
                       errors=[{"field": None, "rule": "uniqueness and references must hold",
                                "message": str(exc.orig).splitlines()[0][:200]}])

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail), instance=request.url.path,
                       headers=getattr(exc, "headers", None))
