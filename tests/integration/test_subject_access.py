"""Subject access: an administrator exports everything held about one person (every mapped table,
EM positions by day, who read the record) as JSON and PDF by API, page and command; the export is
audited, and any other role is refused with a `denied` audit row."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer.testing import CliRunner

from probation.adapters.db.tables import AuditRow, CaseRow, UserRow
from probation.cli.main import app as cli_app
from probation.em.tables import EmFixRow
from probation.services import subject_access
from probation.services.passwords import hash_password
from probation.services.personal_data import holdings
from tests.conftest import NOW
from tests.data_protection_factories import FREE_TEXT, Made, make_person
from tests.factories import PASSWORD
from tests.integration.test_web_pages import sign_in

Auth = Callable[[str], dict[str, str]]
DAY1 = datetime(2026, 11, 10, 8, 30, tzinfo=UTC)


@pytest.fixture
def people(app: Any) -> tuple[Made, Made]:
    with app.state.sessions.begin() as session:
        subject = make_person(session, "A111111", sentenced=date(2026, 11, 2))
        other = make_person(session, "B222222", sentenced=date(2026, 11, 2))
        for at, device in ((DAY1, subject.device), (DAY1 + timedelta(hours=9), subject.device),
                           (DAY1 + timedelta(days=1), subject.device), (DAY1, other.device)):
            session.add(EmFixRow(device_id=device, t_ms=int(at.timestamp() * 1000), source="gps", lat=53.79,
                                 lon=-1.54, accuracy_m=5.0, case_id=subject.case_id if device == subject.device
                                 else other.case_id, batch_no=1))
    return subject, other


def test_an_administrator_exports_everything_held_about_the_person_and_nothing_about_anyone_else(
        app: Any, client: TestClient, auth: Auth, people: tuple[Made, Made]) -> None:
    subject, other = people
    assert client.get("/api/caseload?scope=all&status=active", headers=auth("om1")).status_code == 200
    assert client.get(f"/api/people/{subject.crn}", headers=auth("om2")).status_code == 200

    r = client.get(f"/api/people/{subject.crn}/subject-access", headers=auth("admin"))

    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == f'attachment; filename="{subject.crn}-subject-access.json"'
    bundle = r.json()
    found = {name: rows for s in bundle["sections"] for name, rows in s["tables"].items()}
    expected = {h.table for h in holdings() if not h.summarised}
    assert set(found) == expected
    assert [name for name in sorted(expected) if not found[name]] == [], "every mapped table has the person's row"
    for name, rows in found.items():
        for row in rows:
            assert row.get("case_id", subject.case_id) in (subject.case_id, None), name
            assert row.get("crn", subject.crn) == subject.crn, name
    assert [r["case_id"] for r in found["letter"]] == [subject.case_id, None]  # a letter found by CRN alone
    assert found["person"][0]["religion"] == "Catholic"  # the subject's own export is not minimised
    assert other.crn not in r.text and other.device not in r.text
    # Positions by day (London time), never fix by fix: the filled table's one fix, then the three above.
    days = {d["day"]: (d["fixes"], d["first"], d["last"], d["devices"]) for d in bundle["em_positions_by_day"]}
    assert days == {
        "2026-11-03": (1, "2026-11-03T10:00:00+00:00", "2026-11-03T10:00:00+00:00", [subject.device]),
        "2026-11-10": (2, "2026-11-10T08:30:00+00:00", "2026-11-10T17:30:00+00:00", [subject.device]),
        "2026-11-11": (1, "2026-11-11T08:30:00+00:00", "2026-11-11T08:30:00+00:00", [subject.device])}
    assert "em_fix" not in found and "-1.54" not in r.text
    reads = [(a["username"], a["detail"]) for a in bundle["record_access"]]
    assert any(u == "om1" and d.startswith("caseload list") for u, d in reads), "list reads are found too"
    assert ("om2", "person record with 1 case(s)") in reads
    with app.state.sessions() as session:
        audited = session.execute(select(AuditRow.username, AuditRow.action, AuditRow.subject, AuditRow.channel)
                                  .where(AuditRow.detail == subject_access.DETAIL)).all()
    assert audited == [("admin", "read", subject.crn, "api")]


def test_the_pdf_shows_every_section_the_letters_text_and_the_reads(
        client: TestClient, auth: Auth, people: tuple[Made, Made], app: Any) -> None:
    subject, _ = people
    r = client.get(f"/api/people/{subject.crn}/subject-access.pdf", headers=auth("admin"))
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and r.headers["cache-control"] == "no-store"
    with app.state.sessions.begin() as session:
        html = subject_access.render_html(subject_access.export(session, app_admin(), subject.crn,
                                                                now=datetime.now(UTC)))
    for title in ("The person", "Case history", "Appointments and contacts", "Risk and protection",
                  "Letters sent", "Electronic monitoring", "Electronic monitoring positions by day",
                  "Who read or changed the record"):
        assert f"<h2>{title}</h2>" in html
    assert f"Dear Jo Bloggs, {FREE_TEXT}" in html and "&lt;p&gt;" not in html


def app_admin() -> Any:
    from probation.domain.roles import Role
    from probation.services.context import Actor

    return Actor(username="admin", role=Role.ADMINISTRATOR)


@pytest.mark.parametrize("user", ["om1", "tm1", "risk", "em", "provider", "commissioner", "police"])
def test_every_other_role_is_refused_and_the_refusal_is_audited(
        app: Any, client: TestClient, auth: Auth, people: tuple[Made, Made], user: str) -> None:
    subject, _ = people
    r = client.get(f"/api/people/{subject.crn}/subject-access", headers=auth(user))
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    assert client.get(f"/api/people/{subject.crn}/subject-access.pdf", headers=auth(user)).status_code == 403
    with app.state.sessions() as session:
        rows = session.execute(select(AuditRow.action, AuditRow.subject).where(
            AuditRow.detail == subject_access.DETAIL)).all()
    assert rows == [("denied", subject.crn), ("denied", subject.crn)]


@pytest.mark.parametrize("crn", ["Z999999", "abc", "A12345'"])
def test_an_unknown_or_malformed_reference_answers_not_found(client: TestClient, auth: Auth, crn: str) -> None:
    r = client.get(f"/api/people/{crn}/subject-access", headers=auth("admin"))
    assert r.status_code == 404 and r.json()["errors"][0]["field"] == "crn"


def test_the_admin_page_downloads_json_and_pdf_and_explains_a_wrong_reference(
        client: TestClient, people: tuple[Made, Made]) -> None:
    subject, _ = people
    sign_in(client, "admin")
    form = client.get("/admin/subject-access")
    assert form.status_code == 200 and 'name="crn"' in form.text and "Download PDF" in form.text
    as_json = client.get(f"/admin/subject-access?crn={subject.crn.lower()}&format=json")
    assert as_json.status_code == 200 and json.loads(as_json.text)["crn"] == subject.crn
    assert as_json.headers["cache-control"] == "no-store"
    assert client.get(f"/admin/subject-access?crn={subject.crn}&format=pdf").content.startswith(b"%PDF")
    bad = client.get("/admin/subject-access?crn=12&format=pdf")
    assert bad.status_code == 400 and "govuk-error-summary" in bad.text and 'href="#crn"' in bad.text
    unknown = client.get("/admin/subject-access?crn=Z999999&format=pdf")
    assert unknown.status_code == 404 and "No person has the case reference Z999999" in unknown.text


def test_the_page_is_refused_to_other_roles(client: TestClient, people: tuple[Made, Made]) -> None:
    subject, _ = people
    sign_in(client, "om1")
    assert client.get(f"/admin/subject-access?crn={subject.crn}&format=json").status_code == 403


@pytest.fixture
def cli_env(app: Any, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from probation.config import get_settings

    monkeypatch.setenv("PROBATION_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


def test_the_command_writes_the_json_and_the_pdf_and_is_audited(
        cli_env: str, people: tuple[Made, Made], tmp_path: Path, app: Any) -> None:
    subject, _ = people
    result = CliRunner().invoke(cli_app, ["sar", subject.crn, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    bundle = json.loads((tmp_path / "out" / f"{subject.crn}-subject-access.json").read_text(encoding="utf-8"))
    assert bundle["crn"] == subject.crn and bundle["generated_by"] == "system"
    assert (tmp_path / "out" / f"{subject.crn}-subject-access.pdf").read_bytes().startswith(b"%PDF")
    with app.state.sessions() as session:
        assert session.execute(select(AuditRow.channel).where(AuditRow.detail == subject_access.DETAIL)).all() == [
            ("cli",)]


def test_a_person_on_a_case_restricted_to_others_is_unknown_to_the_exporting_administrator(
        app: Any, client: TestClient, auth: Auth, people: tuple[Made, Made]) -> None:
    subject, _ = people
    with app.state.sessions.begin() as session:
        session.execute(update(CaseRow).where(CaseRow.id == subject.case_id)
                        .values(restricted=True, restricted_to=["S2"]))
        session.add(UserRow(username="dpo", password_hash=hash_password(PASSWORD), role="administrator",
                            staff_code="S2", display_name="Information rights", active=True, created_at=NOW))

    refused = client.get(f"/api/people/{subject.crn}/subject-access", headers=auth("admin"))
    unknown = client.get("/api/people/Z999999/subject-access", headers=auth("admin"))

    assert refused.status_code == unknown.status_code == 404
    assert refused.json()["detail"].replace(subject.crn, "X") == unknown.json()["detail"].replace("Z999999", "X")
    assert client.get(f"/api/people/{subject.crn}/subject-access.pdf", headers=auth("admin")).status_code == 404
    named = client.get(f"/api/people/{subject.crn}/subject-access", headers=auth("dpo"))
    assert named.status_code == 200 and named.json()["crn"] == subject.crn
