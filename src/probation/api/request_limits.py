"""Request body limits, enforced in front of the whole application (pure ASGI, so the body
streams through): before anything parses the body or authenticates the caller.

A `Content-Length` over the limit is answered 413 at once, without reading a byte of the body; a
body without one (chunked) is counted as it arrives and cut off at the first byte over. The 413 is
an RFC 9457 problem naming the limit and the setting that raises it (docs/SECURITY.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from probation.api.problems import problem
from probation.config import Settings

UPLOAD_PATHS = frozenset({"/api/em/notifications/upload"})  # multipart file uploads
INGEST_PATHS = frozenset({"/api/em/ingest"})                # EM device data batches


@dataclass(frozen=True, kw_only=True)
class Limit:
    bytes: int
    setting: str  # the environment variable that sets it
    what: str

    def message(self) -> str:
        return (f"{self.what} is limited to {self.bytes:,} bytes ({_mib(self.bytes)}); "
                f"set by {self.setting}")


def _mib(n: int) -> str:
    return f"{n / 1024 / 1024:g} MiB"


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes its limit. An HTTPException, so the
    framework passes it on rather than reporting a parse error; the middleware answers it."""

    def __init__(self, limit: Limit) -> None:
        super().__init__(status_code=413, detail=limit.message())
        self.limit = limit


def too_large(limit: Limit, received: int | None, path: str) -> JSONResponse:
    return problem(413, f"the request body is too large: {limit.message()}", instance=path,
                   errors=[{"field": "body", "value": received, "rule": limit.message(),
                            "message": f"body: at most {limit.bytes} bytes ({limit.setting})"}],
                   headers={"Connection": "close"})


class RequestLimits:
    def __init__(self, app: ASGIApp, *, body: Limit, upload: Limit, ingest: Limit) -> None:
        self.app, self.body, self.upload, self.ingest = app, body, upload, ingest

    @classmethod
    def from_settings(cls, app: ASGIApp, settings: Settings) -> RequestLimits:
        return cls(app,
                   body=Limit(bytes=settings.max_body_bytes, setting="PROBATION_MAX_BODY_BYTES",
                              what="a JSON or form body"),
                   upload=Limit(bytes=settings.max_upload_bytes, setting="PROBATION_MAX_UPLOAD_BYTES",
                                what="an uploaded file"),
                   ingest=Limit(bytes=settings.max_ingest_bytes, setting="PROBATION_MAX_INGEST_BYTES",
                                what="an EM ingest batch"))

    def limit_for(self, scope: Scope, headers: Headers) -> Limit:
        path = scope["path"]
        if path in INGEST_PATHS:
            return self.ingest
        if path in UPLOAD_PATHS and headers.get("content-type", "").startswith("multipart/form-data"):
            return self.upload
        return self.body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.limit_for(scope, headers)
        declared = _content_length(headers)
        if declared is not None and declared > limit.bytes:
            await too_large(limit, declared, scope["path"])(scope, receive, send)  # the body is never read
            return
        received = 0
        exceeded = False
        started = replaced = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit.bytes:
                    exceeded = True
                    raise BodyTooLarge(limit)
            return message

        async def answer_413() -> None:
            nonlocal started, replaced
            started = replaced = True
            await too_large(limit, received, scope["path"])(scope, receive, send)

        async def guarded_send(message: Message) -> None:
            # Whatever the application made of the cut-off body (its own 413, a 400, or a
            # handler that swallowed the error), the client gets this 413.
            nonlocal started
            if replaced:
                return
            if exceeded and not started and message["type"] == "http.response.start":
                await answer_413()
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyTooLarge:
            if started:
                raise
            await answer_413()
            return
        if exceeded and not started:
            await answer_413()


def _content_length(headers: Headers) -> int | None:
    raw = headers.get("content-length")
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None
