"""The request's transaction commits before the response is sent: a write that fails at commit is
an error to the client, never a 2xx, and the page a form redirects to always sees the write."""

from __future__ import annotations

from typing import Any

from fastapi import Depends
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from probation.adapters.db.tables import OrganisationRow
from probation.api.deps import get_session


def test_a_write_that_fails_at_commit_is_not_answered_with_success(app: Any) -> None:
    @app.post("/_test/duplicate-organisation")
    def duplicate(session: Session = Depends(get_session)) -> dict[str, str]:
        session.add(OrganisationRow(code="NPS-NE", name="Again", kind="nps_region"))  # flushed at commit
        return {"status": "saved"}

    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.post("/_test/duplicate-organisation")
    assert r.status_code == 409, r.text  # the commit's IntegrityError, not a 200 sent before the commit


def test_what_a_request_writes_is_committed_when_its_response_arrives(app: Any) -> None:
    @app.post("/_test/rename")
    def rename(session: Session = Depends(get_session)) -> dict[str, str]:
        row = session.get(OrganisationRow, "NPS-NE")
        assert row is not None
        row.name = "Renamed"
        return {"status": "saved"}

    @app.get("/_test/name")
    def name(session: Session = Depends(get_session)) -> dict[str, str | None]:
        row = session.get(OrganisationRow, "NPS-NE")
        return {"name": row.name if row else None}

    with TestClient(app) as client:
        assert client.post("/_test/rename").status_code == 200
        assert client.get("/_test/name").json() == {"name": "Renamed"}
