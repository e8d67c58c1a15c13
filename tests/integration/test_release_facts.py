"""Custodial cases carry their release dates, and post-release supervision rows follow from them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from probation.adapters.db.tables_release import ReleaseDatesRow
from tests.factories import case_body

Auth = Callable[[str], dict[str, str]]


def custodial(**overrides: Any) -> dict[str, Any]:
    body = case_body(sentence__type="custodial", sentence__length_months=None, sentence__custodial_term_days=300,
                     sentence__requirements=[], sentence__sentence_date="2025-03-10",
                     sentence__offence={"code": "02801", "offence_date": "2025-01-05"}, **overrides)
    return body


def test_a_custodial_case_is_created_with_its_release_dates(client: TestClient, auth: Auth, app: Any) -> None:
    r = client.post("/api/cases", json=custodial(person__date_of_birth="1990-06-15"), headers=auth("admin"))
    assert r.status_code == 201, r.text
    with app.state.sessions() as s:
        row = s.get(ReleaseDatesRow, r.json()["case_id"])
    # 300 days from 10 March 2025 ends 3 January 2026 (SLED); SDS40 release on day 120 (7 July 2025);
    # top-up supervision to 12 months after release.
    assert str(row.release_day) == "2025-07-07" and str(row.sentence_expiry) == "2026-01-03"
    assert str(row.tused) == "2026-07-07" and str(row.pss_start) == "2026-01-04"


def test_post_release_rows_apply_once_released_and_not_in_custody(client: TestClient, auth: Auth) -> None:
    cid = client.post("/api/cases", json=custodial(), headers=auth("admin")).json()["case_id"]

    def post_release(as_of: str) -> set[str]:
        r = client.get(f"/api/cases/{cid}/obligations?as_of={as_of}", headers=auth("om1"))
        assert r.status_code == 200, r.text
        return {o["status"] for o in r.json()["obligations"] if o["spec"] == "post_release"}

    assert post_release("2025-05-01") == {"not_applicable"}          # still in custody
    assert post_release("2025-08-01") - {"not_applicable"}           # on licence: rows apply
    assert post_release("2026-02-01") - {"not_applicable"}           # post-sentence supervision


def test_a_custodial_case_without_an_offence_date_has_no_guessed_release_dates(client: TestClient, auth: Auth,
                                                                             app: Any) -> None:
    body = custodial()
    body["sentence"]["offence"] = {"code": "02801"}
    cid = client.post("/api/cases", json=body, headers=auth("admin")).json()["case_id"]
    with app.state.sessions() as s:
        assert s.get(ReleaseDatesRow, cid) is None
