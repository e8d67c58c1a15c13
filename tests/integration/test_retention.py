"""Retention: records are kept through the last day of their period from the closure of the person's
last case and disposed of on the anniversary (deleted, or the identity and history anonymised), EM
positions after their own shorter period, the audit log by each row's own time; nothing else is
touched, a second run finds nothing, a failed run changes nothing, and the command asks first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from probation.adapters.db.tables import AuditRow, CaseEventRow, CaseRow, PersonRow, RequirementRow
from probation.cli.main import app as cli_app
from probation.domain.data_protection.retention import Disposal, RecordKind, default_policy
from probation.domain.roles import Role
from probation.services import retention
from probation.services.context import Actor
from probation.services.personal_data import holdings, tables
from tests.data_protection_factories import FREE_TEXT, Made, make_person, snapshot, subject

CLOSED_AT = datetime(2019, 3, 14, 12, 0, tzinfo=UTC)  # a Thursday; London day 14 March 2019
JUST_INSIDE, ANNIVERSARY = date(2026, 3, 13), date(2026, 3, 14)
RUNNER = Actor(username="admin", role=Role.ADMINISTRATOR, channel="cli")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
POLICY = default_policy()


@pytest.fixture
def people(app: Any) -> tuple[Made, Made]:
    with app.state.sessions.begin() as session:
        closed = make_person(session, "C100001", sentenced=date(2018, 1, 10), closed_at=CLOSED_AT)
        active = make_person(session, "D100001", sentenced=date(2018, 1, 10))
    return closed, active


def rows_of(result: retention.RetentionResult) -> dict[RecordKind, int]:
    return {k.kind: k.rows for k in result.kinds if k.rows}


def test_records_are_kept_through_the_last_day_of_their_period(app: Any, people: tuple[Made, Made]) -> None:
    closed, _ = people
    with app.state.sessions.begin() as session:
        before = snapshot(session, subject(session, closed))
        found = retention.scan(session, POLICY, as_of=JUST_INSIDE)
        done = retention.apply(session, RUNNER, POLICY, as_of=JUST_INSIDE, now=NOW)
    assert set(rows_of(found)) <= {RecordKind.AUDIT, RecordKind.EM_FIXES}
    assert rows_of(done) == rows_of(found)
    with app.state.sessions() as session:
        after = snapshot(session, subject(session, closed))
    em_fixes_gone = {**before, "em_fix": []}
    assert after == em_fixes_gone  # only the EM positions, whose period is shorter, have gone


def test_on_the_anniversary_of_closure_every_kind_is_disposed_of_and_nothing_else(
        app: Any, people: tuple[Made, Made]) -> None:
    closed, active = people
    with app.state.sessions.begin() as session:
        active_before = snapshot(session, subject(session, active))
        events_before = session.scalar(select(func.count()).where(CaseEventRow.case_id == closed.case_id))
        found = retention.scan(session, POLICY, as_of=ANNIVERSARY)
    assert {k for k in RecordKind if k.from_closure} <= set(rows_of(found))
    assert {k.kind: k.people for k in found.kinds if k.action is Disposal.ANONYMISE} == {
        RecordKind.PERSON: 1, RecordKind.CASE_HISTORY: 1}

    with app.state.sessions.begin() as session:
        done = retention.apply(session, RUNNER, POLICY, as_of=ANNIVERSARY, now=NOW)

    assert rows_of(done) == rows_of(found)
    with app.state.sessions() as session:
        person = session.get(PersonRow, closed.person_id)
        assert person is not None
        assert (person.first_name, person.last_name, person.crn[0], person.date_of_birth) == (
            "Anonymised", "Anonymised", "Z", date(1990, 7, 1))
        assert (person.religion, person.gender_identity, person.phone, person.email, person.addresses) == (
            None, None, None, None, [])
        assert (person.sex, person.ethnicity, person.disability) == ("male", "white_irish", "physical")
        case = session.get(CaseRow, closed.case_id)
        assert case is not None and case.crn == person.crn and case.status == "closed"
        assert session.scalars(select(RequirementRow.places).where(RequirementRow.case_id == closed.case_id)).all()
        assert all(p == [] for p in session.scalars(select(RequirementRow.places)
                                                    .where(RequirementRow.case_id == closed.case_id)))
        events = session.execute(select(CaseEventRow.kind, CaseEventRow.reason, CaseEventRow.data)
                                 .where(CaseEventRow.case_id == closed.case_id)).all()
        assert len(events) == events_before and {"case_created", "closed"} <= {k for k, _, _ in events}
        assert all(reason is None and FREE_TEXT not in repr(data) for _, reason, data in events)
        after = snapshot(session, subject(session, closed))
        kept = {"person", "case_record", "requirement", "release_dates", "case_event"}
        assert {t: rows for t, rows in after.items() if rows} .keys() == kept
        assert snapshot(session, subject(session, active)) == active_before
        audited = session.execute(select(AuditRow.username, AuditRow.action, AuditRow.detail)
                                  .where(AuditRow.detail.like("retention as of%"))).all()
    assert len(audited) == 1 and audited[0][:2] == ("admin", "write") and "person 1 anonymised" in audited[0][2]

    with app.state.sessions.begin() as session:
        again = retention.apply(session, RUNNER, POLICY, as_of=ANNIVERSARY, now=NOW)
    assert rows_of(again) == {}


def test_em_positions_go_after_their_own_shorter_period_and_the_rest_stays(
        app: Any, people: tuple[Made, Made]) -> None:
    closed, _ = people
    with app.state.sessions.begin() as session:
        assert RecordKind.EM_FIXES not in rows_of(retention.scan(session, POLICY, as_of=date(2020, 3, 13)))
        before = snapshot(session, subject(session, closed))
        done = retention.apply(session, RUNNER, POLICY, as_of=date(2020, 3, 14), now=NOW)
    assert set(rows_of(done)) == {RecordKind.EM_FIXES}
    with app.state.sessions() as session:
        after = snapshot(session, subject(session, closed))
    assert before["em_fix"] and after == {**before, "em_fix": []}


def test_a_person_with_any_case_not_yet_closed_keeps_everything(app: Any) -> None:
    with app.state.sessions.begin() as session:
        terminated = make_person(session, "E100001", sentenced=date(2018, 1, 10), closed_at=CLOSED_AT, close=False)
        reopened = make_person(session, "F100001", sentenced=date(2018, 1, 10), closed_at=CLOSED_AT)
        from probation.services import cases
        from tests.data_protection_factories import ADMIN
        from tests.factories import community_order, person

        cases.create_case(session, ADMIN, person=person(crn="F100001"), sentence=community_order(
            sentence_date=date(2025, 1, 6)), court_code="LDSMC", organisation_code="NPS-NE", team_code="T1",
            now=datetime(2025, 1, 6, 10, tzinfo=UTC))
        before = {m.crn: snapshot(session, subject(session, m)) for m in (terminated, reopened)}
        found = retention.scan(session, POLICY, as_of=date(2040, 1, 1))
        retention.apply(session, RUNNER, POLICY, as_of=date(2040, 1, 1), now=NOW)
        after = {m.crn: snapshot(session, subject(session, m)) for m in (terminated, reopened)}
    assert set(rows_of(found)) == {RecordKind.AUDIT}
    assert after == before


def test_the_audit_log_is_kept_for_its_own_period_from_each_rows_london_day(app: Any) -> None:
    with app.state.sessions.begin() as session:
        for at in (datetime(2019, 6, 1, 12, 0, tzinfo=UTC), datetime(2019, 6, 1, 23, 30, tzinfo=UTC)):
            session.add(AuditRow(at=at, username="om1", role="practitioner", action="read", subject="A000001",
                                 detail=f"read at {at.isoformat()}", channel="web"))
    with app.state.sessions.begin() as session:
        retention.apply(session, RUNNER, POLICY, as_of=date(2026, 6, 1), now=NOW)
    with app.state.sessions() as session:
        left = session.scalars(select(AuditRow.detail).where(AuditRow.detail.like("read at%"))).all()
    # 23:30 UTC on 1 June is 00:30 on 2 June in London: kept a day longer.
    assert left == ["read at 2019-06-01T23:30:00+00:00"]


def test_a_run_that_fails_part_way_changes_nothing(app: Any, people: tuple[Made, Made],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    closed, _ = people

    def broken(session: Any, who: Any) -> int:
        raise RuntimeError("the database went away")

    with app.state.sessions() as session:
        before = snapshot(session, subject(session, closed))
        audit_rows = session.scalar(select(func.count()).select_from(AuditRow))
    monkeypatch.setattr(retention, "_anonymise_person", broken)
    with pytest.raises(RuntimeError), app.state.sessions.begin() as session:
        retention.apply(session, RUNNER, POLICY, as_of=ANNIVERSARY, now=NOW)
    with app.state.sessions() as session:
        assert snapshot(session, subject(session, closed)) == before
        assert session.scalar(select(func.count()).select_from(AuditRow)) == audit_rows


def test_every_mapped_kind_is_measured_by_the_policy() -> None:
    assert {h.kind for h in holdings() if h.kind} <= set(POLICY.rules)
    assert set(tables()) >= {h.table for h in holdings()}


# The command ------------------------------------------------------------------------------------

@pytest.fixture
def old_people(app: Any, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Made]:
    """A person whose last case closed in 2011 (past every default period today) and the command's
    settings pointing at the test database."""
    from probation.config import get_settings

    with app.state.sessions.begin() as session:
        made = make_person(session, "G100001", sentenced=date(2010, 1, 11),
                           closed_at=datetime(2011, 2, 1, 12, tzinfo=UTC))
    monkeypatch.setenv("PROBATION_DATABASE_URL", db_url)
    monkeypatch.delenv("PROBATION_RETENTION", raising=False)
    get_settings.cache_clear()
    yield made
    get_settings.cache_clear()


def test_the_command_reports_and_changes_nothing_unless_confirmed(app: Any, old_people: Made) -> None:
    with app.state.sessions() as session:
        before = snapshot(session, subject(session, old_people))
    report = CliRunner().invoke(cli_app, ["retention", "--no-progress"])
    assert report.exit_code == 0, report.output
    assert "em_fixes" in report.output and "anonymise" in report.output
    declined = CliRunner().invoke(cli_app, ["retention", "--apply", "--no-progress"], input="n\n")
    assert declined.exit_code == 1 and "nothing changed" in declined.output
    with app.state.sessions() as session:
        assert snapshot(session, subject(session, old_people)) == before

    confirmed = CliRunner().invoke(cli_app, ["retention", "--apply", "--no-progress"], input="y\n")

    assert confirmed.exit_code == 0, confirmed.output and "Disposed of" in confirmed.output
    with app.state.sessions() as session:
        person = session.get(PersonRow, old_people.person_id)
        assert person is not None and person.first_name == "Anonymised"


def test_the_command_applies_without_asking_with_yes_and_never_ahead_of_today(app: Any, old_people: Made) -> None:
    ahead = CliRunner().invoke(cli_app, ["retention", "--apply", "--yes", "--as-of", "2999-01-01"])
    assert ahead.exit_code != 0
    with app.state.sessions() as session:
        person = session.get(PersonRow, old_people.person_id)
        assert person is not None and person.first_name == "Jo"
    done = CliRunner().invoke(cli_app, ["retention", "--apply", "--yes", "--no-progress"])
    assert done.exit_code == 0, done.output
    with app.state.sessions() as session:
        person = session.get(PersonRow, old_people.person_id)
        assert person is not None and person.first_name == "Anonymised"


def test_the_service_refuses_to_start_with_a_bad_retention_file_naming_the_problem(tmp_path: Any) -> None:
    from probation.app import create_app
    from probation.config import Settings
    from probation.domain.errors import InvalidValue

    bad = tmp_path / "retention.yaml"
    bad.write_text("version: local\nkinds:\n  em_fixes: {action: anonymise, months: 6}\n", encoding="utf-8")
    with pytest.raises(InvalidValue, match="em_fixes may only be delete"):
        create_app(Settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}", env="test", retention=str(bad)))
    good = tmp_path / "good.yaml"
    good.write_text("version: local\nkinds:\n  em_fixes: {action: delete, months: 6}\n", encoding="utf-8")
    create_app(Settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}", env="test", retention=str(good)))
    assert retention.current_policy().rule(RecordKind.EM_FIXES).period.months == 6
    retention.use_policy(None)
