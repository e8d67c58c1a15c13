"""Every list and side view applies the case page's visibility, restricted cases included: notices,
diaries, notifications, enquiries, violation reports, updates and feedback show only the cases the
caller may open (tests/scope_world.py: om1's team's case, another provider's, and a restricted case
of om1's team that only om1 is named on)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from probation.em.tables import EmAlertRow, EmPoliceReportRow, EmVisitRow
from tests import scope_world
from tests.conftest import NOW
from tests.em.factories import walk_in
from tests.factories import PASSWORD
from tests.scope_world import OTHER, OWN, RESTRICTED

pytestmark = pytest.mark.usefixtures("fresh_em_runtime")  # the EM runtime is per process

Auth = Callable[[str], dict[str, str]]


def sign_in(client: TestClient, username: str) -> None:
    client.cookies.clear()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)  # type: ignore[union-attr]
    r = client.post("/sign-in", data={"username": username, "password": PASSWORD, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


def crns_of(world: dict[str, int], case_ids: list[int]) -> set[str]:
    by_id = {cid: crn for crn, cid in world.items()}
    return {by_id[c] for c in case_ids}


def test_exclusion_notices_are_listed_to_offender_managers_only_for_cases_they_can_see(
        client: TestClient, auth: Auth, world: dict[str, int]) -> None:
    def listed(user: str) -> set[str]:
        r = client.get("/api/em/police/notices", headers=auth(user))
        assert r.status_code == 200, r.text
        return crns_of(world, [n["case_id"] for n in r.json()["items"]])

    assert listed("om1") == {OWN, RESTRICTED}  # om1 is named on the restricted case
    assert listed("tm1") == {OWN}
    assert listed("admin") == {OWN, OTHER}
    assert listed("police") == {OWN, OTHER, RESTRICTED}  # addressed to West Yorkshire Police
    other = client.get("/api/em/police/notices", headers=auth("police")).json()["items"]
    other_notice = next(n["id"] for n in other if n["case_id"] == world[OTHER])
    assert client.get(f"/api/em/notices/{other_notice}.pdf", headers=auth("om1")).status_code == 404


def test_a_team_manager_neither_sees_nor_marks_read_the_risk_notices_of_a_restricted_case(
        client: TestClient, auth: Auth, world: dict[str, int]) -> None:
    r = client.get("/api/me/notices", headers=auth("tm1"))
    assert r.status_code == 200
    assert {n["crn"] for n in r.json()["items"]} == {OWN}
    mine = client.get("/api/me/notices", headers=auth("om1")).json()["items"]
    restricted = next(n["id"] for n in mine if n["crn"] == RESTRICTED)
    assert client.post(f"/api/me/notices/{restricted}/read", json={}, headers=auth("tm1")).status_code == 404
    assert client.get("/api/me/notices?unread=true", headers=auth("om1")).json()["items"][0]["read"] is False


def test_a_colleagues_diary_shows_only_the_appointments_of_cases_the_reader_may_see(
        client: TestClient, auth: Auth, world: dict[str, int]) -> None:
    team_view = client.get("/api/staff/S1/appointments.ics", headers=auth("tm1"))
    assert team_view.status_code == 200
    assert OWN in team_view.text and RESTRICTED not in team_view.text
    assert team_view.text.count("BEGIN:VEVENT") == 1
    own_view = client.get("/api/staff/S1/appointments.ics", headers=auth("om1")).text
    assert OWN in own_view and RESTRICTED in own_view
    assert client.get("/api/staff/S1/appointments.ics", headers=auth("om3")).status_code == 403
    assert client.get("/api/staff/S5/appointments.ics", headers=auth("tm1")).status_code == 403


def test_em_operators_see_no_court_notification_or_enquiry_of_a_restricted_case(
        client: TestClient, auth: Auth, world: dict[str, int]) -> None:
    notifications = client.get("/api/em/notifications", headers=auth("em")).json()["items"]
    assert {n["crn"] for n in notifications} == {OWN, OTHER}
    enquiries = client.get("/api/em/enquiries", headers=auth("em")).json()["items"]
    assert crns_of(world, [e["case_id"] for e in enquiries]) == {OWN, OTHER}
    sign_in(client, "em")
    for page in ("/em/notifications?show=all", "/em/enquiries", "/em/schedule?show=all"):
        text = client.get(page).text
        assert OWN in text and RESTRICTED not in text and "Reed" not in text, page


def test_a_notification_naming_a_restricted_persons_crn_is_answered_as_for_an_unknown_crn(
        client: TestClient, auth: Auth, world: dict[str, int]) -> None:
    def received(crn: str) -> dict[str, Any]:
        r = client.post("/api/em/notifications", json={"reference": f"N2-{crn}", "crn": crn, "court_code": "BFDCC"},
                        headers=auth("em"))
        assert r.status_code == 201, r.text
        return dict(r.json())

    restricted, unknown, own = received(RESTRICTED), received("Z999999"), received(OWN)
    fields = [sorted(q["field"] for q in b["queries"]) for b in (restricted, unknown)]
    assert restricted["case_id"] is None and fields[0] == fields[1]
    assert "court_code" in {q["field"] for q in own["queries"]}  # compared with the order on record


def test_violation_reports_are_listed_to_managers_for_their_cases_and_to_police_for_their_force(
        client: TestClient, auth: Auth, world: dict[str, int]) -> None:
    def listed(user: str) -> set[str]:
        r = client.get("/api/em/police/violation-reports", headers=auth(user))
        assert r.status_code == 200, r.text
        return crns_of(world, [x["case_id"] for x in r.json()["items"]])

    assert listed("om1") == {OWN, RESTRICTED}
    assert listed("tm1") == {OWN}
    assert listed("police") == {OWN, OTHER, RESTRICTED}


def test_updates_and_referral_feedback_leave_with_a_case_transferred_to_another_team(
        client: TestClient, auth: Auth, app: Any, world: dict[str, int]) -> None:
    cid = world[OWN]
    with app.state.sessions.begin() as s:
        scope_world.om1_told(s, cid)
    assert len(client.get("/api/offender-manager/updates", headers=auth("om1")).json()["items"]) == 1
    assert len(client.get("/api/me/referral-feedback", headers=auth("om1")).json()["items"]) == 1
    r = client.post(f"/api/cases/{cid}/transfer", json={"to_team_code": "T2", "reason": "moved to south Leeds"},
                    headers=auth("om1"))
    assert r.status_code == 200, r.text
    r = client.post(f"/api/cases/{cid}/accept-transfer", json={"staff_code": "S3"}, headers=auth("om3"))
    assert r.status_code == 200, r.text
    assert client.get("/api/offender-manager/updates", headers=auth("om1")).json()["items"] == []
    assert client.get("/api/me/referral-feedback", headers=auth("om1")).json()["items"] == []
    with app.state.sessions() as s:
        ids = scope_world.told_ids(s)
    assert client.post(f"/api/offender-manager/updates/{ids['update']}/acknowledge",
                       headers=auth("om1")).status_code == 404
    assert client.post(f"/api/me/referral-feedback/{ids['feedback']}/acknowledge",
                       headers=auth("om1")).status_code == 404


def test_a_record_of_a_case_outside_the_callers_scope_answers_as_an_unknown_record(
        client: TestClient, auth: Auth, app: Any, world: dict[str, int]) -> None:
    with app.state.sessions() as s:
        report = s.scalars(select(EmPoliceReportRow.id).where(EmPoliceReportRow.case_id == world[OTHER])).one()
        visit = s.scalars(select(EmVisitRow.id).where(EmVisitRow.case_id == world[RESTRICTED])).one()
    walk = walk_in(scope_world.device(RESTRICTED), NOW - timedelta(hours=1))
    assert client.post("/api/em/ingest", json={"positions": walk}, headers=auth("em")).status_code == 200
    with app.state.sessions() as s:
        alert = s.scalars(select(EmAlertRow.id).where(EmAlertRow.case_id == world[RESTRICTED])).first()
    assert alert is not None
    made = {"made_at": (NOW - timedelta(hours=2)).isoformat(), "ended_at": (NOW - timedelta(hours=1)).isoformat(),
            "premises_entered": False}
    for user, path, unknown, body in [
            ("om1", f"/api/em/police/violation-reports/{report}/decision", 999999, {"decision": "warning"}),
            ("em", f"/api/em/visits/{visit}/made", 999999, made),
            ("em", f"/api/em/alerts/{alert}/actions", "A-none", {"action": "acknowledge"})]:
        record = path.split("/")[-2]
        hidden = client.post(path, json=body, headers=auth(user))
        missing = client.post(path.replace(f"/{record}/", f"/{unknown}/"), json=body, headers=auth(user))
        assert hidden.status_code == missing.status_code == 404, (path, hidden.text)
        assert hidden.text.replace(record, "N") == missing.text.replace(str(unknown), "N"), (path, hidden.text)
