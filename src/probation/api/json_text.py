"""JSON request bodies hold text: a lone surrogate (`"\\ud800"`, or the same code point as raw
UTF-8 bytes) is not a character. Python's JSON decoder lets one through into the request's
strings, and then the UTF-8 response encoder (even of a 401 or 422 that echoes the value) and the
PostgreSQL driver fail on it: a 500, even unauthenticated. Refused here, in front of the
application, before parsing and authentication, with a 422 naming the field.

The body is held while it is checked; it is already bounded by the request limits in front of
this (request_limits.py), and the framework reads a JSON body whole anyway.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from probation.api.problems import problem

RULE = "text is valid Unicode: a lone surrogate code point (U+D800 to U+DFFF) is not a character"
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")  # any surrogate escape; a valid pair has two
_SURROGATE = re.compile("[\ud800-\udfff]")


def is_json(headers: Headers) -> bool:
    kind = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def lone_surrogate_field(body: bytes) -> str | None:
    """The field (dotted, as validation errors name them) of the first string holding a lone
    surrogate, or None when every string is text (or the body is not JSON: that is reported by
    the parser as usual)."""
    try:
        body.decode("utf-8")
        if not _SURROGATE_ESCAPE.search(body):
            return None  # the usual case: valid UTF-8 and no surrogate escape at all
    except UnicodeDecodeError:
        pass  # raw surrogate bytes are not UTF-8 but the JSON decoder takes them; look closer
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    return _find(parsed, ())


def _find(value: Any, path: tuple[str, ...]) -> str | None:
    if isinstance(value, str):
        return ".".join(path) or "body" if _SURROGATE.search(value) else None
    items: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    for key, item in items:
        name = str(key)
        if _SURROGATE.search(name):  # the key itself: name it as the JSON escape would
            return ".".join((*path, name.encode("ascii", "backslashreplace").decode()))
        found = _find(item, (*path, name))
        if found:
            return found
    return None


class JsonText:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_json(Headers(scope=scope)):
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
        field = lone_surrogate_field(body)
        if field is not None:
            await problem(422, f"{field}: {RULE}", instance=scope["path"],
                          errors=[{"field": field, "rule": RULE,
                                   "message": f"{field} holds a lone surrogate, which is not text"}]
                          )(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
