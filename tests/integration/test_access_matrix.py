"""The access matrix: every route of the application (each operation of the OpenAPI document and
each page), called as every role and anonymously, against an own-team case, another provider's
case and a restricted case (tests/access_data.py), on SQLite and PostgreSQL; each answer checked
against the rules table (tests/access_rules.py). A route without a rule, or a rule without a route,
fails `test_every_route_has_a_rule`.

How a route is checked (`test_route_obeys_the_access_rules`, one test per route and backend):
- The route gets its own copy of a database prepared once per backend (and test worker): a file
  copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL, as tests/conftest.py's
  new_database does. One route's writes never reach another's.
- Callers: anonymous, and one user per role (om1, tm1, provider, em, police, risk, commissioner,
  admin), each with a bearer token (API) and a signed-in session with its CSRF token (pages), made
  in the prepared database. A case-scoped route is called for each of the three target cases;
  another route once per caller.
- Expected answers: anonymous gets 401 from the API and a redirect to /sign-in from a page; a role
  that may not do the act gets 403 (or 404 when the case is outside its scope too: neither says
  whether the case exists); a case outside the caller's scope answers 404; an allowed call may
  answer anything but 401, 403, 404 or a 5xx. A second allowed write in the same database may meet
  a 409 or 422 for a state reason (the first one acknowledged the alert, say), which is why an
  allowed call is not held to 2xx. A 5xx fails any call.
- Refused calls (401, 403, 404, a redirect to sign in) run first and must change nothing: the
  database's content (every table but the audit tables, which keep the refused reads) is
  fingerprinted before and after each. A 422 from request validation fails as a rule error (the
  example body in the table is wrong), whoever calls.
- Every 2xx answer (JSON, HTML, CSV, iCalendar, PDF through its text) is searched for the CRNs of
  the four cases of tests/access_data.py; one outside the caller's scope is a failure. The police's
  scope is the cases whose notices were addressed to their force.

KNOWN_HOLES lists the failures of today's code, one line each, keyed by (route, caller, case). A
failure not listed fails the test, and so does a listed hole that no longer fails: fix the code,
then delete its lines here. PDFs are rendered once per distinct document (the fixed clock makes
each caller's copy identical) and their text read with pdfminer.six.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, inspect, text, update
from starlette.routing import Mount, Route

from probation.adapters.clock import fixed_clock
from probation.adapters.db.tables import UserRow
from probation.app import create_app
from probation.config import Settings
from probation.domain.roles import Role
from probation.em.services.runtime import reset_runtimes
from tests import access_data as data
from tests import pg
from tests.access_rules import RULES, Access, Rule
from tests.conftest import LONG_SESSIONS
from tests.delivery_factories import MovableClock
from tests.factories import PASSWORD, seed_reference

ANONYMOUS = "anonymous"
CALLERS = (ANONYMOUS, *data.USERS.values())
ROLE_OF = {user: role for role, user in data.USERS.items()}
UNAUTHENTICATED = frozenset({401})
NOT_AUDIT = re.compile(r"^(?!audit)")  # audit rows are what a refused read may leave behind

# --------------------------------------------------------------------------------------------
# The holes of today's code: (route, caller, case) -> what happens. Delete lines as fixes land.
# --------------------------------------------------------------------------------------------

def _holes(route: str, why: str, *calls: tuple[str, str]) -> dict[tuple[str, str, str], str]:
    return {(route, user, case): why for user, case in calls}


KNOWN_HOLES: dict[tuple[str, str, str], str] = {}  # none today: every rule holds


# --------------------------------------------------------------------------------------------
# Who sees what
# --------------------------------------------------------------------------------------------

def sees(user: str, key: str) -> bool:
    """Whether the caller may see the case (docs/ARCHITECTURE.md, Visibility)."""
    if user == ANONYMOUS:
        return False
    spec, role = data.SPECS[key], ROLE_OF[user]
    if role is Role.POLICE_LIAISON:  # the records addressed to their force, nothing else
        return spec.em and spec.police == "POL-WY"
    if key == data.RESTRICTED:  # restricted to a member of staff who is none of the callers
        return False
    return {Role.PRACTITIONER: spec.team == data.TEAM_OF.get(user),
            Role.TEAM_MANAGER: spec.team == data.TEAM_OF.get(user),
            Role.PROVIDER_STAFF: spec.organisation == "CRC-A",
            Role.EM_OPERATOR: spec.em,
            Role.NPS_RISK: True,
            Role.ADMINISTRATOR: True}.get(role, False)


STAFF_TEAM = {"S1": "T1", "S5": "T3", data.RESTRICTED_TO: "T1"}


def expected(rule: Rule, user: str, key: str | None, names_case: bool = True) -> frozenset[int] | None:
    """None when the caller may make the call, else the statuses a refusal may answer. A role
    that may not act gets 403; where the path names a record rather than the case, 404 too (the
    record is looked up before the role is known to matter, and neither answer discloses it)."""
    if user == ANONYMOUS:
        return None if rule.access is Access.PUBLIC else UNAUTHENTICATED
    role = ROLE_OF[user]
    visible = key is not None and sees(user, key)
    refused: frozenset[int] | None
    match rule.access:
        case Access.PUBLIC | Access.SIGNED_IN:
            refused = None
        case Access.ROLES:
            refused = None if role in rule.roles else frozenset({403})
        case Access.CASE:
            if role not in rule.roles:
                strict = visible and names_case
                refused = frozenset({403}) if strict else frozenset({403, 404})
            else:
                refused = None if visible else frozenset({404})
        case Access.OWNER:
            assert key is not None
            staff = data.SPECS[key].staff
            mine = data.STAFF_OF.get(user) == staff or (
                rule.owner == "team" and role is Role.TEAM_MANAGER and data.TEAM_OF[user] == data.SPECS[key].team)
            refused = frozenset({403, 404}) if role not in rule.roles else (
                None if visible and mine else frozenset({404}))
        case Access.DIARY:
            assert key is not None
            staff = data.SPECS[key].staff
            own = data.STAFF_OF.get(user) == staff
            managed = role is Role.TEAM_MANAGER and data.TEAM_OF[user] == STAFF_TEAM[staff]
            refused = None if own or managed or role is Role.ADMINISTRATOR else frozenset({403})
    return refused if refused is None else refused | rule.refused


def allowed_crns(user: str) -> set[str]:
    return {spec.crn for key, spec in data.SPECS.items() if sees(user, key)}


# --------------------------------------------------------------------------------------------
# Routes
# --------------------------------------------------------------------------------------------

def app_routes(app: Any) -> dict[tuple[str, str], bool]:
    """Every (method, path) the application answers, with whether it is a page (HTML form
    route, outside the OpenAPI document) rather than an API operation. Static files aside."""
    found: dict[tuple[str, str], bool] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            continue
        path = context.path
        if isinstance(route, APIRoute):
            for method in route.methods:
                found[(method, path)] = not route.include_in_schema
        elif isinstance(route, Route):
            for method in route.methods or ():
                if method != "HEAD":
                    found[(method, path)] = True
    openapi = app.openapi()
    for path, operations in openapi["paths"].items():
        for method in operations:
            found.setdefault((method.upper(), path), False)
    return found


@lru_cache(maxsize=1)
def _page_routes() -> frozenset[tuple[str, str]]:
    app = create_app(Settings(database_url="sqlite://", env="test"))
    return frozenset(k for k, page in app_routes(app).items() if page)


def test_every_route_has_a_rule(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/routes.sqlite3", env="test"))
    routes = set(app_routes(app))
    operations = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    assert operations <= routes
    without_rule = sorted(routes - set(RULES))
    without_route = sorted(set(RULES) - routes)
    assert not without_rule, f"routes without an access rule in tests/access_rules.py: {without_rule}"
    assert not without_route, f"access rules for routes that no longer exist: {without_route}"


# --------------------------------------------------------------------------------------------
# The prepared database, once per backend (and worker)
# --------------------------------------------------------------------------------------------

@dataclass
class Backend:
    name: str
    prepared: data.Prepared
    clone: Callable[[], str]
    drop: Callable[[str], None]
    tables: list[str]


def _prepare(url: str, outbox: Path) -> tuple[data.Prepared, list[str]]:
    clock = MovableClock(now=data.START)
    app = create_app(Settings(database_url=url, env="test", outbox_dir=str(outbox), **LONG_SESSIONS), clock=clock)
    try:
        with app.state.sessions.begin() as session:
            seed_reference(session)
            data.seed_more_reference(session)
            # argon2's lightest cost for the test users: the sign-ins here and the routes that
            # sign in take milliseconds each rather than most of a second.
            light = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
            session.execute(update(UserRow).values(password_hash=light))
        with TestClient(app) as client:
            prepared = data.build(client, clock, str(outbox))
            for user in CALLERS:
                prepared.callers[user] = data.sign_in(client, None if user == ANONYMOUS else user)
        tables = sorted(t for t in inspect(app.state.engine).get_table_names() if NOT_AUDIT.match(t))
        if url.startswith("sqlite"):
            with app.state.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        app.state.engine.dispose()
        reset_runtimes()
    return prepared, tables


@pytest.fixture(scope="module", autouse=True)
def _pdfs_rendered_once() -> Iterator[None]:
    """Each distinct document is rendered once: with the fixed clock every caller allowed to see a
    PDF gets the same HTML, and WeasyPrint takes seconds a page."""
    from weasyprint import HTML

    render_init, render_pdf = HTML.__init__, HTML.write_pdf
    rendered: dict[tuple[str, str], bytes] = {}

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        render_init(self, *args, **kwargs)
        self.matrix_key = (kwargs.get("string"), str(kwargs.get("base_url"))) if not args else None

    def write_pdf(self: Any, *args: Any, **kwargs: Any) -> Any:
        key = getattr(self, "matrix_key", None)
        if key is None or key[0] is None or args or kwargs:
            return render_pdf(self, *args, **kwargs)
        if key not in rendered:
            rendered[key] = render_pdf(self)
        return rendered[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(HTML, "__init__", init)
        patch.setattr(HTML, "write_pdf", write_pdf)
        yield


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    base = tmp_path_factory.mktemp(f"matrix-{request.param}")
    counter = iter(range(1, 10**9))
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        source = base / "prepared.sqlite3"
        shutil.copyfile(template, source)
        prepared, tables = _prepare(f"sqlite:///{source}", base / "outbox")

        def clone_sqlite() -> str:
            path = base / f"route-{next(counter)}.sqlite3"
            shutil.copyfile(source, path)
            return f"sqlite:///{path}"

        def drop_sqlite(url: str) -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)

        yield Backend("sqlite", prepared, clone_sqlite, drop_sqlite, tables)
        return
    server: pg.PgServer = request.getfixturevalue("pg_server")
    admin = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE matrix_prepared TEMPLATE {request.getfixturevalue('pg_template')}"))
    prepared, tables = _prepare(server.url("matrix_prepared"), base / "outbox")

    def clone_pg() -> str:
        name = f"matrix_{next(counter)}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE matrix_prepared'))
        return server.url(name)

    def drop_pg(url: str) -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))

    try:
        yield Backend("postgresql", prepared, clone_pg, drop_pg, tables)
    finally:
        with admin.connect() as conn:
            conn.execute(text('DROP DATABASE IF EXISTS "matrix_prepared" WITH (FORCE)'))
        admin.dispose()


class Fingerprint:
    """A digest of each table's rows (audit tables aside): a refused call must leave them all.
    A cheap counter tells first whether anything was written at all (SQLite's data_version on a
    connection of its own, PostgreSQL's next transaction id); only then are the tables read."""

    def __init__(self, engine: Engine, tables: list[str]) -> None:
        self.engine, self.tables = engine, tables
        self.watch = sqlite3.connect(engine.url.database) if engine.dialect.name == "sqlite" else None
        self.version: int | None = None
        self.digests: dict[str, str] | None = None

    def _version(self) -> int | None:
        if self.watch:
            return int(self.watch.execute("PRAGMA data_version").fetchone()[0])
        # PostgreSQL: the next transaction id. Only a transaction that writes takes one, and the
        # test's server runs nothing else meanwhile.
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
                       .scalar_one())

    def changed(self) -> list[str]:
        """Tables whose content differs from the previous call's (none on the first call)."""
        version = self._version()
        if self.digests is not None and version is not None and version == self.version:
            return []
        digests = fingerprint(self.engine, self.tables)
        previous, self.digests, self.version = self.digests, digests, version
        return [] if previous is None else sorted(t for t in digests if digests[t] != previous.get(t))

    def close(self) -> None:
        if self.watch:
            self.watch.close()


def fingerprint(engine: Engine, tables: list[str]) -> dict[str, str]:
    if engine.dialect.name == "postgresql":
        sql = " UNION ALL ".join(
            f"SELECT '{t}', md5(coalesce(string_agg(md5(x::text), '' ORDER BY md5(x::text)), '')) FROM \"{t}\" x"
            for t in tables)
        with engine.connect() as conn:
            return {str(t): str(d) for t, d in conn.exec_driver_sql(sql)}
    out = {}
    with engine.connect() as conn:
        for t in tables:
            rows = sorted(repr(tuple(r)) for r in conn.exec_driver_sql(f'SELECT * FROM "{t}"'))
            out[t] = hashlib.md5("\n".join(rows).encode()).hexdigest()
    return out


# --------------------------------------------------------------------------------------------
# Calls
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=64)
def _pdf_text(content: bytes) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(io.BytesIO(content)))


def answer_text(r: Any) -> str:
    if r.headers.get("content-type", "").startswith("application/pdf"):
        return _pdf_text(r.content)
    return str(r.text)


def _request(client: TestClient, key: tuple[str, str], rule: Rule, page: bool, user: str,
             ids: dict[str, Any], creds: data.Credentials) -> Any:
    method, template = key
    values = {name: str(ids[rule.path.get(name, name)]) if name not in rule.fixed else rule.fixed[name]
              for name in re.findall(r"{(\w+)}", template)}
    url = template.format(**values)
    query = rule.query(ids, user) if callable(rule.query) else rule.query
    headers: dict[str, str] = {}
    kwargs: dict[str, Any] = {}
    body = rule.body(ids, user) if rule.body else None
    if page:
        headers["Cookie"] = f"probation_session={creds.cookie}"
        if method == "POST":
            kwargs["data"] = {**(body or {}), "csrf_token": creds.csrf}
    else:
        if creds.token:
            headers["Authorization"] = f"Bearer {creds.token}"
        if rule.upload:
            name, content, kind = rule.upload(ids, user)
            kwargs["files"] = {"file": (name, content, kind)}
        elif body is not None:
            kwargs["json"] = body
    client.cookies.clear()
    return client.request(method, url, params=query, headers=headers, follow_redirects=False, **kwargs)


def _tag_validation_errors(app: Any) -> None:
    """Mark FastAPI's request-validation 422s, so a wrong example body is told from a refusal."""
    original = app.exception_handlers[RequestValidationError]

    async def tagged(request: Any, exc: Any) -> Any:
        response = await original(request, exc)
        response.headers["x-matrix-invalid-request"] = "1"
        return response

    app.exception_handlers[RequestValidationError] = tagged


@dataclass
class Database:
    url: str
    client: TestClient
    engine: Engine


def _open(backend: Backend, tmp: Path) -> Database:
    url = backend.clone()
    app = create_app(Settings(database_url=url, env="test", outbox_dir=str(tmp / "outbox"), **LONG_SESSIONS),
                     clock=fixed_clock(data.NOW))
    _tag_validation_errors(app)
    client = TestClient(app, raise_server_exceptions=False)
    client.__enter__()
    return Database(url=url, client=client, engine=app.state.engine)


def _close(backend: Backend, db: Database) -> None:
    db.client.__exit__(None, None, None)
    db.engine.dispose()
    reset_runtimes()
    backend.drop(db.url)


def check_route(backend: Backend, key: tuple[str, str], tmp: Path) -> dict[tuple[str, str], str]:
    """Call the route as every caller for every target case; the failures by (caller, case)."""
    rule = RULES[key]
    page = key in _page_routes()
    per_case = rule.per_case if rule.per_case is not None else "{" in key[1] and rule.access is not Access.ROLES
    cases: list[str | None] = list(data.TARGETS) if per_case else [None]
    names_case = bool(re.search(r"{(case_id|crn)}", key[1])) or rule.per_case is True
    calls = [(user, case, expected(rule, user, case, names_case)) for case in cases for user in CALLERS]
    calls.sort(key=lambda c: c[2] is None)  # refused calls first: they must leave the data as it was
    failures: dict[tuple[str, str], str] = {}
    shared = _open(backend, tmp)
    watch = Fingerprint(shared.engine, backend.tables)
    try:
        for user, case, refusal in calls:
            ids = backend.prepared.ids[case or data.OWN]
            isolated = rule.isolate and refusal is None
            db = _open(backend, tmp) if isolated else shared
            try:
                if refusal is not None:
                    watch.changed()
                r = _request(db.client, key, rule, page, user, ids, backend.prepared.callers[user])
                problem = judge(rule, page, user, r, refusal)
                if refusal is not None:
                    changed = watch.changed()
                    if changed and problem is None:
                        problem = f"refused with {r.status_code} but changed {', '.join(changed)}"
                if problem:
                    failures[(user, case or "-")] = problem
            finally:
                if isolated:
                    _close(backend, db)
    finally:
        watch.close()
        _close(backend, shared)
    return failures


def judge(rule: Rule, page: bool, user: str, r: Any, refusal: frozenset[int] | None) -> str | None:
    status = r.status_code
    if r.headers.get("x-matrix-invalid-request"):
        return f"rule error: the request does not validate ({r.text[:200]})"
    if status >= 500:
        return f"answers {status}"
    to_sign_in = page and status in (302, 303, 307) and r.headers.get("location", "").startswith("/sign-in")
    if refusal is None:
        if status in (401, 403) or (status == 404 and not rule.missing) or (
                to_sign_in and rule.access is not Access.PUBLIC):
            return f"answers {status}{' to sign in' if to_sign_in else ''} to a caller the rules allow"
    elif refusal is UNAUTHENTICATED:
        if page and not to_sign_in:
            return f"answers {status}, not a redirect to sign in"
        if not page and status != 401:
            return f"answers {status}, not 401"
        return None
    elif status not in refusal:
        return f"answers {status}, not {' or '.join(map(str, sorted(refusal)))}"
    if 200 <= status < 300 and rule.crns == "checked":
        body = answer_text(r)
        shown = sorted(k for k, s in data.SPECS.items() if s.crn in body and s.crn not in allowed_crns(user))
        if shown:
            return "shows " + ", ".join(f"{data.SPECS[k].crn} ({k})" for k in shown)
    return None


@pytest.mark.parametrize("key", sorted(RULES), ids=lambda k: f"{k[0]} {k[1]}")
def test_route_obeys_the_access_rules(backend: Backend, key: tuple[str, str], tmp_path: Path) -> None:
    route = f"{key[0]} {key[1]}"
    failures = {(route, user, case): why for (user, case), why in check_route(backend, key, tmp_path).items()}
    known = {k: v for k, v in KNOWN_HOLES.items() if k[0] == route}
    new = {k: v for k, v in failures.items() if k not in known}
    fixed = sorted(k for k in known if k not in failures)
    lines = [f"    {k!r}: {v!r}," for k, v in sorted(new.items())]
    assert not new, f"{len(new)} failure(s) not in KNOWN_HOLES:\n" + "\n".join(lines)
    assert not fixed, f"listed in KNOWN_HOLES but no longer failing (delete them): {fixed}"
