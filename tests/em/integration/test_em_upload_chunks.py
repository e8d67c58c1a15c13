"""The court-notification upload: a row cap (413, nothing stored), records stored in bounded
chunks, and the work stops when the client goes (docs/SECURITY.md "Request limits")."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from probation.adapters.clock import fixed_clock
from probation.app import create_app
from probation.config import Settings
from probation.domain.roles import Role
from probation.em.services import centre as em_centre
from probation.em.tables import EmNotificationRow
from probation.services.context import Actor
from tests.conftest import NOW
from tests.factories import seed_reference

Auth = Callable[[str], dict[str, str]]
HEADER = "crn,court_code,order_date,requirement_start,requirement_end,exclusion_places,address\n"
EM = Actor(username="em", role=Role.EM_OPERATOR)


def court_file(rows: int) -> str:
    """Notifications naming no case on record: each is stored with a query (row 8)."""
    return HEADER + "".join(f"Z{n:06d},LDSMC,2026-11-02,2026-11-02,2027-05-02,Leeds,{n} High Street\n"
                            for n in range(1, rows + 1))


def stored(app: Any) -> int:
    with app.state.sessions() as s:
        return s.scalar(select(func.count()).select_from(EmNotificationRow)) or 0


def test_a_file_over_the_row_cap_is_refused_whole_naming_the_cap(db_url: str) -> None:
    app = create_app(Settings(database_url=db_url, env="test", max_upload_rows=100), clock=fixed_clock(NOW))
    with app.state.sessions.begin() as s:
        seed_reference(s)
    with TestClient(app) as c:
        token = c.post("/api/token", json={"username": "em", "password": "test-password"}).json()
        h = {"Authorization": f"Bearer {token['access_token']}"}
        r = c.post("/api/em/notifications/upload", files={"file": ("court.csv", court_file(101), "text/csv")},
                   headers=h)
        assert r.status_code == 413, r.text
        error = r.json()["errors"][0]
        assert error["field"] == "file" and "100" in error["rule"] and "PROBATION_MAX_UPLOAD_ROWS" in error["rule"]
        assert stored(app) == 0
        as_json = json.dumps([{"crn": "Z000001"}] * 101)
        r = c.post("/api/em/notifications/upload", files={"file": ("court.json", as_json, "application/json")},
                   headers=h)
        assert r.status_code == 413 and stored(app) == 0
        r = c.post("/api/em/notifications/upload", files={"file": ("court.csv", court_file(100), "text/csv")},
                   headers=h)
        assert r.status_code == 201 and stored(app) == 100
    app.state.engine.dispose()


def test_a_large_file_is_stored_in_chunks_a_transaction_each(
        client: TestClient, auth: Auth, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(em_centre, "CHUNK_RECORDS", 100)  # 500 in service; smaller keeps the test quick
    headers = auth("em")
    commits: list[int] = []
    event.listen(app.state.engine, "commit", lambda _conn: commits.append(1))
    client.post("/api/em/notifications/upload", files={"file": ("one.csv", court_file(1), "text/csv")},
                headers=headers)
    beside_the_records = len(commits) - 1  # the request's own (checking the caller), whatever it is
    commits.clear()
    r = client.post("/api/em/notifications/upload", files={"file": ("court.csv", court_file(250), "text/csv")},
                    headers=headers)
    assert r.status_code == 201, r.text
    items = r.json()["items"]
    assert [i["record"] for i in items] == list(range(1, 251))
    assert all(i["status"] == "queried" for i in items)
    assert stored(app) == 251
    assert len(commits) - beside_the_records == 3  # 100 + 100 + 50, not one transaction a record


def test_a_record_that_cannot_be_stored_does_not_stop_the_others_in_its_chunk(
        client: TestClient, auth: Auth, app: Any) -> None:
    records: list[dict[str, Any]] = [{"crn": f"Z{n:06d}", "court_code": "LDSMC"} for n in range(1, 8)]
    records[3]["reference"] = {"not": "text"}  # the database refuses it
    r = client.post("/api/em/notifications/upload",
                    files={"file": ("court.json", json.dumps(records), "application/json")}, headers=auth("em"))
    assert r.status_code == 201, r.text
    items = r.json()["items"]
    assert "error" in items[3] and all("error" not in i for i in items[:3] + items[4:])
    assert stored(app) == 6


def test_the_upload_stops_between_chunks_once_the_client_has_gone(app: Any) -> None:
    asked: list[int] = []

    def gone_after_first_chunk() -> bool:
        asked.append(1)
        return len(asked) > 1

    result = em_centre.upload_notifications(app.state.sessions, EM, court_file(300).encode(), "court.csv",
                                            now=NOW, max_records=10_000, stop=gone_after_first_chunk,
                                            chunk_records=100)
    assert len(result["items"]) == 100 and result["stopped_before"] == 101
    assert stored(app) == 100  # the first chunk stays (each notification stands alone); the rest unread


def test_the_upload_route_listens_for_the_client_going(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(em_centre, "CHUNK_RECORDS", 100)
    token = _token(app)
    boundary = "b0undary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"court.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n{court_file(500)}\r\n--{boundary}--\r\n").encode()
    path = "/api/em/notifications/upload"
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"content-length", str(len(body)).encode()),
                         (b"content-type", f"multipart/form-data; boundary={boundary}".encode()),
                         (b"authorization", f"Bearer {token}".encode())],
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}  # sent, then gone

    async def send(_message: dict[str, Any]) -> None:
        return None

    # A thread of its own: a browser test in the same worker leaves an event loop running here.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, asyncio.wait_for(app(scope, receive, send), timeout=120)).result()
    assert stored(app) <= 100  # at most the chunk under way when it noticed; the rest never read


def _token(app: Any) -> str:
    with TestClient(app) as c:
        return str(c.post("/api/token", json={"username": "em", "password": "test-password"}).json()["access_token"])


@pytest.mark.parametrize(("content", "expected"), [
    (b"\r0", 201),                                   # a lone carriage return ends a line
    (b"crn,reference\r\nA000001,R1\x00\r\n", 422),   # a NUL is not text (PostgreSQL stores none)
    (b'[{"crn": "A000001", "reference": "R\\u0000"}]', 422),  # nor in a JSON file
    (b"crn,reference\nA000001," + b"x" * 200_000 + b"\n", 422),  # a field past the CSV reader's limit
])
def test_a_file_the_csv_reader_cannot_read_is_a_clear_error_not_a_server_error(
        client: TestClient, auth: Auth, app: Any, content: bytes, expected: int) -> None:
    name = "court.json" if content.startswith(b"[") else "court.csv"
    r = client.post("/api/em/notifications/upload", files={"file": (name, content, "text/csv")},
                    headers=auth("em"))
    assert r.status_code == expected, r.text
    if expected == 422:
        assert r.json()["errors"][0]["field"] == "file" and "not" in r.json()["detail"]
        assert stored(app) == 0
