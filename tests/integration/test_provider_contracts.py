"""A provider's stored contract (set by administrators) decides which commissionable options apply
to its cases, per case and in the bulk assurance path alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from probation.domain.roles import Role
from probation.services import admin, assurance
from probation.services.context import Actor
from tests.conftest import NOW
from tests.factories import case_body

Auth = Callable[[str], dict[str, str]]
OPTION_ROW = ("supervision", 19)  # victim awareness: a commissionable option of the Supervision spec


def statuses(client: TestClient, auth: Auth, cid: int) -> dict[tuple[str, int], set[str]]:
    r = client.get(f"/api/cases/{cid}/obligations?as_of=2026-11-23", headers=auth("om1"))
    assert r.status_code == 200, r.text
    out: dict[tuple[str, int], set[str]] = {}
    for o in r.json()["obligations"]:
        out.setdefault((o["spec"], o["row"]), set()).add(o["status"])
    return out


def test_a_provider_that_buys_an_option_has_it_applied_to_its_cases(client: TestClient, auth: Auth,
                                                                     app: Any) -> None:
    body = case_body(sentence__requirements=[{"type": "supervision", "start_date": "2026-11-02"}],
                     sentence__offence={"code": "02801", "offence_date": "2014-06-01"})
    cid = client.post("/api/cases", json=body, headers=auth("admin")).json()["case_id"]
    assert statuses(client, auth, cid)[OPTION_ROW] == {"not_applicable"}
    admin_actor = Actor(username="admin", role=Role.ADMINISTRATOR)
    with app.state.sessions.begin() as s:
        admin.set_commissioned_options(s, admin_actor, "NPS-NE", ["supervision.victim_awareness"], now=NOW)
    assert statuses(client, auth, cid)[OPTION_ROW] - {"not_applicable"}
    with app.state.sessions() as s:
        result = assurance.run(s, admin_actor, assurance.AssuranceQuery(as_of=NOW.date()), now=NOW)
        rows = {(r["spec_id"], r["row"]) for r in result.report.rows.iter_rows(named=True)}
    assert OPTION_ROW in rows
