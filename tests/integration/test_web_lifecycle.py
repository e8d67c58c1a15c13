"""Case lifecycle pages (female offender options, allocation, induction, termination, closure),
provider staff's deliveries and the offender manager's updates: GOV.UK errors with status 400, a
refused form changes nothing, and each role sees only its pages (403) and its cases (404)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from probation.adapters.db.tables import StaffRow, UserRow
from probation.app import create_app
from probation.config import Settings
from probation.domain.roles import Role
from tests.conftest import LONG_SESSIONS
from tests.delivery_factories import MovableClock, add_locations, book, create_case, history
from tests.factories import PASSWORD, password_hash, seed_reference

Auth = Callable[[str], dict[str, str]]
WOMAN = "F100001"
PROVIDER_CASE = "R100001"
ALL_POINTS = ["sentence", "obligations", "rights", "consequences"]


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
        # An offender manager of the contracted provider, so provider staff deliver for someone else.
        session.add(StaffRow(code="S6", first_name="Fay", last_name="Fir", sex="female", team_code="T3"))
        session.flush()
        session.add(UserRow(username="crcom", password_hash=password_hash(), role=Role.PRACTITIONER.value,
                            staff_code="S6", organisation_code=None, display_name="crcom", active=True,
                            created_at=clock.now))
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


def token(client: TestClient) -> str:
    page = client.get("/account").text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    """A form post with the session's CSRF token (a list value posts the field once per item)."""
    return client.post(path, data={**data, "csrf_token": token(client)}, follow_redirects=False)


def a_woman(client: TestClient, auth: Auth) -> int:
    return create_case(client, auth, allocate_to=None, person__crn=WOMAN, person__first_name="Fran",
                       person__last_name="Female", person__sex="female")


def kinds(client: TestClient, auth: Auth, crn: str = WOMAN, user: str = "admin") -> list[str]:
    return [e["kind"] for e in history(client, auth, crn, user)]


def errors_of(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', html)


# Female offender options and allocation --------------------------------------------------------

def test_a_womans_case_asks_for_the_female_offender_options_before_allocation(
        client: TestClient, web: TestClient, auth: Auth) -> None:
    cid = a_woman(client, auth)
    sign_in(web, "tm1")
    overview = web.get(f"/cases/{WOMAN}").text
    assert f'href="/cases/{WOMAN}/female-options?case={cid}">Record the female offender options' in overview
    r = web.get(f"/cases/{WOMAN}/allocate", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/cases/{WOMAN}/female-options?case={cid}"


def test_female_options_with_nothing_selected_show_both_errors_and_record_nothing(
        client: TestClient, web: TestClient, auth: Auth) -> None:
    a_woman(client, auth)
    before = kinds(client, auth)
    sign_in(web, "tm1")
    r = post(web, f"/cases/{WOMAN}/female-options", {})
    assert r.status_code == 400
    assert errors_of(r.text) == [
        ("female_offender_manager_accepted", "Select whether she accepted a female offender manager"),
        ("female_only_environment_accepted", "Select whether she accepted a female-only environment for interviews")]
    assert "govuk-form-group--error" in r.text and r.text.count("govuk-error-message") == 2
    assert kinds(client, auth) == before


def test_a_woman_who_accepts_a_female_offender_manager_is_proposed_only_women_and_allocated_one(
        client: TestClient, web: TestClient, auth: Auth) -> None:
    cid = a_woman(client, auth)
    sign_in(web, "tm1")
    r = post(web, f"/cases/{WOMAN}/female-options", {"female_offender_manager_accepted": "yes",
                                                     "female_only_environment_accepted": "no"})
    assert r.status_code == 303 and r.headers["location"] == f"/cases/{WOMAN}/allocate?case={cid}"
    page = web.get(r.headers["location"]).text
    assert "Female offender options recorded" in page
    assert '<option value="S2">Beth Birch</option>' in page and "S1" not in re.findall(r'value="(S\d)"', page)
    assert 'id="female-om">Accepted' in page and 'id="female-environment">Declined' in page

    before = kinds(client, auth)
    refused = post(web, f"/cases/{WOMAN}/allocate", {"staff_code": "S1"})  # a man, not proposed
    assert refused.status_code == 400
    assert errors_of(refused.text) == [("staff_code", "Select an offender manager from the list")]
    assert post(web, f"/cases/{WOMAN}/allocate", {"staff_code": ""}).status_code == 400
    assert kinds(client, auth) == before

    done = post(web, f"/cases/{WOMAN}/allocate", {"staff_code": "S2"})
    assert done.status_code == 303 and done.headers["location"] == f"/cases/{WOMAN}"
    overview = web.get(f"/cases/{WOMAN}").text
    assert "Fran Female&#39;s case is allocated to Beth Birch" in overview
    assert "govuk-notification-banner--success" in overview
    assert kinds(client, auth)[-2:] == ["female_options_recorded", "allocated"]
    assert "Reallocate the offender manager" in overview
    assert "Fran Female&#39;s case is allocated" not in web.get(f"/cases/{WOMAN}").text  # shown once


def test_reallocation_needs_a_reason_and_moves_within_the_team(
        client: TestClient, web: TestClient, auth: Auth) -> None:
    create_case(client, auth, allocate_to="S1")
    sign_in(web, "tm1")
    page = web.get("/cases/A123456/allocate").text
    assert "Reallocate the offender manager" in page and 'value="S1"' not in page  # the current one
    refused = post(web, "/cases/A123456/allocate", {"staff_code": "S2"})
    assert errors_of(refused.text) == [("reason", "Enter why the case is being reallocated")]
    assert post(web, "/cases/A123456/allocate", {"staff_code": "S3", "reason": "x"}).status_code == 400  # team T2
    stale = post(web, "/cases/A123456/allocate", {"staff_code": "S2", "reason": "x", "version": "1"})
    assert stale.status_code == 400 and "has changed since version 1" in errors_of(stale.text)[0][1]
    r = post(web, "/cases/A123456/allocate", {"staff_code": "S2", "reason": "Caseload balancing"})
    assert r.status_code == 303
    last = history(client, auth, "A123456", "admin")[-1]
    assert last["kind"] == "allocated" and last["reason"] == "Caseload balancing"


def test_practitioners_and_provider_staff_cannot_allocate(client: TestClient, web: TestClient, auth: Auth) -> None:
    a_woman(client, auth)
    before = kinds(client, auth)
    for user in ("om1", "provider"):
        sign_in(web, user)
        assert web.get(f"/cases/{WOMAN}/allocate").status_code == 403
        assert web.get(f"/cases/{WOMAN}/female-options").status_code == 403
        r = post(web, f"/cases/{WOMAN}/female-options", {"female_offender_manager_accepted": "no",
                                                         "female_only_environment_accepted": "no"})
        assert r.status_code == 403 and "You cannot see this page" in r.text
    sign_in(web, "om1")
    assert "Allocate an offender manager" not in web.get(f"/cases/{WOMAN}").text
    assert kinds(client, auth) == before


def test_another_teams_practitioner_gets_404_and_a_form_without_its_token_is_refused(
        client: TestClient, web: TestClient, auth: Auth) -> None:
    a_woman(client, auth)
    sign_in(web, "om3")  # team T2
    for page in ("induction", "terminate", "close"):
        assert web.get(f"/cases/{WOMAN}/{page}").status_code == 404
    sign_in(web, "admin")
    assert web.get(f"/cases/{WOMAN}/female-options").status_code == 200
    r = web.post(f"/cases/{WOMAN}/female-options", data={"female_offender_manager_accepted": "no",
                                                         "female_only_environment_accepted": "no"})
    assert r.status_code == 403 and "female_options_recorded" not in kinds(client, auth)
    assert web.get("/cases/A999999/allocate").status_code == 404


def test_female_options_are_not_offered_for_a_man(client: TestClient, web: TestClient, auth: Auth) -> None:
    create_case(client, auth, allocate_to=None)
    sign_in(web, "tm1")
    assert web.get("/cases/A123456/female-options").status_code == 409
    assert "female offender options" not in web.get("/cases/A123456").text


# Induction -------------------------------------------------------------------------------------

def test_induction_needs_every_point_understood(client: TestClient, web: TestClient, auth: Auth) -> None:
    cid = create_case(client, auth, allocate_to="S1")
    sign_in(web, "om1")
    assert f'href="/cases/A123456/induction?case={cid}">Record the induction' in web.get("/cases/A123456").text
    before = kinds(client, auth, "A123456")
    empty = post(web, "/cases/A123456/induction", {})
    assert empty.status_code == 400
    assert errors_of(empty.text) == [("understood", "Confirm the person understands the sentence, their "
                                                    "obligations, their rights and the consequences of not "
                                                    "complying before recording the induction")]
    partial = post(web, "/cases/A123456/induction", {"understood": ["sentence", "rights"]})
    assert errors_of(partial.text)[0][1].startswith("Confirm the person understands their obligations and the "
                                                    "consequences")
    assert 'value="sentence" checked' in partial.text and 'value="obligations">' in partial.text
    assert kinds(client, auth, "A123456") == before

    done = post(web, "/cases/A123456/induction", {"understood": ALL_POINTS})
    assert done.status_code == 303
    overview = web.get("/cases/A123456").text
    assert "Induction recorded" in overview and "Record the induction" not in overview
    assert kinds(client, auth, "A123456")[-1] == "induction_completed"


def test_induction_before_allocation_is_refused_by_the_service(
        client: TestClient, web: TestClient, auth: Auth) -> None:
    create_case(client, auth, allocate_to=None)
    sign_in(web, "om1")
    r = post(web, "/cases/A123456/induction", {"understood": ALL_POINTS})
    assert r.status_code == 400
    assert errors_of(r.text) == [("understood", "Induction before an offender manager is allocated")]


# Termination and closure -----------------------------------------------------------------------

def test_termination_errors_are_shown_at_their_fields(client: TestClient, web: TestClient, auth: Auth) -> None:
    create_case(client, auth)
    sign_in(web, "om1")
    before = kinds(client, auth, "A123456")
    empty = post(web, "/cases/A123456/terminate", {})
    assert empty.status_code == 400
    assert errors_of(empty.text) == [("reason", "Select why the order ended"),
                                     ("on-day", "Enter the date the order ended")]
    future = post(web, "/cases/A123456/terminate", {"reason": "revoked_early", "on-day": "24", "on-month": "11",
                                                    "on-year": "2026"})
    assert errors_of(future.text) == [("on-day", "Termination date 2026-11-24 is in the future")]
    early = post(web, "/cases/A123456/terminate", {"reason": "completed", "on-day": "20", "on-month": "11",
                                                   "on-year": "2026"})
    assert errors_of(early.text)[0][0] == "reason" and "before the order ends" in early.text
    assert 'value="20"' in early.text  # what was typed is kept
    assert kinds(client, auth, "A123456") == before


def test_a_terminated_order_is_closed(client: TestClient, web: TestClient, auth: Auth) -> None:
    cid = create_case(client, auth)
    sign_in(web, "om1")
    assert 'id="not-terminated"' in web.get("/cases/A123456/close").text
    refused = post(web, "/cases/A123456/close", {})
    assert refused.status_code == 400 and errors_of(refused.text)[0][0] == "not-terminated"
    r = post(web, "/cases/A123456/terminate", {"reason": "revoked_on_breach", "on-day": "23", "on-month": "11",
                                               "on-year": "2026", "note": "Resentenced at Leeds"})
    assert r.status_code == 303
    overview = web.get("/cases/A123456").text
    assert "Order terminated (revoked on breach) on 23 November 2026" in overview
    assert f'href="/cases/A123456/close?case={cid}">Close the case' in overview
    assert "Terminate the order" not in overview
    assert web.get("/cases/A123456/terminate").status_code == 409
    assert post(web, "/cases/A123456/close", {}).status_code == 303
    overview = web.get("/cases/A123456").text
    assert "case is closed" in overview and "Close the case" not in overview
    assert kinds(client, auth, "A123456")[-2:] == ["terminated", "closed"]


def test_provider_staff_and_the_risk_team_cannot_change_a_case(
        client: TestClient, web: TestClient, auth: Auth) -> None:
    create_case(client, auth)
    for user in ("provider", "risk", "em"):
        sign_in(web, user)
        for page in ("induction", "terminate", "close"):
            assert web.get(f"/cases/A123456/{page}").status_code == 403, (user, page)


# Deliveries and updates ------------------------------------------------------------------------

def a_provider_case(client: TestClient, auth: Auth) -> int:
    return create_case(client, auth, "admin", allocate_to="S6", person__crn=PROVIDER_CASE, person__first_name="Rita",
                       person__last_name="Rar", organisation_code="CRC-A", team_code="T3")


def rar_activity(client: TestClient, auth: Auth, cid: int, clock: MovableClock) -> int:
    add_locations(client, auth)
    appointment = book(client, auth, cid, "2026-11-24T10:00:00+00:00", user="provider", interviewer_code="S5",
                       rar_activity=True)
    clock.advance(days=1, hours=1)  # the activity has begun
    return int(appointment["id"])


def outcome_form(**overrides: str) -> dict[str, str]:
    return {"outcome": "attended_complied", "attendance": "on_time", "behaviour": "appropriate",
            "response": "engaged", "risk": "no_change", "notes": "Good session", **overrides}


def test_provider_staff_record_a_rar_activity_and_the_offender_manager_acknowledges_the_update(
        client: TestClient, web: TestClient, auth: Auth, clock: MovableClock) -> None:
    cid = a_provider_case(client, auth)
    appointment = rar_activity(client, auth, cid, clock)
    sign_in(web, "provider")
    listing = web.get("/deliveries").text
    assert f'href="/deliveries/{appointment}"' in listing and "RAR activity" in listing
    assert 'id="awaiting"' in listing and "Rita Rar" in listing
    assert f'href="/deliveries?crn={PROVIDER_CASE}"' in web.get(f"/cases/{PROVIDER_CASE}").text

    before = kinds(client, auth, PROVIDER_CASE)
    empty = post(web, f"/deliveries/{appointment}", {"risk": "no_change"})
    assert empty.status_code == 400
    assert [f for f, _ in errors_of(empty.text)] == ["outcome", "attendance"]
    no_behaviour = post(web, f"/deliveries/{appointment}", outcome_form(behaviour="", response=""))
    assert [f for f, _ in errors_of(no_behaviour.text)] == ["behaviour", "response"]
    contradiction = post(web, f"/deliveries/{appointment}", outcome_form(outcome="unacceptable_absence",
                                                                         behaviour="", response=""))
    assert errors_of(contradiction.text) == [("attendance", "Attendance on_time contradicts outcome "
                                                            "unacceptable_absence")]
    assert kinds(client, auth, PROVIDER_CASE) == before

    done = post(web, f"/deliveries/{appointment}", outcome_form())
    assert done.status_code == 303 and done.headers["location"] == "/deliveries"
    listing = web.get("/deliveries").text
    assert ("Outcome recorded for Rita Rar: attended and complied. Their offender manager has been sent an "
            "update.") in listing
    assert f'href="/deliveries/{appointment}"' not in listing
    assert "offender_manager_informed" in kinds(client, auth, PROVIDER_CASE)
    assert post(web, f"/deliveries/{appointment}", outcome_form()).status_code == 400  # recorded once

    sign_in(web, "crcom")
    updates = web.get("/updates").text
    assert "1 new update" in updates and "Rita Rar" in updates and "Good session" in updates
    for shown in ("Attended and complied", "On time", "Appropriate", "Engaged", "No change", "RAR activity",
                  "Evan Elm"):
        assert shown in updates, shown
    update_id = int(re.search(r'action="/updates/(\d+)/acknowledge"', updates).group(1))  # type: ignore[union-attr]
    r = post(web, f"/updates/{update_id}/acknowledge", {})
    assert r.status_code == 303
    after = web.get("/updates").text
    assert "Update acknowledged" in after and "0 new updates, 1 acknowledged" in after
    assert "/acknowledge" not in after
    again = post(web, f"/updates/{update_id}/acknowledge", {})
    assert again.status_code == 400 and f'href="#update-{update_id}"' in again.text
    sign_in(web, "om1")
    assert post(web, f"/updates/{update_id}/acknowledge", {}).status_code == 404  # not theirs


def test_updates_list_new_ones_first_then_newest_first(
        client: TestClient, web: TestClient, auth: Auth, clock: MovableClock) -> None:
    cid = a_provider_case(client, auth)
    add_locations(client, auth)
    ids = [book(client, auth, cid, f"2026-11-2{d}T10:00:00+00:00", user="provider", interviewer_code="S5",
                rar_activity=True)["id"] for d in (4, 5, 6)]
    clock.advance(days=4)
    sign_in(web, "provider")
    for i, appointment in enumerate(ids):
        assert post(web, f"/deliveries/{appointment}", outcome_form(notes=f"note {i}")).status_code == 303
        clock.advance(minutes=5)
    sign_in(web, "crcom")
    first = re.search(r'action="/updates/(\d+)/acknowledge"', web.get("/updates").text).group(1)  # type: ignore[union-attr]
    assert post(web, f"/updates/{first}/acknowledge", {}).status_code == 303
    page = web.get("/updates").text
    assert [page.index(f"note {n}") for n in (1, 0, 2)] == sorted(page.index(f"note {n}") for n in (1, 0, 2))


def test_deliveries_are_for_provider_staff_and_only_their_organisations_cases(
        client: TestClient, web: TestClient, auth: Auth, clock: MovableClock) -> None:
    nps = create_case(client, auth)
    add_locations(client, auth)
    nps_appointment = book(client, auth, nps, "2026-11-24T10:00:00+00:00")["id"]
    clock.advance(days=2)
    sign_in(web, "provider")
    assert "Nothing is waiting for an outcome" in web.get("/deliveries").text
    assert web.get(f"/deliveries/{nps_appointment}").status_code == 404
    assert post(web, f"/deliveries/{nps_appointment}", outcome_form()).status_code == 404
    assert web.get("/updates").status_code == 403
    assert web.get("/admin/users").status_code == 403
    for user in ("om1", "tm1", "risk"):
        sign_in(web, user)
        assert web.get("/deliveries").status_code == 403, user
    sign_in(web, "commissioner")
    assert web.get("/updates").status_code == 403
    assert "appointment_outcome_recorded" not in kinds(client, auth, "A123456")
