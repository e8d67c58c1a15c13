"""Alert workflow and violation record, the monitoring centre's lifecycle, police liaison
notices and reports, and the evidence pack."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from probation.adapters.db.tables import CaseEventRow
from probation.domain.people import Sex
from probation.em.tables import EmDeliveryRow
from tests.conftest import NOW
from tests.em.factories import em_case, walk_in

pytestmark = pytest.mark.usefixtures("fresh_em_runtime")  # the EM runtime is per process

Auth = Callable[[str], dict[str, str]]


def kinds(app: Any, case_id: int) -> list[str]:
    with app.state.sessions() as s:
        return list(s.scalars(select(CaseEventRow.kind).where(CaseEventRow.case_id == case_id)
                              .order_by(CaseEventRow.seq)))


def entry_alert(client: TestClient, auth: Auth) -> dict[str, Any]:
    body = client.post("/api/em/ingest", json={"positions": walk_in("DEV-1", NOW - timedelta(hours=1))},
                       headers=auth("em")).json()
    return next(a for a in body["alerts"] if a["kind"] == "entry")


def test_an_alert_runs_from_raised_to_closed_with_its_violation_record(
        client: TestClient, auth: Auth, app: Any) -> None:
    with app.state.sessions.begin() as s:
        case_id = em_case(s)
    alert = entry_alert(client, auth)
    url = f"/api/em/alerts/{alert['id']}"
    h = auth("em")
    r = client.post(f"{url}/actions", json={"action": "close", "outcome": "false_alert"}, headers=h)
    assert r.status_code == 409  # a high-priority alert is acknowledged first
    r = client.post(f"{url}/actions", json={"action": "acknowledge"}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "acknowledged"
    assert r.json()["violation_record"]["identified_at"] is not None
    r = client.post(f"{url}/violation", json={"step": "breach_pack_sent_at",
                                              "at": NOW.isoformat()}, headers=h)
    assert r.status_code == 409 and "breach_pack_requested_at" in r.json()["detail"]
    r = client.post(f"{url}/violation", json={"step": "authority_notified_at",
                                              "at": (NOW - timedelta(hours=2)).isoformat()}, headers=h)
    assert r.status_code == 422  # before the breach
    r = client.post(f"{url}/violation", json={"step": "authority_notified_at",
                                              "at": NOW.isoformat()}, headers=h)
    assert r.status_code == 200 and r.json()["violation_record"]["authority_notified_at"]
    r = client.post(f"{url}/actions", json={"action": "assign", "to": "field officer 7"}, headers=h)
    assert r.json()["status"] == "assigned" and r.json()["assigned_to"] == "field officer 7"
    r = client.post(f"{url}/actions", json={"action": "close", "outcome": "violation_confirmed"},
                    headers=h)
    assert r.json()["status"] == "closed" and r.json()["outcome"] == "violation_confirmed"
    assert kinds(app, case_id).count("em_violation_followed_up") == 1
    history = client.get(url, headers=h).json()["history"]
    assert [x["action"] for x in history][:3] == ["acknowledge", "step:authority_notified_at",
                                                "followed_up"]
    # Evidence pack: HTML with the SVG map, and a PDF.
    html = client.get(f"{url}/evidence.html", headers=h)
    assert html.status_code == 200 and "<svg" in html.text and "British National Grid" in html.text
    pdf = client.get(f"{url}/evidence.pdf", headers=h)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_police_liaison_never_sees_alerts_or_case_records(client: TestClient, auth: Auth,
                                                          app: Any) -> None:
    with app.state.sessions.begin() as s:
        em_case(s)
    alert = entry_alert(client, auth)
    assert client.get(f"/api/em/alerts/{alert['id']}", headers=auth("police")).status_code == 403
    assert client.get("/api/em/alerts", headers=auth("police")).status_code == 403


def test_a_notification_with_problems_raises_queries_tracked_to_a_working_day_deadline(
        client: TestClient, auth: Auth, app: Any) -> None:
    with app.state.sessions.begin() as s:
        case_id = em_case(s, device=None)
    h = auth("em")
    r = client.post("/api/em/notifications", json={
        "reference": "N-1", "crn": "E100001", "court_code": "BFDCC", "order_date": "2026-11-02",
        "requirement_start": "2026-11-02", "requirement_end": "2027-05-02",
        "exclusion_places": ["Leeds city centre"]}, headers=h)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["case_id"] == case_id and body["status"] == "queried"
    fields = {q["field"] for q in body["queries"]}
    assert fields == {"address", "court_code"}
    # NOW is Monday 23 November 2026: one working day later is Tuesday 24th.
    assert {q["due_on"] for q in body["queries"]} == {"2026-11-24"}
    for q in body["queries"]:
        r = client.post(f"/api/em/notification-queries/{q['id']}/resolve",
                        json={"resolution": "confirmed with the court"}, headers=h)
        assert r.status_code == 200
    assert r.json()["status"] == "accepted"
    k = kinds(app, case_id)
    assert k.count("em_notification_query_raised") == 2 and k.count("em_notification_query_resolved") == 2
    assert "em_notification_received" in k


def test_a_csv_upload_receives_each_notification(client: TestClient, auth: Auth, app: Any) -> None:
    with app.state.sessions.begin() as s:
        em_case(s, device=None)
    csv = ("crn,court_code,order_date,requirement_start,requirement_end,exclusion_places,address\n"
           "E100001,LDSMC,2026-11-02,2026-11-02,2027-05-02,Leeds city centre,1 High Street Leeds\n"
           "Z999999,LDSMC,2026-11-02,2026-11-02,2027-05-02,Somewhere,2 Low Road\n")
    r = client.post("/api/em/notifications/upload", files={"file": ("court.csv", csv, "text/csv")},
                    headers=auth("em"))
    assert r.status_code == 201, r.text
    items = r.json()["items"]
    assert items[0]["status"] == "accepted" and items[0]["queries"] == []
    assert items[1]["status"] == "queried" and items[1]["queries"][0]["field"] == "crn"


def test_installation_needs_identity_confirmed_first_and_monitoring_ends_with_recovery(
        client: TestClient, auth: Auth, app: Any) -> None:
    with app.state.sessions.begin() as s:
        case_id = em_case(s, device=None)
    h = auth("em")
    r = client.post(f"/api/em/cases/{case_id}/installation", json={"device_id": "D-9"}, headers=h)
    assert r.status_code == 409 and "row 10" in r.json()["errors"][0]["rule"]
    assert client.post(f"/api/em/cases/{case_id}/identity", json={"method": "photo ID"},
                       headers=h).status_code == 200
    assert client.post(f"/api/em/cases/{case_id}/installation", json={"device_id": "D-9"},
                       headers=h).status_code == 201
    assert client.post(f"/api/em/cases/{case_id}/induction", json={"summary": "EM leaflet"},
                       headers=h).status_code == 200
    r = client.post(f"/api/em/cases/{case_id}/equipment-recovered", json={}, headers=h)
    assert r.status_code == 409
    assert client.post(f"/api/em/cases/{case_id}/end-monitoring", json={"reason": "ended"},
                       headers=h).json()["devices_stopped"] == 1
    assert client.post(f"/api/em/cases/{case_id}/equipment-recovered", json={},
                       headers=h).json()["devices_recovered"] == 1
    k = kinds(app, case_id)
    for kind in ("em_identity_confirmed", "em_installed", "em_induction_information_given",
                 "em_monitoring_ended", "em_equipment_recovered"):
        assert kind in k


def test_a_visit_to_a_woman_needs_a_female_member_of_staff(client: TestClient, auth: Auth,
                                                           app: Any) -> None:
    with app.state.sessions.begin() as s:
        case_id = em_case(s, sex=Sex.FEMALE, device=None)
    h = auth("em")
    start = NOW + timedelta(days=1)  # 10:00 UTC = 10:00 London in November
    visit = {"purpose": "tamper", "start": start.isoformat(),
             "end": (start + timedelta(hours=1)).isoformat(), "staff": [{"name": "Al", "sex": "male"}]}
    r = client.post(f"/api/em/cases/{case_id}/visits", json=visit, headers=h)
    assert r.status_code == 422 and "row 20" in r.json()["errors"][0]["rule"]
    late = {**visit, "staff": [{"name": "Bea", "sex": "female"}],
            "start": (start + timedelta(hours=12)).isoformat(),
            "end": (start + timedelta(hours=13)).isoformat()}
    r = client.post(f"/api/em/cases/{case_id}/visits", json=late, headers=h)
    assert r.status_code == 422 and "row 15" in r.json()["errors"][0]["rule"]
    r = client.post(f"/api/em/cases/{case_id}/visits", json={**visit, "staff": [
        {"name": "Al", "sex": "male"}, {"name": "Bea", "sex": "female"}]}, headers=h)
    assert r.status_code == 201
    vid = r.json()["id"]
    made = {"made_at": (NOW - timedelta(minutes=5)).isoformat(), "ended_at": NOW.isoformat(),
            "premises_entered": True}
    r = client.post(f"/api/em/visits/{vid}/made", json=made, headers=h)
    assert r.status_code == 422  # female_staff_present and equipment_action must be stated
    r = client.post(f"/api/em/visits/{vid}/made", json={**made, "female_staff_present": True,
                                                        "equipment_action": "replaced"}, headers=h)
    assert r.status_code == 200
    k = kinds(app, case_id)
    for kind in ("em_visit_scheduled", "em_visit_made", "em_female_staff_present",
                 "em_fault_visit_made", "em_equipment_repaired_or_replaced"):
        assert kind in k


def test_non_em_notices_reports_and_outcomes_reach_the_police_and_only_their_own(
        client: TestClient, auth: Auth, app: Any, tmp_path: Path) -> None:
    app.state.settings.outbox_dir = str(tmp_path / "outbox")
    with app.state.sessions.begin() as s:
        case_id = em_case(s, em=False, device=None)
    om = auth("om1")
    r = client.post(f"/api/em/cases/{case_id}/notices",
                    json={"kind": "commencement", "recipients": ["POL-WY", "CSC-LDS"]}, headers=om)
    assert r.status_code == 201, r.text
    with app.state.sessions() as s:
        deliveries = list(s.scalars(select(EmDeliveryRow)))
    assert len(deliveries) == 2 and all(Path(d.location).exists() for d in deliveries)
    message = json.loads(Path(deliveries[0].location).read_text())
    assert "Leeds city centre" in message["html"] and "Alan Ash" in message["html"]
    seen = client.get("/api/em/police/notices", headers=auth("police")).json()["items"]
    assert [n["recipient"] for n in seen] == ["POL-WY"]
    assert client.get("/api/people/E100001", headers=auth("police")).status_code == 403
    r = client.post("/api/em/police/violation-reports", json={
        "case_id": case_id, "police_reference": "WY-123", "observed_at": (NOW - timedelta(hours=3)).isoformat(),
        "location": "Briggate, Leeds", "details": "seen in the city centre"}, headers=auth("police"))
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    assert client.post(f"/api/em/police/violation-reports/{rid}/decision", json={"decision": "warning"},
                       headers=auth("police")).status_code == 403
    r = client.post(f"/api/em/police/violation-reports/{rid}/decision", json={"decision": "warning"},
                    headers=om)
    assert r.status_code == 200 and r.json()["outcome_sent_at"]
    k = kinds(app, case_id)
    for kind in ("agencies_notified", "police_violation_notified", "enforcement_decision_recorded",
                 "police_outcome_notified"):
        assert kind in k
    pdf = client.get(f"/api/em/notices/{seen[0]['id']}.pdf", headers=auth("police"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
