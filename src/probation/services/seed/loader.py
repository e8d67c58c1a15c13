"""Write reference data, demo users and a synthetic caseload to the database.

People are written in chunks with SQLAlchemy Core executemany, one transaction per chunk.
Generating the case histories is the costly part, so for large seeds blocks of people are
generated in worker processes while this process writes; the rows are the same either way."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any, cast

import orjson
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy import (
    JSON,
    Connection,
    Date,
    Engine,
    Table,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects import sqlite

from probation.adapters.db.tables import (
    CaseEventRow,
    CaseRow,
    CourtRow,
    OrganisationRow,
    PersonRow,
    RequirementRow,
    StaffRow,
    TeamRow,
    UserRow,
)
from probation.adapters.db.tables_release import ReleaseDatesRow
from probation.adapters.db.types import UtcDateTime
from probation.config import get_settings
from probation.domain.errors import Conflict, Forbidden, require
from probation.services.passwords import hash_password
from probation.services.release_dates import release_values
from probation.services.seed.generator import (
    BLOCK,
    GeneratedCase,
    block_sizes,
    crn_for,
    generate_block,
)
from probation.services.seed.reference_data import (
    ReferenceData,
    build_reference_data,
    demo_logins,
)

CHUNK_PEOPLE = 5000          # people per transaction
PARALLEL_FROM = 5000         # smaller seeds are generated in this process
MAX_PEOPLE = 2_000_000


@dataclass(frozen=True, kw_only=True)
class SeedSummary:
    people: int = 0
    cases: int = 0
    requirements: int = 0
    events: int = 0
    organisations: int = 0
    teams: int = 0
    staff: int = 0
    courts: int = 0
    users: int = 0
    seconds: float = 0.0
    skipped: bool = False
    existing_people: int = 0
    demo_users: bool = False  # the demo logins exist (development only)


@dataclass(kw_only=True)
class BlockRows:
    """Rows per table: dicts, or for SQLite tuples already in the driver's types (encoded)."""

    people: list[Any] = field(default_factory=list)
    cases: list[Any] = field(default_factory=list)
    requirements: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    release: list[Any] = field(default_factory=list)
    encoded: bool = False

    def extend(self, other: BlockRows) -> None:
        self.people += other.people
        self.cases += other.cases
        self.requirements += other.requirements
        self.events += other.events
        self.release += other.release
        self.encoded = other.encoded


TABLES: dict[str, Table] = {
    "people": cast(Table, PersonRow.__table__), "cases": cast(Table, CaseRow.__table__),
    "requirements": cast(Table, RequirementRow.__table__), "events": cast(Table, CaseEventRow.__table__),
    "release": cast(Table, ReleaseDatesRow.__table__)}


def _sqlite_json(value: Any) -> str:
    # orjson is several times faster than json.dumps; the text differs only in spacing
    return orjson.dumps(value).decode()


def _sqlite_date(value: date) -> str:
    return value.isoformat()


def _sqlite_datetime(value: datetime) -> str:
    # SQLAlchemy's SQLite DATETIME storage format ("2026-05-01 09:30:00.000000"); the values
    # are UTC, so dropping the "+00:00" is safe.
    return value.isoformat(" ", "microseconds")[:26]


@dataclass(frozen=True, kw_only=True)
class Encoder:
    """One table's INSERT for SQLite and how each value is stored, applied where the rows are
    made (in the workers) so the writer only hands tuples to the driver. Dates and times are
    stored in SQLAlchemy's SQLite formats, JSON as equivalent text (a test holds them to its bind
    processors)."""

    sql: str
    order: tuple[str, ...]
    converters: tuple[Callable[[Any], Any] | None, ...]

    def encode(self, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        take = itemgetter(*self.order)
        convert = [(i, f) for i, f in enumerate(self.converters) if f is not None]
        out = []
        for row in rows:
            values = list(take(row))
            for i, f in convert:
                # None stays NULL, except in JSON columns where SQLAlchemy stores JSON null
                if values[i] is not None or f is _sqlite_json:
                    values[i] = f(values[i])
            out.append(tuple(values))
        return out


def _converter(column: Any) -> Callable[[Any], Any] | None:
    kind = column.type
    if isinstance(kind, JSON):
        return _sqlite_json
    if isinstance(kind, UtcDateTime):
        return _sqlite_datetime
    if isinstance(kind, Date):
        return _sqlite_date
    return None


@lru_cache(maxsize=1)
def sqlite_encoders() -> dict[str, Encoder]:
    dialect = sqlite.dialect()
    out = {}
    for name, table in TABLES.items():
        # requirement and case_event ids are left to the database; person and case ids are set
        generated_id = name in ("requirements", "events")
        columns = [c.name for c in table.columns if not (c.primary_key and generated_id)]
        compiled = insert(table).compile(dialect=dialect, column_keys=columns)
        order = tuple(compiled.positiontup or ())
        out[name] = Encoder(sql=str(compiled), order=order,
                            converters=tuple(_converter(table.c[k]) for k in order))
    return out


def encode_for_sqlite(rows: BlockRows) -> BlockRows:
    enc = sqlite_encoders()
    return BlockRows(people=enc["people"].encode(rows.people), cases=enc["cases"].encode(rows.cases),
                     requirements=enc["requirements"].encode(rows.requirements),
                     events=enc["events"].encode(rows.events), release=enc["release"].encode(rows.release),
                     encoded=True)


# -- rows ---------------------------------------------------------------------------------------


def rows_for(generated: list[GeneratedCase], *, first_person_id: int, first_case_id: int) -> BlockRows:
    """Table rows for generated cases; person i gets id first_person_id + i (likewise cases)."""
    out = BlockRows()
    for i, g in enumerate(generated):
        p, c = g.person, g.case
        person_id, case_id = first_person_id + i, first_case_id + i
        created, updated = g.events[0].occurred_at, g.events[-1].occurred_at
        out.people.append({
            "id": person_id, "crn": p.crn, "first_name": p.first_name, "last_name": p.last_name,
            "date_of_birth": p.date_of_birth, "sex": p.sex.value, "gender_identity": p.gender_identity,
            "ethnicity": p.ethnicity.value if p.ethnicity else None, "religion": p.religion,
            "disability": p.disability.value if p.disability else None,
            "first_language": p.first_language, "interpreter_required": p.interpreter_required,
            "learning_difficulty": p.learning_difficulty, "phone": p.phone, "email": p.email,
            "addresses": [{"line1": a.line1, "line2": a.line2, "town": a.town, "postcode": a.postcode,
                           "main": a.main, "from_date": a.from_date.isoformat() if a.from_date else None}
                          for a in p.addresses],
            "search_key": f"{p.last_name} {p.first_name} {p.crn}".lower(), "created_at": created,
        })
        s = c.sentence
        fo = c.female_options
        out.cases.append({
            "id": case_id, "person_id": person_id, "crn": c.crn, "sentence_type": s.type.value,
            "sentence_date": s.sentence_date, "end_date": s.end_date, "offence_code": s.offence.code,
            "offence_date": s.offence.offence_date, "length_months": s.length_months,
            "custodial_term_days": s.custodial_term_days,
            "operational_period_months": s.operational_period_months,
            "supervision_period_months": s.supervision_period_months, "court_code": c.court_code,
            "organisation_code": c.organisation_code, "team_code": c.team_code,
            "offender_manager_code": c.offender_manager_code, "status": c.status.value,
            "restricted": c.restricted, "restricted_to": sorted(c.restricted_to),
            "female_options": None if fo is None else {
                "female_offender_manager_accepted": fo.female_offender_manager_accepted,
                "female_only_environment_accepted": fo.female_only_environment_accepted},
            "inducted_at": c.inducted_at, "pending_transfer": None,
            "termination_reason": c.termination_reason.value if c.termination_reason else None,
            "terminated_on": c.terminated_on, "created_at": created, "updated_at": updated,
            "version": 1,
        })
        for r in s.requirements:
            out.requirements.append({
                "case_id": case_id, "type": r.type.value, "start_date": r.start_date,
                "length_months": r.length_months, "length_days": r.length_days, "max_days": r.max_days,
                "hours": r.hours, "hours_per_day": r.hours_per_day, "places": list(r.places),
                "electronically_monitored": r.electronically_monitored, "programme": r.programme,
                "activity": r.activity,
            })
        release = release_values(case_id=case_id, sentence=s, date_of_birth=p.date_of_birth, now=created)
        if release is not None:
            out.release.append(release)
        for seq, e in enumerate(g.events, start=1):
            out.events.append({
                "case_id": case_id, "seq": seq, "kind": e.kind.value, "occurred_at": e.occurred_at,
                "recorded_at": e.occurred_at, "actor": e.actor, "reason": e.reason, "data": dict(e.data),
            })
    return out


@lru_cache(maxsize=2)
def _reference(people: int) -> ReferenceData:
    return build_reference_data(people)


def block_rows(seed: int, block: int, count: int, people: int, first_number: int,
               first_case_id: int, as_of: date, encode: bool) -> BlockRows:
    """Generate one block and turn it into rows (runs in a worker process for large seeds)."""
    generated = generate_block(seed=seed, block=block, count=count, first_number=first_number,
                               as_of=as_of, reference=_reference(people))
    offset = block * BLOCK
    rows = rows_for(generated, first_person_id=first_number + offset,
                    first_case_id=first_case_id + offset)
    return encode_for_sqlite(rows) if encode else rows


# -- writing ------------------------------------------------------------------------------------


def _count(conn: Connection, column: Any) -> int:
    return int(conn.execute(select(func.count(column))).scalar_one())


def _max_id(conn: Connection, column: Any) -> int:
    return int(conn.execute(select(func.coalesce(func.max(column), 0))).scalar_one())


def _insert_missing(conn: Connection, table: Any, key: str, rows: list[dict[str, Any]]) -> int:
    existing = set(conn.execute(select(getattr(table, key))).scalars())
    fresh = [r for r in rows if r[key] not in existing]
    if fresh:
        conn.execute(insert(table), fresh)
    return len(fresh)


def write_reference_data(conn: Connection, ref: ReferenceData, *, now: datetime,
                         demo_users: bool) -> dict[str, int]:
    """Insert the organisations, teams, staff, courts and (in development) demo users that are not
    there yet."""
    counts = {
        "organisations": _insert_missing(conn, OrganisationRow, "code", [
            {"code": o.code, "name": o.name, "kind": o.kind.value,
             "email": f"{o.code.lower()}@notifications.example.org"} for o in ref.organisations]),
        "courts": _insert_missing(conn, CourtRow, "code",
                                  [{"code": c.code, "name": c.name} for c in ref.courts]),
        "teams": _insert_missing(conn, TeamRow, "code", [
            {"code": t.code, "name": t.name, "organisation_code": t.organisation_code} for t in ref.teams]),
        "staff": _insert_missing(conn, StaffRow, "code", [
            {"code": s.code, "first_name": s.first_name, "last_name": s.last_name, "sex": s.sex.value,
             "team_code": s.team_code, "email": s.email} for s in ref.staff]),
    }
    existing = set(conn.execute(select(UserRow.username)).scalars())
    logins = [d for d in demo_logins() if d.username not in existing] if demo_users else []
    hashes: dict[str, str] = {}
    for d in logins:  # argon2 is slow on purpose: hash each distinct password once
        if d.password not in hashes:
            hashes[d.password] = hash_password(d.password)
    if logins:
        conn.execute(insert(UserRow), [
            {"username": d.username, "password_hash": hashes[d.password], "role": d.role.value,
             "staff_code": d.staff_code, "organisation_code": d.organisation_code,
             "display_name": d.display_name, "active": True, "created_at": now} for d in logins])
    counts["users"] = len(logins)
    return counts


def _blocks(*, seed: int, people: int, first_number: int, first_case_id: int, as_of: date,
            workers: int, encode: bool) -> Iterator[BlockRows]:
    """Blocks of rows in order, generated here or by `workers` processes (at most a few blocks
    ahead of the writer, so memory stays flat)."""
    jobs = [(seed, b, count, people, first_number, first_case_id, as_of, encode)
            for b, count in enumerate(block_sizes(people))]
    if workers <= 1:
        for job in jobs:
            yield block_rows(*job)
        return
    # fork where there is one: workers start at once with the reference data already built, and
    # need no importable __main__. The progress bar runs no thread, so forking is safe.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
        pending: deque[Future[BlockRows]] = deque()
        queue = iter(jobs)
        for job in queue:
            pending.append(pool.submit(block_rows, *job))
            if len(pending) >= workers * 3:
                break
        while pending:
            result = pending.popleft().result()
            following = next(queue, None)
            if following is not None:
                pending.append(pool.submit(block_rows, *following))
            yield result


def _fix_crn_clashes(rows: BlockRows, taken: set[str]) -> None:
    """Appending to a database whose people did not all come from the generator: move any CRN
    that is already used to a free one (the generator's CRNs never clash with each other)."""
    spare = 25_000_000
    for person, case in zip(rows.people, rows.cases, strict=True):
        if person["crn"] in taken:
            while crn_for(spare) in taken:
                spare -= 1
            person["crn"] = case["crn"] = crn_for(spare)
            person["search_key"] = f"{person['last_name']} {person['first_name']} {person['crn']}".lower()
        taken.add(person["crn"])


def _write_chunk(engine: Engine, rows: BlockRows) -> None:
    with engine.begin() as conn:
        for name, table in TABLES.items():
            batch = getattr(rows, name)
            if not batch:
                continue
            if rows.encoded:
                conn.exec_driver_sql(sqlite_encoders()[name].sql, batch)
            else:
                conn.execute(insert(table), batch)


def _reset_sequences(engine: Engine) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the highest id."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in ("person", "case_record"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))


def seed_allowed(environment: str) -> bool:
    """Whether demo users are created: only in development, where their password `demo` is known to
    everyone by design. Seeding a production database is refused outright."""
    if environment == "production":
        raise Forbidden("probation seed writes synthetic people and demo data, so it does not run in production",
                        field="PROBATION_ENV", value=environment,
                        rule="seed development and test databases only; add real users with probation users add")
    return environment == "development"


def seed_database(engine: Engine, *, people: int, seed: int, as_of: date, if_empty: bool = False,
                  append: bool = False, workers: int | None = None,
                  on_progress: Callable[[int, int], None] | None = None,
                  environment: str | None = None) -> SeedSummary:
    """Seed `people` synthetic people with their cases. A database that already holds people is
    refused unless `if_empty` (then nothing is done) or `append` (then people are added). The
    environment (default: PROBATION_ENV) decides the demo users: created in development only, and
    production is refused."""
    demo_users = seed_allowed(environment or get_settings().env)
    require(0 <= people <= MAX_PEOPLE, f"{people} people is outside 0 to {MAX_PEOPLE:,}",
            field="people", value=people, rule=f"seed between 0 and {MAX_PEOPLE:,} people")
    started = time.perf_counter()
    with engine.connect() as conn:
        existing = _count(conn, PersonRow.id)
    if existing and if_empty:
        return SeedSummary(skipped=True, existing_people=existing, demo_users=demo_users)
    if existing and not append:
        raise Conflict(f"the database already holds {existing:,} people", field="people",
                       value=existing, rule="seed an empty database; use --if-empty to skip a seeded "
                       "one or --append to add more people")
    now = datetime.now(UTC)
    ref = _reference(max(people, 1))
    with engine.begin() as conn:
        counts = write_reference_data(conn, ref, now=now, demo_users=demo_users)
        first_number = _max_id(conn, PersonRow.id) + 1
        first_case_id = _max_id(conn, CaseRow.id) + 1
        taken = set(conn.execute(select(PersonRow.crn)).scalars()) if existing else set()
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if people >= PARALLEL_FROM else 0
    written = requirements = events = 0
    chunk = BlockRows()
    # A CRN clash can only come from people the generator did not make; then use plain rows.
    encode = engine.dialect.name == "sqlite" and not taken
    for rows in _blocks(seed=seed, people=people, first_number=first_number,
                        first_case_id=first_case_id, as_of=as_of, workers=workers, encode=encode):
        if taken:
            _fix_crn_clashes(rows, taken)
        chunk.extend(rows)
        if len(chunk.people) >= CHUNK_PEOPLE:
            _write_chunk(engine, chunk)
            written += len(chunk.people)
            requirements += len(chunk.requirements)
            events += len(chunk.events)
            chunk = BlockRows()
            if on_progress:
                on_progress(written, people)
    if chunk.people:
        _write_chunk(engine, chunk)
        written += len(chunk.people)
        requirements += len(chunk.requirements)
        events += len(chunk.events)
    if on_progress:
        on_progress(written, people)
    _reset_sequences(engine)
    return SeedSummary(people=written, cases=written, requirements=requirements, events=events,
                       seconds=time.perf_counter() - started, existing_people=existing,
                       organisations=counts["organisations"], teams=counts["teams"],
                       staff=counts["staff"], courts=counts["courts"], users=counts["users"],
                       demo_users=demo_users)


@contextmanager
def progress_bar(people: int, *, enabled: bool = True) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr (people written, people per second); yields the callback."""
    columns = (TextColumn("[bold]Seeding[/bold]"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]:,.0f} people/s"), TimeElapsedColumn(),
               TimeRemainingColumn())
    started = time.perf_counter()
    # No auto-refresh thread (the bar redraws on each chunk), so worker processes can be forked.
    with Progress(*columns, console=Console(stderr=True), disable=not enabled,
                  auto_refresh=False) as bar:
        task = bar.add_task("seed", total=people, rate=0.0)

        def update(done: int, total: int) -> None:
            elapsed = max(time.perf_counter() - started, 1e-9)
            bar.update(task, completed=done, total=total, rate=done / elapsed)
            bar.refresh()

        yield update
