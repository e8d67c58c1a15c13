"""The practitioner's case pages: appointments (book, rearrange, outcome) with GOV.UK errors,
access by role and team."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from probation.app import create_app
from probation.config import Settings
from tests.conftest import LONG_SESSIONS
from tests.delivery_factories import MovableClock, add_locations, book, create_case
from tests.factories import PASSWORD, seed_reference

Auth = Callable[[str], dict[str, str]]


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def app(db_url: str, clock: MovableClock, tmp_path):  # type: ignore[no-untyped-def]
    application = create_app(Settings(database_url=db_url, env="test", outbox_dir=str(tmp_path / "outbox"),
                                      **LONG_SESSIONS),
                             clock=clock)
    with application.state.sessions.begin() as session:
        seed_reference(session)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def web(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """A second client for the browser side, so API bearer calls and the cookie session stay apart."""
    with TestClient(app) as c:
        yield c


def sign_in(client: TestClient, username: str) -> None:
    client.cookies.clear()
    page = client.get("/sign-in").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = client.post("/sign-in", data={"username": username, "password": PASSWORD, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


def csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    assert page.text.count(f'value="{token}"') >= 2, "the page's own form carries the token, not only sign-out"
    return token


def post(client: TestClient, path: str, data: dict[str, Any], form_page: str | None = None) -> Any:
    token = csrf(client, form_page or path.split("?")[0])
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def booking_form(day: int = 24, month: int = 11, year: int = 2026, start: str = "14:00",
                 **extra: str) -> dict[str, str]:
    return {"date-day": str(day), "date-month": str(month), "date-year": str(year), "start": start,
            "minutes": "60", "contact_type": "office", "location_code": "LDS1", "interviewer_code": "S1", **extra}


def test_a_practitioner_books_an_appointment_and_sees_it_with_a_success_banner(
        client: TestClient, web: TestClient, auth: Auth) -> None:
    create_case(client, auth)
    add_locations(client, auth)
    sign_in(web, "om1")
    r = post(web, "/cases/A123456/appointments", booking_form())
    assert r.status_code == 303 and r.headers["location"] == "/cases/A123456/appointments"
    page = web.get("/cases/A123456/appointments").text
    assert "Appointment booked for 24 November 2026 at 14:00" in page
    assert "govuk-notification-banner--success" in page
    assert "24 Nov 2026 14:00" in page and "Leeds Probation Office" in page


def test_a_booking_with_missing_and_bad_fields_shows_each_error_next_to_its_field(
        client: TestClient, web: TestClient, auth: Auth) -> None:
    create_case(client, auth)
    add_locations(client, auth)
    sign_in(web, "om1")
    r = post(web, "/cases/A123456/appointments", booking_form(day=31, month=2, start="25:99", location_code="",
                                                              interviewer_code=""))
    assert r.status_code == 400
    assert 'href="#date-day">The date of the appointment must be a real date' in r.text
    assert 'href="#start">Enter the start time in the 24-hour clock' in r.text
    assert 'href="#location_code">Select the office' in r.text
    assert 'id="interviewer_code-error"' in r.text and "govuk-form-group--error" in r.text


def test_a_booking_in_the_past_is_refused_by_the_service_and_shown_at_the_date(
        client: TestClient, web: TestClient, auth: Auth) -> None:
    create_case(client, auth)
    add_locations(client, auth)
    sign_in(web, "om1")
    r = post(web, "/cases/A123456/appointments", booking_form(day=20))
    assert r.status_code == 400
    assert 'id="date-error"' in r.text and "is in the past" in r.text
    assert 'value="20"' in r.text  # what was typed is kept


def test_an_unacceptable_absence_is_recorded_after_the_appointment_and_rearranging_keeps_history(
        client: TestClient, web: TestClient, auth: Auth, clock: MovableClock) -> None:
    cid = create_case(client, auth)
    add_locations(client, auth)
    first = book(client, auth, cid, "2026-11-24T10:00:00+00:00")
    second = book(client, auth, cid, "2026-11-25T10:00:00+00:00")
    sign_in(web, "om1")
    r = post(web, f"/cases/A123456/appointments/{second['id']}/rearrange",
             booking_form(day=26, start="11:00"), form_page=f"/cases/A123456/appointments/{second['id']}/rearrange")
    assert r.status_code == 400 and "Enter why the appointment is being rearranged" in r.text
    r = post(web, f"/cases/A123456/appointments/{second['id']}/rearrange",
             booking_form(day=26, start="11:00", reason="Person starts work"))
    assert r.status_code == 303
    clock.advance(days=1, hours=2)
    path = f"/cases/A123456/appointments/{first['id']}/outcome"
    r = post(web, path, {})
    assert r.status_code == 400 and 'href="#outcome">Select what happened' in r.text
    r = post(web, path, {"outcome": "unacceptable_absence", "notes": "No contact"})
    assert r.status_code == 303
    page = web.get("/cases/A123456/appointments").text
    assert "Outcome recorded: unacceptable absence" in page
    assert "Unacceptable absence" in page and "Person starts work" in page


def test_other_roles_and_other_teams_cannot_open_the_practice_pages(
        client: TestClient, web: TestClient, auth: Auth) -> None:
    create_case(client, auth)
    sign_in(web, "risk")
    assert web.get("/cases/A123456/appointments").status_code == 403
    sign_in(web, "commissioner")
    assert web.get("/cases/A123456/appointments").status_code == 403
    sign_in(web, "om3")  # team T2: the case is T1's
    assert web.get("/cases/A123456/appointments").status_code == 404
    sign_in(web, "om1")
    assert web.get("/cases/A123456/appointments").status_code == 200
