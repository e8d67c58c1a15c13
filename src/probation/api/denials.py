"""Every refused request of a signed-in user is a `denied` audit row, whatever route refused it.

One place instead of one per route: the error handlers of the API (api/problems.py) and of the
pages (web/pages.py) call `audit_refusal` for each `DomainError` they answer. A 404 (a case, person
or record outside the actor's scope answers as one that does not exist) or a 403 (a role or an
ownership rule) from a request whose actor was resolved (`request.state.actor`, set by
`api.deps.get_api_actor` and `web.session.web_actor`) is written in a transaction of its own, so it
survives the request's rollback. The subject is what was asked for: the CRN, else the record key
from the address (`case:123`, `alert:A-5`, `staff:S3`), else the record the refusal named.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from probation.domain.errors import DomainError
from probation.services import audit
from probation.services.context import Actor

REFUSED = frozenset({403, 404})
CRN_FIELDS = frozenset({"crn", "person.crn"})


def subject_of(path_params: Mapping[str, Any], exc: DomainError) -> str | None:
    if "crn" in path_params:
        return str(path_params["crn"])
    if exc.field in CRN_FIELDS and isinstance(exc.value, str):
        return exc.value
    # A case's own records (/cases/{case_id}/appointments/{appointment_id}) are the case's.
    for name in ("case_id", *path_params):
        if name in path_params:
            return f"{_key(name)}:{path_params[name]}"
    if exc.field and exc.field.endswith("_id") and exc.value is not None:
        return f"{_key(exc.field)}:{exc.value}"
    return None


def _key(name: str) -> str:
    return name.removesuffix("_id").removesuffix("_code").replace("_", "-")


async def audit_refusal(request: Request, exc: DomainError) -> None:
    actor = getattr(request.state, "actor", None)
    if exc.status not in REFUSED or not isinstance(actor, Actor):
        return
    entry = audit.denied(actor, subject_of(request.path_params, exc),
                         f"{request.method} {request.url.path}: {exc.status} {exc.message}",
                         at=request.app.state.clock())
    await run_in_threadpool(audit.write_apart, request.app.state.sessions, [entry])
