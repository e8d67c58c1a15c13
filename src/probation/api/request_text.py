"""Request text is text: a lone surrogate (`"\\ud800"`, or the same code point as raw bytes) is not
a character, and a NUL (U+0000) is not stored by PostgreSQL. Python's JSON and form decoders let
both through into the request's strings; then the UTF-8 response encoder (even of a 401 or 422
that echoes the value) or the PostgreSQL driver fails on them: a 500, even unauthenticated.
Refused here, in front of the application, before parsing and authentication, with a 422 naming
the field: in the query string, a form body (URL-encoded) or a JSON body. Uploaded files are read
by their own services, which apply the same rule (`domain.text`).

A body is held while it is checked; it is already bounded by the request limits in front of this
(request_limits.py), and the framework reads a JSON or form body whole anyway.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from probation.api.problems import problem
from probation.domain.text import RULE, bad_field, bad_text

_SUSPECT_ESCAPE = re.compile(rb"\\u(?:[dD][89a-fA-F]|0000)")  # a surrogate (a valid pair has two) or NUL
_FORM = "application/x-www-form-urlencoded"


def _kind(headers: Headers) -> str:
    return headers.get("content-type", "").split(";", 1)[0].strip().lower()


def is_json(kind: str) -> bool:
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def json_field(body: bytes) -> str | None:
    """The field (dotted, as validation errors name them) of the first string that is not text,
    or None when every string is text (or the body is not JSON: the parser reports that as usual)."""
    try:
        body.decode("utf-8")
        if not _SUSPECT_ESCAPE.search(body):
            return None  # the usual case: valid UTF-8 and no suspect escape at all
    except UnicodeDecodeError:
        pass  # raw surrogate bytes are not UTF-8 but the JSON decoder takes them; look closer
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    return bad_field(parsed)


def pairs_field(pairs: list[tuple[str, str]]) -> str | None:
    """The first name whose name or value is not text, among decoded query or form pairs."""
    for name, value in pairs:
        if bad_text(name) or bad_text(value):
            return name.encode("ascii", "backslashreplace").decode()
    return None


def _decoded(raw: bytes) -> list[tuple[str, str]]:
    return parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="surrogateescape")


async def _refuse(field: str, scope: Scope, receive: Receive, send: Send) -> None:
    await problem(422, f"{field}: {RULE}", instance=scope["path"],
                  errors=[{"field": field, "rule": RULE, "message": f"{field} holds a character that is not text"}]
                  )(scope, receive, send)


class RequestText:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        field = pairs_field(_decoded(query)) if query else None
        if field is None and bad_text(scope.get("path", "")):
            field = "path"
        if field is not None:
            await _refuse(field, scope, receive, send)
            return
        kind = _kind(Headers(scope=scope))
        if not (is_json(kind) or kind == _FORM):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went before sending the whole body
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        field = json_field(body) if is_json(kind) else (pairs_field(_decoded(body)) if body else None)
        if field is not None:
            await _refuse(field, scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
