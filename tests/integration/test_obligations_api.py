"""Obligations of a case through the API and the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from probation.cli.main import app as cli_app
from tests.factories import case_body

Auth = Callable[[str], dict[str, str]]


def create(client: TestClient, auth: Auth, **overrides: Any) -> dict[str, Any]:
    r = client.post("/api/cases", json=case_body(**overrides), headers=auth("admin"))
    assert r.status_code == 201, r.text
    return r.json()


def by_row(payload: dict[str, Any], spec: str, row: int) -> list[dict[str, Any]]:
    return [o for o in payload["obligations"] if o["spec"] == spec and o["row"] == row]


def test_a_new_case_lists_its_obligations_citing_the_events_that_met_them(client: TestClient, auth: Auth) -> None:
    created = create(client, auth)
    cid = created["case_id"]
    r = client.post(f"/api/cases/{cid}/allocate", json={"staff_code": "S1"}, headers=auth("om1"))
    assert r.status_code == 200, r.text
    # The case was created and allocated "now" (23 November 2026), three weeks after the sentence.
    r = client.get(f"/api/cases/{cid}/obligations", params={"as_of": "2026-11-23"}, headers=auth("om1"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["as_of"] == "2026-11-23" and body["crn"] == created["crn"]
    record = by_row(body, "manage", 1)[0]
    assert record["status"] == "met_late" and record["due"] == "2026-11-03"
    assert record["evidence"]["kind"] == "case_created" and record["evidence"]["seq"] == 1
    allocation = by_row(body, "manage", 3)[0]
    assert allocation["status"] == "met" and allocation["evidence"]["seq"] == 2
    assert by_row(body, "manage", 4)[0]["status"] == "not_applicable"
    assert by_row(body, "manage", 4)[0]["reason"] == "applies to female people only"
    induction = by_row(body, "manage", 6)[0]
    assert induction["status"] == "due" and induction["due"] == "2026-11-30"


def test_obligations_by_crn_and_as_of_before_the_case_was_created(client: TestClient, auth: Auth) -> None:
    created = create(client, auth)
    r = client.get(f"/api/people/{created['crn']}/obligations", params={"as_of": "2026-11-02"},
                   headers=auth("om1"))
    assert r.status_code == 200, r.text
    case = r.json()["cases"][0]
    # On the sentence day the case record was not yet known: due the next working day.
    assert by_row(case, "manage", 1)[0]["status"] == "due"
    assert by_row(case, "manage", 1)[0]["due"] == "2026-11-03"


def test_a_malformed_date_is_refused_naming_the_field(client: TestClient, auth: Auth) -> None:
    cid = create(client, auth)["case_id"]
    r = client.get(f"/api/cases/{cid}/obligations", params={"as_of": "2026-02-30"}, headers=auth("om1"))
    assert r.status_code == 422
    assert "2026-02-30" in r.text and "as_of" in r.text


def test_another_teams_case_is_not_found_and_commissioners_are_forbidden(client: TestClient, auth: Auth) -> None:
    cid = create(client, auth)["case_id"]
    assert client.get(f"/api/cases/{cid}/obligations", headers=auth("om3")).status_code == 404
    assert client.get(f"/api/cases/{cid}/obligations", headers=auth("commissioner")).status_code == 403
    assert client.get("/api/cases/999999/obligations", headers=auth("admin")).status_code == 404


@pytest.fixture
def cli_env(app: Any, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from probation.config import get_settings

    monkeypatch.setenv("PROBATION_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


def test_the_command_prints_json_and_refuses_unknown_crns_in_one_line(client: TestClient, auth: Auth,
                                                                      cli_env: str) -> None:
    created = create(client, auth)
    runner = CliRunner()
    result = runner.invoke(cli_app, ["obligations", created["crn"], "--as-of", "2026-11-23", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["cases"][0]["case_id"] == created["case_id"]
    table = runner.invoke(cli_app, ["obligations", created["crn"], "--as-of", "2026-11-23"])
    assert table.exit_code == 0 and "manage" in table.output


def test_the_command_refuses_an_unknown_crn_or_a_bad_date_in_one_line_with_exit_2(cli_env: str) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    exe = str(Path(sys.executable).with_name("probation"))
    env = {**os.environ, "PROBATION_DATABASE_URL": cli_env}
    unknown = subprocess.run([exe, "obligations", "Z999999"], env=env, capture_output=True, text=True)
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1
    assert "Z999999" in unknown.stderr
    bad = subprocess.run([exe, "obligations", "Z999999", "--as-of", "2026-13-01"], env=env, capture_output=True,
                         text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "2026-13-01" in bad.stderr
