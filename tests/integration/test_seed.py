"""The synthetic caseload: deterministic, realistic in its mix, valid under the domain's rules,
and loaded safely (demo logins work, --if-empty leaves a seeded database alone)."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, date
from pathlib import Path

import pytest
from sqlalchemy import JSON, Engine, func, select
from typer.testing import CliRunner

from probation.adapters.db.engine import make_engine
from probation.adapters.db.migrate import upgrade
from probation.adapters.db.tables import (
    CaseEventRow,
    CaseRow,
    OrganisationRow,
    PersonRow,
    RequirementRow,
    StaffRow,
    TeamRow,
    UserRow,
)
from probation.cli.main import app
from probation.config import get_settings
from probation.domain.case import CaseStatus
from probation.domain.errors import Conflict, Forbidden
from probation.domain.events import EventKind
from probation.domain.people import CRN_PATTERN, Ethnicity, Sex, age_on
from probation.domain.requirements import RequirementType, validate_requirement
from probation.domain.roles import Role
from probation.domain.sentences import SentenceType, validate_sentence
from probation.services.passwords import verify_password
from probation.services.seed.generator import GeneratedCase, generate_caseload
from probation.services.seed.loader import seed_database
from probation.services.seed.reference_data import (
    DEMO_PRACTITIONER,
    build_reference_data,
    demo_logins,
)

AS_OF = date(2026, 5, 1)
DATA_TABLES = (PersonRow, CaseRow, RequirementRow, CaseEventRow, StaffRow, TeamRow, OrganisationRow)


def _engine(tmp_path: Path, name: str) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / name}")
    upgrade(engine)
    return engine


def _rows(engine: Engine, table: type) -> list[tuple[object, ...]]:
    columns = list(table.__table__.columns)  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(*columns).order_by(*table.__table__.primary_key))]  # type: ignore[attr-defined]


def _count(engine: Engine, table: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.fixture(scope="module")
def caseload() -> list[GeneratedCase]:
    return list(generate_caseload(5000, seed=7, as_of=AS_OF, reference=build_reference_data(5000)))


@pytest.fixture(scope="module")
def seeded_500(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = _engine(tmp_path_factory.mktemp("seed500"), "demo.sqlite3")
    seed_database(engine, people=500, seed=1, as_of=AS_OF)
    return engine


# -- determinism -----------------------------------------------------------------------------


def test_seeding_300_people_twice_with_the_same_seed_gives_identical_rows(tmp_path: Path) -> None:
    first, second = _engine(tmp_path, "a.sqlite3"), _engine(tmp_path, "b.sqlite3")

    seed_database(first, people=300, seed=42, as_of=AS_OF)
    seed_database(second, people=300, seed=42, as_of=AS_OF)

    for table in DATA_TABLES:
        assert _rows(first, table) == _rows(second, table), table.__tablename__
    assert _count(first, PersonRow) == 300


def test_a_different_seed_gives_a_different_caseload() -> None:
    ref = build_reference_data(100)
    one = [g.person.last_name for g in generate_caseload(100, seed=1, as_of=AS_OF, reference=ref)]
    two = [g.person.last_name for g in generate_caseload(100, seed=2, as_of=AS_OF, reference=ref)]

    assert one != two


def test_worker_processes_write_the_same_rows_as_one_process(tmp_path: Path) -> None:
    serial, parallel = _engine(tmp_path, "serial.sqlite3"), _engine(tmp_path, "parallel.sqlite3")

    seed_database(serial, people=2500, seed=3, as_of=AS_OF, workers=0)
    seed_database(parallel, people=2500, seed=3, as_of=AS_OF, workers=2)

    for table in (PersonRow, CaseRow, RequirementRow, CaseEventRow):
        assert _rows(serial, table) == _rows(parallel, table), table.__tablename__


# -- the mix ---------------------------------------------------------------------------------


def test_about_15_percent_of_people_are_women(caseload: list[GeneratedCase]) -> None:
    women = sum(g.person.sex is Sex.FEMALE for g in caseload) / len(caseload)

    assert 0.13 <= women <= 0.17


def test_sentences_are_mostly_community_orders_then_suspended_orders_then_licences(
        caseload: list[GeneratedCase]) -> None:
    kinds = Counter(g.case.sentence.type for g in caseload)
    share = {k: v / len(caseload) for k, v in kinds.items()}

    assert 0.52 <= share[SentenceType.COMMUNITY_ORDER] <= 0.58
    assert 0.22 <= share[SentenceType.SUSPENDED_SENTENCE_ORDER] <= 0.28
    assert 0.17 <= share[SentenceType.CUSTODIAL] <= 0.23


def test_rar_and_unpaid_work_are_common_and_exclusion_is_about_one_percent(
        caseload: list[GeneratedCase]) -> None:
    orders = [g.case.sentence for g in caseload if g.case.sentence.type is not SentenceType.CUSTODIAL]
    share = {kind: sum(s.has_requirement(kind) for s in orders) / len(orders) for kind in RequirementType}
    exclusions = [r for s in orders for r in s.requirements if r.type is RequirementType.EXCLUSION]

    assert share[RequirementType.REHABILITATION_ACTIVITY] > 0.5
    assert share[RequirementType.UNPAID_WORK] > 0.35
    assert 0.004 <= share[RequirementType.EXCLUSION] <= 0.02
    assert sum(r.electronically_monitored for r in exclusions) > len(exclusions) / 2
    assert all(r.places for r in exclusions)
    assert share[RequirementType.SUPERVISION] == 0  # every offence is after the ORA 2014


def test_ages_run_from_18_to_about_80_and_cluster_in_the_20s_and_30s(
        caseload: list[GeneratedCase]) -> None:
    ages = [age_on(g.person.date_of_birth, AS_OF) for g in caseload]

    assert min(ages) >= 18 and max(ages) <= 81
    assert 28 <= statistics.median(ages) <= 38
    assert sum(21 <= a <= 39 for a in ages) / len(ages) > 0.5


def test_ethnicity_mix_resembles_the_probation_caseload(caseload: list[GeneratedCase]) -> None:
    groups = Counter(g.person.ethnicity.group if g.person.ethnicity else None for g in caseload)
    share = {k: v / len(caseload) for k, v in groups.items()}

    assert 0.74 <= share["White"] <= 0.84
    assert 0.05 <= share["Black, Black British, Caribbean or African"] <= 0.10
    assert 0.04 <= share["Asian or Asian British"] <= 0.08
    assert 0.01 <= share[None] <= 0.035  # some not recorded
    assert sum(g.person.ethnicity is Ethnicity.WHITE_BRITISH for g in caseload) / len(caseload) > 0.65


def test_a_few_cases_are_restricted_to_their_offender_manager(caseload: list[GeneratedCase]) -> None:
    restricted = [g.case for g in caseload if g.case.restricted]

    assert 0.001 <= len(restricted) / len(caseload) <= 0.012
    assert all(c.offender_manager_code in c.restricted_to for c in restricted)


def test_declared_characteristics_are_sometimes_left_unrecorded(caseload: list[GeneratedCase]) -> None:
    people = [g.person for g in caseload]

    assert any(p.disability is None for p in people) and any(p.disability is not None for p in people)
    assert any(p.religion is None for p in people) and any(p.religion is not None for p in people)
    assert any(p.interpreter_required for p in people)


# -- validity --------------------------------------------------------------------------------


def test_every_generated_sentence_and_requirement_passes_the_domain_rules(
        caseload: list[GeneratedCase]) -> None:
    for g in caseload:
        validate_sentence(g.case.sentence)
        for requirement in g.case.sentence.requirements:
            validate_requirement(requirement)
        assert age_on(g.person.date_of_birth, g.case.sentence.sentence_date) >= 18


def test_crns_are_a_letter_and_six_digits_and_unique(caseload: list[GeneratedCase]) -> None:
    crns = [g.person.crn for g in caseload]

    assert all(CRN_PATTERN.match(c) for c in crns)
    assert len(set(crns)) == len(crns)


def test_case_histories_are_in_order_in_utc_and_before_as_of(caseload: list[GeneratedCase]) -> None:
    for g in caseload:
        times = [e.occurred_at for e in g.events]
        assert times == sorted(times)
        assert all(t.tzinfo is UTC and t.date() < AS_OF for t in times)
        assert g.events[0].kind is EventKind.CASE_CREATED


def test_women_are_offered_a_female_offender_manager_before_allocation_and_get_one_if_they_accept(
        caseload: list[GeneratedCase]) -> None:
    staff_sex = {s.code: s.sex for s in build_reference_data(5000).staff}
    for g in caseload:
        kinds = [e.kind for e in g.events]
        if g.person.sex is Sex.FEMALE and EventKind.ALLOCATED in kinds:
            assert kinds.index(EventKind.FEMALE_OPTIONS_RECORDED) < kinds.index(EventKind.ALLOCATED)
            assert g.case.female_options is not None
            if g.case.female_options.female_offender_manager_accepted:
                assert g.case.offender_manager_code is not None
                assert staff_sex[g.case.offender_manager_code] is Sex.FEMALE


def test_some_older_orders_are_terminated_and_most_of_those_closed(caseload: list[GeneratedCase]) -> None:
    statuses = Counter(g.case.status for g in caseload)

    assert statuses[CaseStatus.ACTIVE] > 0.75 * len(caseload)
    assert statuses[CaseStatus.CLOSED] > statuses[CaseStatus.TERMINATED] > 0


# -- loading ---------------------------------------------------------------------------------


def test_every_demo_user_can_log_in_with_the_printed_password(seeded_500: Engine) -> None:
    with seeded_500.connect() as conn:
        users = {u.username: u for u in conn.execute(select(UserRow))}

    assert {d.role for d in demo_logins()} == set(Role)
    for login in demo_logins():
        assert verify_password(users[login.username].password_hash, login.password)
        assert users[login.username].role == login.role.value


def test_the_demo_practitioner_holds_a_realistic_caseload(seeded_500: Engine) -> None:
    with seeded_500.connect() as conn:
        held = conn.execute(select(func.count()).select_from(CaseRow).where(
            CaseRow.offender_manager_code == DEMO_PRACTITIONER)).scalar_one()

    assert 28 <= held <= 55


def test_case_event_sequences_start_at_one_and_cases_start_at_version_one(seeded_500: Engine) -> None:
    with seeded_500.connect() as conn:
        first_seqs = conn.execute(select(func.min(CaseEventRow.seq)).group_by(CaseEventRow.case_id)).scalars()
        versions = set(conn.execute(select(CaseRow.version)).scalars())

    assert set(first_seqs) == {1}
    assert versions == {1}


def test_if_empty_leaves_a_seeded_database_untouched(tmp_path: Path) -> None:
    engine = _engine(tmp_path, "seeded.sqlite3")
    seed_database(engine, people=300, seed=5, as_of=AS_OF)
    before = {t.__tablename__: _rows(engine, t) for t in (*DATA_TABLES, UserRow)}

    summary = seed_database(engine, people=50, seed=6, as_of=AS_OF, if_empty=True)

    assert summary.skipped and summary.existing_people == 300
    assert {t.__tablename__: _rows(engine, t) for t in (*DATA_TABLES, UserRow)} == before


def test_seeding_a_database_that_has_people_is_refused_without_if_empty_or_append(tmp_path: Path) -> None:
    engine = _engine(tmp_path, "seeded.sqlite3")
    seed_database(engine, people=20, seed=5, as_of=AS_OF)

    with pytest.raises(Conflict, match="already holds 20 people"):
        seed_database(engine, people=20, seed=6, as_of=AS_OF)
    assert _count(engine, PersonRow) == 20


def test_append_adds_people_with_new_crns_and_keeps_the_first_ones(tmp_path: Path) -> None:
    engine = _engine(tmp_path, "seeded.sqlite3")
    seed_database(engine, people=100, seed=5, as_of=AS_OF)
    first = _rows(engine, PersonRow)

    summary = seed_database(engine, people=60, seed=9, as_of=AS_OF, append=True)

    people = _rows(engine, PersonRow)
    assert summary.people == 60 and len(people) == 160
    assert people[:100] == first
    with engine.connect() as conn:
        assert len(set(conn.execute(select(PersonRow.crn)).scalars())) == 160
        assert _count(engine, UserRow) == len(demo_logins())


def test_the_seed_command_prints_a_summary_and_the_demo_logins(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"

    result = CliRunner().invoke(app, ["seed", "--people", "40", "--seed", "2", "--as-of", "2026-05-01",
                                      "--database-url", url, "--no-progress"])
    again = CliRunner().invoke(app, ["seed", "--people", "40", "--if-empty", "--database-url", url,
                                     "--no-progress"])

    assert result.exit_code == 0, result.output
    assert "Seeded 40 people" in result.output
    assert "practitioner" in result.output and "team.manager" in result.output
    assert again.exit_code == 0 and "nothing seeded" in again.output


def test_the_seed_command_rejects_a_malformed_as_of_date(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["seed", "--as-of", "01/05/2026", "--database-url",
                                      f"sqlite:///{tmp_path / 'x.sqlite3'}", "--no-progress"])

    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output


def test_rows_encoded_for_sqlite_match_what_sqlalchemy_would_store() -> None:
    import json

    from sqlalchemy.dialects import sqlite

    from probation.services.seed.loader import TABLES, encode_for_sqlite, rows_for, sqlite_encoders

    generated = list(generate_caseload(50, seed=4, as_of=AS_OF, reference=build_reference_data(50)))
    rows = rows_for(generated, first_person_id=1, first_case_id=1)
    encoded = encode_for_sqlite(rows)
    dialect = sqlite.dialect()

    for name, table in TABLES.items():
        order = sqlite_encoders()[name].order
        for plain, stored in zip(getattr(rows, name), getattr(encoded, name), strict=True):
            for key, value in zip(order, stored, strict=True):
                process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
                expected = process(plain[key]) if process else plain[key]
                if isinstance(table.c[key].type, JSON):
                    assert json.loads(value) == json.loads(expected), key
                else:
                    assert value == expected, key


# -- environments: demo users only in development, production refused ------------------------


@pytest.mark.parametrize("environment", ["test", "production"])
def test_demo_users_are_never_created_outside_development(tmp_path: Path, environment: str) -> None:
    engine = _engine(tmp_path, f"{environment}.sqlite3")

    if environment == "production":
        with pytest.raises(Forbidden, match="does not run in production") as refused:
            seed_database(engine, people=20, seed=5, as_of=AS_OF, environment=environment)
        assert refused.value.field == "PROBATION_ENV"
        assert _count(engine, PersonRow) == 0 and _count(engine, OrganisationRow) == 0
    else:
        summary = seed_database(engine, people=20, seed=5, as_of=AS_OF, environment=environment)
        assert summary.people == 20 and summary.users == 0 and not summary.demo_users
    assert _count(engine, UserRow) == 0


def test_the_environment_comes_from_probation_env_when_not_given(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    engine = _engine(tmp_path, "env.sqlite3")
    monkeypatch.setenv("PROBATION_ENV", "test")
    get_settings.cache_clear()
    try:
        summary = seed_database(engine, people=10, seed=5, as_of=AS_OF)
    finally:
        monkeypatch.delenv("PROBATION_ENV")
        get_settings.cache_clear()

    assert summary.people == 10 and _count(engine, UserRow) == 0


def test_the_seed_command_is_refused_in_production_before_the_database_is_touched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "production.sqlite3"
    monkeypatch.setenv("PROBATION_ENV", "production")
    monkeypatch.setenv("PROBATION_SECRET_KEY", "s" * 48)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["seed", "--people", "5", "--database-url", f"sqlite:///{db}",
                                          "--no-progress"])
    finally:
        get_settings.cache_clear()

    assert isinstance(result.exception, Forbidden)
    assert "does not run in production" in str(result.exception)
    assert not db.exists()


def test_the_seed_command_in_test_prints_no_demo_logins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'test-env.sqlite3'}"
    monkeypatch.setenv("PROBATION_ENV", "test")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["seed", "--people", "5", "--database-url", url, "--no-progress"])
    finally:
        get_settings.cache_clear()

    assert result.exit_code == 0, result.output
    assert "No demo logins: they are created only when PROBATION_ENV is development" in result.output
    assert "Demo logins" not in result.output
    assert _count(make_engine(url), UserRow) == 0
