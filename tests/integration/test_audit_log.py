"""The audit log: reads that showed several records are found by each record; rows kept by a
refused request survive its rollback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from probation.adapters.db.engine import make_engine, make_session_factory
from probation.adapters.db.tables import AuditRow, AuditSubjectRow
from probation.domain.roles import Role
from probation.services import audit
from probation.services.context import Actor
from tests.conftest import NOW

OM = Actor(username="om1", role=Role.PRACTITIONER, staff_code="S1", team_code="T1", channel="web")


def test_a_list_read_is_found_by_each_record_it_showed(db_url: str) -> None:
    sessions = make_session_factory(make_engine(db_url))
    with sessions.begin() as session:
        audit.read(session, OM, ["B000002", "A000001", "B000002"], "caseload list (2)", at=NOW)
        audit.read(session, OM, ["C000003"], "person record", at=NOW + timedelta(minutes=1))
        audit.read(session, OM, [], "caseload list (0)", at=NOW + timedelta(minutes=2))
    with sessions() as session:
        found = audit.search(session, audit.AuditQuery(subject="A000001"))
        assert [r.detail for r in found] == ["caseload list (2)"]
        assert found[0].subject is None  # a list has no single subject
        single = audit.search(session, audit.AuditQuery(subject="C000003"))
        assert [(r.subject, r.detail) for r in single] == [("C000003", "person record")]
        assert audit.search(session, audit.AuditQuery(subject="D000004")) == []
        assert session.scalar(select(func.count()).select_from(AuditSubjectRow)) == 3  # B000002 once


def test_rows_kept_by_a_refused_request_survive_its_rollback(db_url: str) -> None:
    sessions = make_session_factory(make_engine(db_url))
    session = sessions()
    with pytest.raises(RuntimeError), session.begin():
        audit.record(session, OM, "read", "A000001", "rolled back with the request", at=NOW)
        audit.keep(session, audit.Kept(at=NOW, username="om1", role="practitioner", action="denied",
                                       subject="A000001", detail="case page", channel="web"))
        raise RuntimeError("the request is refused")
    session.close()
    audit.write_kept(session, sessions)
    audit.write_kept(session, sessions)  # written once only
    with sessions() as check:
        rows = check.execute(select(AuditRow.action, AuditRow.subject, AuditRow.detail)).all()
    assert rows == [("denied", "A000001", "case page")]
