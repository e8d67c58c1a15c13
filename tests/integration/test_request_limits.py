"""Request body limits: refused with 413 before anything parses the body or authenticates the
caller, naming the limit and the setting that raises it (docs/SECURITY.md "Request limits")."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.clock import fixed_clock
from probation.adapters.db.tables import AuditRow, CaseRow, PersonRow
from probation.app import create_app
from probation.config import Settings
from tests.conftest import NOW
from tests.factories import PASSWORD

MIB = 1024 * 1024
CHUNK = 64 * 1024


class Sent:
    """An ASGI client's side of one request: the body in chunks, and how many the app pulled."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks, self.pulled = chunks, 0
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.body = b""

    async def receive(self) -> dict[str, Any]:
        if self.pulled < len(self.chunks):
            self.pulled += 1
            return {"type": "http.request", "body": self.chunks[self.pulled - 1],
                    "more_body": self.pulled < len(self.chunks)}
        await asyncio.sleep(3600)  # the client waits for its answer
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")


def post_asgi(app: Any, path: str, chunks: list[bytes], *, content_type: str = "application/json",
              content_length: bool = True) -> Sent:
    headers = [(b"content-type", content_type.encode()), (b"host", b"testserver")]
    if content_length:
        headers.append((b"content-length", str(sum(map(len, chunks))).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "headers": headers, "client": ("127.0.0.1", 5000),
             "server": ("testserver", 80)}
    sent = Sent(chunks)
    # A thread of its own: a browser test in the same worker leaves an event loop running here.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, asyncio.wait_for(app(scope, sent.receive, sent.send), timeout=60)).result()
    return sent


def counts(app: Any) -> tuple[int, int, int]:
    with app.state.sessions() as s:
        return (s.scalar(select(func.count()).select_from(AuditRow)) or 0,
                s.scalar(select(func.count()).select_from(CaseRow)) or 0,
                s.scalar(select(func.count()).select_from(PersonRow)) or 0)


def test_an_anonymous_5_mib_json_post_is_refused_413_without_the_body_being_read(app: Any) -> None:
    before = counts(app)
    sent = post_asgi(app, "/api/cases", [b" " * CHUNK] * (5 * MIB // CHUNK))
    assert sent.status == 413
    assert sent.pulled == 0  # a Content-Length over the limit: not one chunk read
    assert sent.headers["content-type"] == "application/problem+json"
    problem = json.loads(sent.body)
    assert "1,048,576 bytes" in problem["detail"] and "PROBATION_MAX_BODY_BYTES" in problem["detail"]
    assert problem["errors"][0]["field"] == "body"
    assert counts(app) == before  # no case, no person, not even an audit row


def test_a_chunked_body_is_counted_as_it_streams_and_cut_off_at_the_limit(app: Any) -> None:
    before = counts(app)
    sent = post_asgi(app, "/api/cases", [b" " * CHUNK] * 80, content_length=False)  # 5 MiB, no length
    assert sent.status == 413
    assert sent.pulled == MIB // CHUNK + 1  # stopped at the first chunk over 1 MiB, 63 never read
    assert "PROBATION_MAX_BODY_BYTES" in sent.body.decode()
    assert counts(app) == before


def test_a_body_within_the_limit_reaches_the_application(client: TestClient) -> None:
    r = client.post("/api/token", json={"username": "om1", "password": PASSWORD})
    assert r.status_code == 200


def test_the_limit_is_configuration(db_url: str) -> None:
    app = create_app(Settings(database_url=db_url, env="test", max_body_bytes=4096), clock=fixed_clock(NOW))
    with TestClient(app) as c:
        r = c.post("/api/token", content=b"{" + b" " * 5000 + b"}", headers={"content-type": "application/json"})
        assert r.status_code == 413
        assert "4,096 bytes" in r.json()["detail"] and r.json()["instance"] == "/api/token"
        assert c.post("/api/token", json={"username": "x", "password": "y"}).status_code != 413
        # page forms are bodies too
        assert c.post("/sign-in", data={"username": "x" * 5000}).status_code == 413
    app.state.engine.dispose()


def test_an_em_ingest_batch_has_its_own_larger_limit(app: Any) -> None:
    # Twenty times the benchmark's 2,000-fix batch (about 232 kB) fits under the ingest limit and
    # reaches the application (which asks who is sending it); past 8 MiB it is refused unread.
    within = post_asgi(app, "/api/em/ingest", [b"{" + b" " * (4 * MIB) + b"}"])
    assert within.status == 401
    over = post_asgi(app, "/api/em/ingest", [b" " * CHUNK] * (9 * MIB // CHUNK))
    assert over.status == 413 and over.pulled == 0
    assert "PROBATION_MAX_INGEST_BYTES" in over.body.decode()


def test_an_upload_has_its_own_limit_and_multipart_elsewhere_has_the_body_limit(db_url: str) -> None:
    app = create_app(Settings(database_url=db_url, env="test", max_upload_bytes=64 * 1024,
                              max_body_bytes=16 * 1024), clock=fixed_clock(NOW))
    files = {"file": ("court.csv", "crn\n" + "E100001\n" * 5000, "text/csv")}  # 40 kB
    with TestClient(app) as c:
        r = c.post("/api/em/notifications/upload", files=files)
        assert r.status_code == 401  # under the upload limit: the application answers
        big = {"file": ("court.csv", "crn\n" + "E100001\n" * 10000, "text/csv")}  # 80 kB
        r = c.post("/api/em/notifications/upload", files=big)
        assert r.status_code == 413 and "PROBATION_MAX_UPLOAD_BYTES" in r.json()["detail"]
        r = c.post("/api/cases", files=files)
        assert r.status_code == 413 and "PROBATION_MAX_BODY_BYTES" in r.json()["detail"]
    app.state.engine.dispose()


def test_the_413_carries_the_security_headers(client: TestClient) -> None:
    r = client.post("/api/cases", content=b" " * (2 * MIB), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["cache-control"] == "no-store"
