"""Monitoring-centre commands added to the `probation em` group (defined in em/cli/commands.py):

    probation em setup-demo               devices and zones for the seeded EM cases (idempotent)
    probation em simulate [--minutes N] [--rate R] [--url URL]
                                          post simulated fixes for them to a running server
    probation em end-due                  stop monitoring where the requirement has ended
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import typer

from probation.em.cli.commands import em

# heavy: the database engine, the tables and the services are imported when a command runs.
if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def _sessions() -> sessionmaker[Session]:
    from probation.adapters.db import load_all_tables
    from probation.adapters.db.engine import make_engine, make_session_factory
    from probation.config import get_settings

    load_all_tables()
    return make_session_factory(make_engine(get_settings().database_url))


@em.command("setup-demo")
def setup_demo(limit: int = typer.Option(0, help="At most this many cases (0: all)")) -> None:
    """Create devices and zones for the seeded electronically monitored exclusion cases."""
    from probation.em.services import demo as em_demo
    from probation.services.context import Actor

    with _sessions().begin() as session:
        done = em_demo.setup_demo(session, Actor.system(), now=datetime.now(UTC), limit=limit or None)
    typer.echo(f"EM demo: devices and zones for {len(done)} case(s)")


@em.command("end-due")
def end_due() -> None:
    """Stop monitoring for every case whose EM requirement has ended (rows 18-19 then follow)."""
    from probation.em.services import cases as em_cases
    from probation.services.context import Actor

    with _sessions().begin() as session:
        stopped = em_cases.end_due(session, Actor.system(), now=datetime.now(UTC))
    typer.echo(f"monitoring ended for {len(stopped)} case(s)")


@em.command("simulate")
def simulate(minutes: float = typer.Option(5.0, min=0.0, help="How long to run (0: until stopped)"),
             rate: float = typer.Option(20.0, min=0.1, max=50_000, help="Fixes a second, in all"),
             url: str = typer.Option("http://127.0.0.1:8000", help="The running server"),
             username: str = typer.Option("em.operator")) -> None:
    """Post simulated fixes for the seeded EM cases (walks near and into zones, jitter, gaps,
    tamper) so the server raises live alerts; runs the watchdogs every 30 s. Signs in with the
    password in PROBATION_EM_SIM_PASSWORD (the demo logins' `demo` when unset): a password is
    never a command-line argument, where the process list would show it."""
    import os

    import httpx

    from probation.domain.errors import InvalidValue
    from probation.em.services import demo as em_demo

    with _sessions()() as session:
        people = em_demo.walkers(session)
    if not people:
        raise InvalidValue("no EM cases with devices: run `probation seed` then "
                           "`probation em setup-demo`", field="devices", value=0,
                           rule="the simulator moves tagged people")
    client = httpx.Client(base_url=url, timeout=30)
    password = os.environ.get("PROBATION_EM_SIM_PASSWORD", "demo")
    r = client.post("/api/token", json={"username": username, "password": password})
    if r.status_code != 200:
        raise InvalidValue(f"sign-in as {username} at {url} failed ({r.status_code})",
                           field="username", value=username, rule="a user with the em_operator role")
    client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    typer.echo(f"simulating {len(people)} tagged people at about {rate:g} fixes/s against {url}")
    begin = time.monotonic()
    sent = alerts = 0
    buffer: list[dict[str, object]] = []
    for at, records in em_demo.steps(people, start=datetime.now(UTC).replace(microsecond=0), rate=rate):
        buffer += records
        elapsed = time.monotonic() - begin
        second = (at - datetime.now(UTC)).total_seconds()
        if second > 0:
            time.sleep(min(second, 1.0))
        if buffer:
            body = client.post("/api/em/ingest", json=buffer).json()
            sent += int(body.get("accepted", 0))
            new = [a for a in body.get("alerts", []) if a.get("new")]
            alerts += len(new)
            for a in new:
                typer.echo(f"{a['time']}  {a['kind']:<22} case {a['case_id']} {a.get('zone') or ''}")
            buffer = []
        if int(elapsed) % 30 == 0 and int(elapsed) > 0:
            client.post("/api/em/watchdog")
        if minutes and elapsed >= minutes * 60:
            break
    typer.echo(f"sent {sent} fixes, {alerts} new alerts")


def register(app: typer.Typer) -> None:
    """Commands join the `em` group when this module is imported; nothing else to add."""
