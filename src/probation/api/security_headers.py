"""Security headers on every response: pages, API answers, static files, errors and redirects
(docs/SECURITY.md "Security headers").

- A Content-Security-Policy that allows scripts, styles, images and fonts from this site only: no
  inline script or style, nothing from elsewhere, no framing (`frame-ancestors 'none'`, and
  X-Frame-Options for older browsers), forms post only here.
- `Referrer-Policy: no-referrer`: page addresses carry case references (`/cases/X123456`).
- `X-Content-Type-Options: nosniff`.
- `Cache-Control: no-store` on everything but the static assets: pages and API answers hold
  personal data, and a shared computer's browser cache must not keep them.
- HSTS in production only (development runs over plain HTTP on localhost).

A printable document (a letter, an evidence pack, a report) carries its stylesheet inline so it
stands alone when saved; `document` serves it with its own policy that allows exactly those
`<style>` blocks (by hash) and no script at all.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'",
    "form-action 'self'", "frame-ancestors 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"
STATIC_PREFIX = "/static/"
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)


def headers_for(*, production: bool) -> list[tuple[str, str]]:
    headers = [("content-security-policy", CSP), ("x-frame-options", "DENY"),
               ("referrer-policy", "no-referrer"), ("x-content-type-options", "nosniff"),
               ("cross-origin-opener-policy", "same-origin")]
    if production:
        headers.append(("strict-transport-security", HSTS))
    return headers


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, production: bool) -> None:
        self.app = app
        self.headers = headers_for(production=production)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(STATIC_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers:
                    headers.setdefault(name, value)  # a document keeps its own policy
                if not static:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def document_policy(html: str) -> str:
    """The policy of a stand-alone document: its own inline `<style>` blocks (by hash), images and
    fonts from this site or inline, no script, no framing."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()}'"
                      for css in _STYLE.findall(html))
    return "; ".join([
        "default-src 'none'", f"style-src {hashes}" if hashes else "style-src 'none'",
        "img-src 'self' data:", "font-src 'self' data:", "base-uri 'none'", "form-action 'none'",
        "frame-ancestors 'none'",
    ])


def document(html: str) -> HTMLResponse:
    """A printable HTML document with the policy that lets its inline stylesheet apply."""
    return HTMLResponse(html, headers={"content-security-policy": document_policy(html)})
