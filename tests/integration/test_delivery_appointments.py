"""Appointments and contacts through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.db.tables import CaseEventRow
from probation.adapters.db.tables_delivery import AppointmentRow
from tests.delivery_factories import (
    Auth,
    MovableClock,
    add_locations,
    book,
    booking,
    create_case,
    history,
    kinds,
    outcome,
)


@pytest.fixture
def clock(app: Any) -> MovableClock:
    c = MovableClock()
    app.state.clock = c
    return c


@pytest.fixture
def outbox(app: Any, tmp_path: Path) -> Path:
    app.state.settings.outbox_dir = str(tmp_path / "outbox")
    return tmp_path / "outbox"


@pytest.fixture
def setup(client: TestClient, auth: Auth, clock: MovableClock) -> Iterator[int]:
    add_locations(client, auth)
    yield create_case(client, auth)


def counts(app: Any) -> tuple[int, int]:
    with app.state.sessions() as s:
        return (s.scalar(select(func.count()).select_from(AppointmentRow)) or 0,
                s.scalar(select(func.count()).select_from(CaseEventRow)) or 0)


def test_a_booking_is_recorded_with_its_event(client: TestClient, auth: Auth, setup: int) -> None:
    appt = book(client, auth, setup, "2026-11-25T10:00:00+00:00")
    assert appt["status"] == "scheduled" and appt["day"] == "2026-11-25" and appt["warnings"] == []
    event = history(client, auth)[-1]
    assert event["kind"] == "appointment_scheduled"
    assert event["data"]["appointment_id"] == appt["id"] and event["data"]["contact_type"] == "office"


def test_bad_bookings_get_clear_errors_and_change_nothing(client: TestClient, auth: Auth, app: Any,
                                                          setup: int) -> None:
    book(client, auth, setup, "2026-11-25T10:00:00+00:00")
    before = counts(app)
    h = auth("om1")
    past = client.post(f"/api/cases/{setup}/appointments", json=booking("2026-11-20T10:00:00+00:00"), headers=h)
    assert past.status_code == 422 and "in the past" in past.json()["detail"]
    assert past.json()["errors"][0]["field"] == "starts_at"
    clash = client.post(f"/api/cases/{setup}/appointments", json=booking("2026-11-25T10:30:00+00:00"), headers=h)
    assert clash.status_code == 409 and "already has appointment" in clash.json()["detail"]
    nowhere = client.post(f"/api/cases/{setup}/appointments",
                          json=booking("2026-11-26T10:00:00+00:00", location_code="NOPE"), headers=h)
    assert nowhere.status_code == 404
    extra = client.post(f"/api/cases/{setup}/appointments",
                        json={**booking("2026-11-26T10:00:00+00:00"), "colour": "red"}, headers=h)
    assert extra.status_code == 422
    assert counts(app) == before


def test_a_clash_is_found_across_the_persons_cases(client: TestClient, auth: Auth, setup: int) -> None:
    second = create_case(client, auth, sentence__sentence_date="2026-11-09",
                         sentence__requirements=[{"type": "unpaid_work", "start_date": "2026-11-09", "hours": 100}])
    book(client, auth, setup, "2026-11-25T10:00:00+00:00")
    r = client.post(f"/api/cases/{second}/appointments", json=booking("2026-11-25T10:15:00+00:00"),
                    headers=auth("om1"))
    assert r.status_code == 409


def test_outcomes_twice_and_for_cancelled_appointments_are_refused(client: TestClient, auth: Auth, app: Any,
                                                                    clock: MovableClock, setup: int) -> None:
    a = book(client, auth, setup, "2026-11-25T10:00:00+00:00")
    b = book(client, auth, setup, "2026-11-26T10:00:00+00:00")
    r = client.post(f"/api/cases/{setup}/appointments/{b['id']}/cancel", json={"reason": "office closed"},
                    headers=auth("om1"))
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    early = client.post(f"/api/cases/{setup}/appointments/{a['id']}/outcome",
                        json={"outcome": "attended_complied"}, headers=auth("om1"))
    assert early.status_code == 422
    clock.set("2026-11-27T09:00:00+00:00")
    outcome(client, auth, setup, a["id"], "attended_complied")
    before = counts(app)
    twice = client.post(f"/api/cases/{setup}/appointments/{a['id']}/outcome",
                        json={"outcome": "unacceptable_absence"}, headers=auth("om1"))
    assert twice.status_code == 409 and "already has an outcome" in twice.json()["detail"]
    cancelled = client.post(f"/api/cases/{setup}/appointments/{b['id']}/outcome",
                            json={"outcome": "attended_complied"}, headers=auth("om1"))
    assert cancelled.status_code == 409 and "cancelled" in cancelled.json()["detail"]
    assert counts(app) == before


def test_rearranging_keeps_the_old_appointment_and_the_reason(client: TestClient, auth: Auth, setup: int) -> None:
    a = book(client, auth, setup, "2026-11-25T10:00:00+00:00")
    r = client.post(f"/api/cases/{setup}/appointments/{a['id']}/rearrange",
                    json={**booking("2026-11-25T10:30:00+00:00"), "reason": "person has a hospital appointment"},
                    headers=auth("om1"))
    assert r.status_code == 200, r.text  # overlapping its own old slot is not a clash
    new = r.json()
    assert new["rescheduled_from_id"] == a["id"]
    items = {i["id"]: i for i in client.get(f"/api/cases/{setup}/appointments", headers=auth("om1")).json()["items"]}
    assert items[a["id"]]["status"] == "rescheduled" and items[a["id"]]["outcome"] == "rescheduled"
    assert items[a["id"]]["change_reason"] == "person has a hospital appointment"
    assert kinds(client, auth)[-2:] == ["appointment_outcome_recorded", "appointment_scheduled"]
    again = client.post(f"/api/cases/{setup}/appointments/{a['id']}/rearrange",
                        json={**booking("2026-11-27T10:30:00+00:00"), "reason": "again"}, headers=auth("om1"))
    assert again.status_code == 409


def test_a_woman_who_accepted_female_options_is_booked_accordingly(client: TestClient, auth: Auth,
                                                                   setup: int) -> None:
    cid = create_case(client, auth, allocate_to=None, person__crn="B123456", person__sex="female",
                      person__first_name="Ann")
    h = auth("om1")
    r = client.post(f"/api/cases/{cid}/female-options", json={"female_offender_manager_accepted": True,
                                                               "female_only_environment_accepted": True}, headers=h)
    assert r.status_code == 200
    assert client.post(f"/api/cases/{cid}/allocate", json={"staff_code": "S2"}, headers=h).status_code == 200
    man = client.post(f"/api/cases/{cid}/appointments", json=booking("2026-11-25T10:00:00+00:00"), headers=h)
    assert man.status_code == 422 and "female interviewer" in man.json()["errors"][0]["rule"]
    mixed = client.post(f"/api/cases/{cid}/appointments",
                        json=booking("2026-11-25T10:00:00+00:00", interviewer_code="S2"), headers=h)
    assert mixed.status_code == 422 and "female-only" in mixed.json()["detail"]
    ok = book(client, auth, cid, "2026-11-25T10:00:00+00:00", interviewer_code="S2", location_code="WC1")
    assert ok["warnings"] == []
    override = book(client, auth, cid, "2026-11-26T10:00:00+00:00", interviewer_code="S2",
                    override_reason="women's centre closed for a flood")
    assert override["override_reason"] == "women's centre closed for a flood"


def test_diverse_needs_are_recorded_and_bookings_that_miss_them_carry_warnings(
        client: TestClient, auth: Auth, setup: int) -> None:
    r = client.put(f"/api/cases/{setup}/diverse-needs", headers=auth("om1"), json={
        "unavailable": [{"weekday": 4, "start": "12:00", "end": "14:00", "reason": "religious_observance"},
                        {"weekday": 0, "start": "08:00", "end": "17:00", "reason": "work"}],
        "step_free_access": True, "interpreter_language": "Polish"})
    assert r.status_code == 200, r.text
    assert kinds(client, auth)[-1] == "diverse_needs_recorded"
    friday = book(client, auth, setup, "2026-11-27T12:30:00+00:00")  # Friday
    assert [w["code"] for w in friday["warnings"]] == ["unavailable_window", "step_free_access", "interpreter"]
    fine = book(client, auth, setup, "2026-11-25T15:00:00+00:00", location_code="WC1", interpreter_booked=True)
    assert fine["warnings"] == []
    bad = client.put(f"/api/cases/{setup}/diverse-needs", headers=auth("om1"), json={
        "unavailable": [{"weekday": 4, "start": "14:00", "end": "12:00", "reason": "caring"}]})
    assert bad.status_code == 422


def test_a_contact_delivered_by_someone_else_informs_the_offender_manager(
        client: TestClient, auth: Auth, clock: MovableClock, setup: int) -> None:
    a = book(client, auth, setup, "2026-11-25T10:00:00+00:00", user="om2", interviewer_code="S2",
             rar_activity=True)
    clock.set("2026-11-25T11:00:00+00:00")
    body = {"notes": "thinking skills session", "account": "working nights at the depot",
            "indicators": {"attendance": "late", "behaviour": "appropriate", "response": "engaged",
                           "risk": "concern"}}
    outcome(client, auth, setup, a["id"], "attended_complied", user="om2", **body)
    tail = kinds(client, auth)[-4:]
    assert tail == ["appointment_outcome_recorded", "appointment_attended", "contact_recorded",
                    "offender_manager_informed"]
    informed = history(client, auth)[-1]["data"]
    assert informed["rar_activity"] is True and informed["outcome"] == "attended_complied"
    assert informed["staff"] == "S1" and informed["indicators"]["risk"] == "concern"
    updates = client.get("/api/offender-manager/updates", headers=auth("om1")).json()["items"]
    assert len(updates) == 1 and updates[0]["summary"]["account"] == "working nights at the depot"
    assert client.get("/api/offender-manager/updates", headers=auth("om2")).json()["items"] == []
    r = client.post(f"/api/offender-manager/updates/{updates[0]['id']}/acknowledge", headers=auth("om1"))
    assert r.status_code == 200
    assert client.get("/api/offender-manager/updates", headers=auth("om1")).json()["items"] == []
    trail = client.get("/api/audit?subject=A123456", headers=auth("admin")).json()["items"]
    assert any(i["username"] == "om1" and i["action"] == "write"
               and i["detail"].endswith(f"update {updates[0]['id']} acknowledged") for i in trail)


def test_the_offender_managers_own_contact_informs_nobody(client: TestClient, auth: Auth, clock: MovableClock,
                                                          setup: int) -> None:
    a = book(client, auth, setup, "2026-11-25T10:00:00+00:00")
    clock.set("2026-11-25T11:00:00+00:00")
    outcome(client, auth, setup, a["id"], "unacceptable_absence")
    # No update to an inbox: the offender manager recorded it and so already knows, which is what
    # the inform-the-offender-manager rows (RAR 3, Supervision 15, Post-Release 10) need.
    assert kinds(client, auth)[-5:] == ["contact_occurred", "appointment_outcome_recorded", "contact_recorded",
                                        "failure_to_comply_recorded", "offender_manager_informed"]
    informed = history(client, auth)[-1]
    assert informed["data"]["recorded_by_offender_manager"] is True and "update_id" not in informed["data"]
    assert client.get("/api/offender-manager/updates", headers=auth("om1")).json()["items"] == []
    occurred = history(client, auth)[-5]
    assert occurred["occurred_at"].startswith("2026-11-25T10:00")  # when the contact was, not when recorded


def test_an_unplanned_contact_is_recorded_in_the_past_only(client: TestClient, auth: Auth, setup: int) -> None:
    h = auth("om1")
    r = client.post(f"/api/cases/{setup}/contacts", headers=h, json={
        "occurred_at": "2026-11-20T15:00:00+00:00", "contact_type": "phone", "outcome": "attended_complied",
        "notes": "called about housing"})
    assert r.status_code == 201 and r.json()["planned"] is False
    assert kinds(client, auth)[-2:] == ["appointment_attended", "contact_recorded"]
    future = client.post(f"/api/cases/{setup}/contacts", headers=h, json={
        "occurred_at": "2026-11-30T15:00:00+00:00", "contact_type": "phone", "outcome": "attended_complied"})
    assert future.status_code == 422
    contradiction = client.post(f"/api/cases/{setup}/contacts", headers=h, json={
        "occurred_at": "2026-11-20T16:00:00+00:00", "contact_type": "home_visit", "outcome": "attended_complied",
        "indicators": {"attendance": "did_not_attend"}})
    assert contradiction.status_code == 422


def test_rar_days_and_the_maximum_through_the_api(client: TestClient, auth: Auth, clock: MovableClock,
                                                  setup: int) -> None:
    cid = create_case(client, auth, person__crn="C123456",
                      sentence__requirements=[{"type": "rehabilitation_activity", "start_date": "2026-11-02",
                                               "max_days": 2}])
    a = book(client, auth, cid, "2026-11-24T10:00:00+00:00", rar_activity=True)
    book(client, auth, cid, "2026-11-24T14:00:00+00:00", rar_activity=True)  # same day: no new day
    b = book(client, auth, cid, "2026-11-25T10:00:00+00:00", rar_activity=True)
    r = client.post(f"/api/cases/{cid}/appointments", json=booking("2026-11-26T10:00:00+00:00", rar_activity=True),
                    headers=auth("om1"))
    assert r.status_code == 422 and "maximum of 2" in r.json()["detail"]
    assert kinds(client, auth, "C123456").count("rar_activity_instructed") == 3
    clock.set("2026-11-26T09:00:00+00:00")
    outcome(client, auth, cid, a["id"], "attended_complied")
    outcome(client, auth, cid, b["id"], "unacceptable_absence")
    rar = client.get(f"/api/cases/{cid}/rar", headers=auth("om1")).json()
    assert rar["days_used"] == 1 and rar["days_remaining"] == 1 and rar["used_dates"] == ["2026-11-24"]
    # The absence frees its day, so a new date can be instructed.
    book(client, auth, cid, "2026-11-27T10:00:00+00:00", rar_activity=True)


def test_a_rar_activity_needs_a_rar(client: TestClient, auth: Auth, setup: int) -> None:
    cid = create_case(client, auth, person__crn="D123456",
                      sentence__requirements=[{"type": "unpaid_work", "start_date": "2026-11-02", "hours": 100}])
    r = client.post(f"/api/cases/{cid}/appointments", json=booking("2026-11-26T10:00:00+00:00", rar_activity=True),
                    headers=auth("om1"))
    assert r.status_code == 422 and "no rehabilitation activity requirement" in r.json()["detail"]
    assert client.get(f"/api/cases/{cid}/rar", headers=auth("om1")).status_code == 422


def test_reminders_are_written_to_the_outbox_once(client: TestClient, auth: Auth, outbox: Path,
                                                  setup: int) -> None:
    soon = book(client, auth, setup, "2026-11-24T09:00:00+00:00")
    book(client, auth, setup, "2026-12-10T09:00:00+00:00")
    r = client.post("/api/appointments/reminders?hours=48", headers=auth("om1"))
    assert r.status_code == 200
    items = r.json()["items"]
    assert [i["appointment_id"] for i in items] == [soon["id"]]
    # The person has no email or phone recorded in the factory case.
    assert items[0]["sent"] is False
    cid = create_case(client, auth, person__crn="E123456", person__email="jo@example.org")
    appt = book(client, auth, cid, "2026-11-24T13:00:00+00:00")
    items = client.post("/api/appointments/reminders?hours=48", headers=auth("om1")).json()["items"]
    sent = [i for i in items if i["sent"]]
    assert [i["appointment_id"] for i in sent] == [appt["id"]]
    message = json.loads((outbox / f"appointment-{appt['id']}-reminder.json").read_text())
    assert message["channel"] == "email" and message["to"] == "jo@example.org"
    assert "Tuesday 24 November 2026 at 13:00" in message["body"]
    again = client.post("/api/appointments/reminders?hours=48", headers=auth("om1")).json()["items"]
    assert all(i["appointment_id"] != appt["id"] for i in again)


def test_calendars_per_person_and_per_practitioner_are_rfc5545(client: TestClient, auth: Auth, setup: int) -> None:
    a = book(client, auth, setup, "2026-11-25T10:00:00+00:00")
    r = client.get("/api/people/A123456/appointments.ics", headers=auth("om1"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    text = r.text
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert f"UID:appointment-{a['id']}@probation.example" in text
    assert "DTSTART:20261125T100000Z" in text and "LOCATION:Leeds Probation Office" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    diary = client.get("/api/staff/S1/appointments.ics", headers=auth("om1"))
    assert diary.status_code == 200 and "DTSTART:20261125T100000Z" in diary.text
    assert client.get("/api/staff/S1/appointments.ics", headers=auth("om3")).status_code == 403
    assert client.get("/api/people/A123456/appointments.ics", headers=auth("om3")).status_code == 404


def test_roles_that_do_not_deliver_cannot_book(client: TestClient, auth: Auth, setup: int) -> None:
    r = client.post(f"/api/cases/{setup}/appointments", json=booking("2026-11-25T10:00:00+00:00"),
                    headers=auth("commissioner"))
    assert r.status_code == 403
    r = client.post(f"/api/cases/{setup}/appointments", json=booking("2026-11-25T10:00:00+00:00"),
                    headers=auth("om3"))
    assert r.status_code == 404


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_a_time_outside_any_record_is_refused_naming_the_field_and_changes_nothing(
        client: TestClient, auth: Auth, app: Any, setup: int, when: str) -> None:
    """Year 1 in UTC cannot even be converted to London time: it was a 500 (found by the
    generated-input test); now every API time field refuses it with the rule."""
    before = counts(app)
    h = auth("om1")
    contact = client.post(f"/api/cases/{setup}/contacts", headers=h, json={
        "occurred_at": when, "contact_type": "phone", "outcome": "rescheduled"})
    booked = client.post(f"/api/cases/{setup}/appointments", headers=h, json={
        **booking("2026-11-26T10:00:00+00:00"), "starts_at": when, "ends_at": when})
    for r, field in ((contact, "occurred_at"), (booked, "starts_at")):
        assert r.status_code == 422
        error = next(e for e in r.json()["errors"] if e["field"].endswith(field))
        assert "1900-2199" in error["message"] or "1900-2199" in r.text
    assert counts(app) == before
