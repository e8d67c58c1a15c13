"""Administrator pages: users and roles, teams, providers, commissioned options, timescales, the
audit log search and the letter delivery log; server-side validation and the 403 for other roles."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from probation.adapters.db.tables import AuditRow
from probation.catalogue import NATIONAL_MINIMUM_ONLY, load_catalogue
from probation.catalogue.timescales import DayUnit, Offset
from probation.services import admin
from tests.factories import PASSWORD, case_body

ADMIN_PAGES = ["/admin/users", "/admin/users/new", "/admin/users/om1", "/admin/teams", "/admin/teams/T1",
               "/admin/providers", "/admin/providers/CRC-A", "/admin/providers/CRC-A/contract", "/admin/audit",
               "/admin/letters"]


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    client.cookies.clear()
    page = client.get("/sign-in")
    r = client.post("/sign-in", data={"username": username, "password": password, "csrf_token": csrf(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return csrf(client.get("/account").text)


def post(client: TestClient, path: str, token: str, **data: object) -> object:
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def error_for(html: str, field: str) -> str:
    """The GOV.UK error message shown next to a field (and linked from the summary)."""
    assert "govuk-error-summary" in html and f'href="#{field}"' in html, f"no summary link to #{field}"
    match = re.search(rf'id="{field}-error" class="govuk-error-message">.*?</span>\s*(.*?)</p>', html, re.S)
    assert match, f"no error message next to {field}"
    return match.group(1)


@pytest.mark.parametrize("username", ["om1", "tm1", "commissioner", "police", "risk", "em", "provider"])
def test_only_the_administrator_sees_the_admin_pages(client: TestClient, username: str) -> None:
    token = sign_in(client, username)
    for path in ADMIN_PAGES:
        r = client.get(path)
        assert r.status_code == 403, path
        assert "You cannot see this page" in r.text
    assert post(client, "/admin/users/new", token, username="x1", display_name="X", role="administrator",
                password="secret1").status_code == 403
    assert post(client, "/admin/teams", token, code="T9", name="Nine", organisation_code="NPS-NE").status_code == 403
    assert "/admin/users" not in client.get("/account").text  # not in their navigation either


def test_every_admin_page_renders_for_the_administrator(client: TestClient) -> None:
    sign_in(client, "admin")
    for path in ADMIN_PAGES:
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:500])
    assert 'href="/admin/users"' in client.get("/account").text


def test_adding_a_user_with_a_role_lists_them_and_they_can_sign_in(client: TestClient) -> None:
    token = sign_in(client, "admin")
    r = post(client, "/admin/users/new", token, username="om9", display_name="Olive Moss", role="practitioner",
             staff_code="S3", organisation_code="", password="new-password")
    assert r.status_code == 303
    listing = client.get(r.headers["location"])
    assert "User om9 added with the role Practitioner" in listing.text  # notification banner
    assert "Olive Moss" in client.get("/admin/users?role=practitioner").text
    assert "Olive Moss" not in client.get("/admin/users?role=administrator").text
    page = client.get("/admin/users/om9")
    assert "argon2" not in page.text and "password_hash" not in page.text
    sign_in(client, "om9", "new-password")
    assert client.get("/caseload").status_code == 200


def test_adding_a_user_validates_every_field_on_the_server(client: TestClient) -> None:
    token = sign_in(client, "admin")
    r = post(client, "/admin/users/new", token, username="", display_name="", role="", password="")
    assert r.status_code == 400
    for field in ("username", "display_name", "role", "password"):
        assert error_for(r.text, field)
    r = post(client, "/admin/users/new", token, username="om1", display_name="Dup", role="commissioner",
             password="secret1")
    assert r.status_code == 400 and "User om1 exists" in error_for(r.text, "username")
    r = post(client, "/admin/users/new", token, username="Bad Name!", display_name="B", role="commissioner",
             password="secret1")
    assert "is not 2-32 lower-case letters" in error_for(r.text, "username")
    r = post(client, "/admin/users/new", token, username="om8", display_name="P", role="practitioner",
             password="secret1")
    assert "needs a staff record" in error_for(r.text, "staff_code")
    r = post(client, "/admin/users/new", token, username="cop2", display_name="P", role="police_liaison",
             password="secret1")
    assert "needs an organisation" in error_for(r.text, "organisation_code")
    r = post(client, "/admin/users/new", token, username="u2", display_name="P", role="wizard", password="secret1")
    assert "is not a role" in error_for(r.text, "role")
    r = post(client, "/admin/users/new", token, username="u3", display_name="P", role="commissioner", password="ab")
    assert "too short" in error_for(r.text, "password")
    assert 'value="u3"' in r.text  # the form keeps what was typed
    assert "/admin/users/u2\"" not in client.get("/admin/users").text  # a rejected form writes nothing


def test_changing_a_role_and_deactivating_a_user(client: TestClient) -> None:
    token = sign_in(client, "admin")
    r = post(client, "/admin/users/commissioner", token, display_name="Chris", role="nps_risk",
             organisation_code="NPS-NE", staff_code="", active="no")
    assert r.status_code == 303
    page = client.get("/admin/users/commissioner")
    assert "User commissioner updated" in page.text and "Inactive" not in page.text  # banner, edit form
    listing = client.get("/admin/users?q=commissioner").text
    assert "NPS risk team" in listing and "Inactive" in listing
    client.cookies.clear()
    login = client.get("/sign-in")
    r = client.post("/sign-in", data={"username": "commissioner", "password": PASSWORD,
                                      "csrf_token": csrf(login.text)}, follow_redirects=False)
    assert r.status_code == 400  # a deactivated account cannot sign in


def test_an_administrator_cannot_lock_themselves_out(client: TestClient) -> None:
    token = sign_in(client, "admin")
    r = post(client, "/admin/users/admin", token, display_name="admin", role="administrator", active="no")
    assert r.status_code == 400 and "cannot remove your own administrator access" in error_for(r.text, "active")
    r = post(client, "/admin/users/admin", token, display_name="admin", role="commissioner", active="yes")
    assert "cannot remove your own administrator access" in error_for(r.text, "role")
    r = post(client, "/admin/users/admin", token, display_name="", role="", active="maybe")
    for field in ("display_name", "role", "active"):
        assert error_for(r.text, field)
    assert client.get("/admin/users/nobody").status_code == 404


def test_resetting_a_password_never_shows_it_and_the_new_one_works(client: TestClient) -> None:
    token = sign_in(client, "admin")
    r = post(client, "/admin/users/om2/password", token, password="fresh-pass-kettle", confirm="other")
    assert r.status_code == 400 and "do not match" in error_for(r.text, "confirm")
    r = post(client, "/admin/users/om2/password", token, password="", confirm="")
    assert "Enter a new password" in error_for(r.text, "password")
    r = post(client, "/admin/users/om2/password", token, password="fresh-pass-kettle", confirm="fresh-pass-kettle")
    assert r.status_code == 303
    assert "fresh-pass-kettle" not in client.get("/admin/users/om2").text
    sign_in(client, "om2", "fresh-pass-kettle")


def test_adding_a_team_and_moving_it_to_another_provider(client: TestClient) -> None:
    token = sign_in(client, "admin")
    r = post(client, "/admin/teams", token, code="t9", name="Wakefield", organisation_code="NPS-NE")
    assert r.status_code == 303
    teams = client.get("/admin/teams").text
    assert "Team T9 added" in teams and "Wakefield" in teams
    r = post(client, "/admin/teams/T9", token, name="Wakefield", organisation_code="CRC-A")
    assert r.status_code == 303
    assert re.search(r"Wakefield</td>\s*<td class=\"govuk-table__cell\">Contracted Provider A", client.get(
        "/admin/teams").text)


def test_team_forms_refuse_bad_input_and_a_team_with_open_cases_stays_with_its_provider(
        client: TestClient, auth: Callable[[str], dict[str, str]]) -> None:
    assert client.post("/api/cases", json=case_body(), headers=auth("admin")).status_code == 201
    token = sign_in(client, "admin")
    r = post(client, "/admin/teams", token, code="", name="", organisation_code="")
    for field in ("code", "name", "organisation_code"):
        assert error_for(r.text, field)
    r = post(client, "/admin/teams", token, code="T1", name="Again", organisation_code="NPS-NE")
    assert "Team T1 exists" in error_for(r.text, "code")
    r = post(client, "/admin/teams", token, code="T8", name="Police team", organisation_code="POL-WY")
    assert "not a probation provider" in error_for(r.text, "organisation_code")
    r = post(client, "/admin/teams/T1", token, name="Leeds North", organisation_code="CRC-A")
    assert r.status_code == 400 and "has 1 open case" in error_for(r.text, "organisation_code")
    assert client.get("/admin/teams/T404").status_code == 404


def test_adding_an_organisation_with_validation(client: TestClient) -> None:
    token = sign_in(client, "admin")
    r = post(client, "/admin/providers", token, code="crc-b", name="Provider B", kind="contracted_provider",
             email="notices@provider-b.example")
    assert r.status_code == 303
    page = client.get("/admin/providers").text
    assert "Organisation CRC-B added" in page and "/admin/providers/CRC-B/contract" in page
    r = post(client, "/admin/providers", token, code="", name="", kind="")
    for field in ("code", "name", "kind"):
        assert error_for(r.text, field)
    r = post(client, "/admin/providers", token, code="X1", name="X", kind="partner", email="not-an-email")
    assert "is not an email address" in error_for(r.text, "email")
    r = post(client, "/admin/providers", token, code="X1", name="X", kind="bank")
    assert "is not a kind of organisation" in error_for(r.text, "kind")


def test_commissioned_options_and_timescale_overrides_reach_the_contract_for_the_engine(
        client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    token = sign_in(client, "admin")
    with app.state.sessions() as s:
        assert admin.contract_for(s, "CRC-A") is NATIONAL_MINIMUM_ONLY  # nothing stored yet
    r = post(client, "/admin/providers/CRC-A/options", token, options="supervision.mentoring")
    assert r.status_code == 303
    assert "Commissioned options saved" in client.get("/admin/providers/CRC-A/contract").text
    r = post(client, "/admin/providers/CRC-A/timescales", token, timescale="induction", days="3", unit="working")
    assert r.status_code == 303
    page = client.get("/admin/providers/CRC-A/contract").text
    assert "Timescale induction overridden" in page and "3 working days" in page
    with app.state.sessions() as s:
        contract = admin.contract_for(s, "CRC-A")
    assert contract.commissioned_options == frozenset({"supervision.mentoring"})
    assert contract.timescale_overrides == {"induction": Offset(days=3, unit=DayUnit.WORKING)}
    catalogue = load_catalogue()
    mentoring = next(r for r in catalogue.rows.values() if r.option_id == "supervision.mentoring")
    assert contract.buys(mentoring) and not NATIONAL_MINIMUM_ONLY.buys(mentoring)
    induction_rows = [k for k, rule in catalogue.due_rules().items() if rule.timescale == "induction"]
    assert induction_rows, "the catalogue has rows on the induction timescale"
    rule = catalogue.due_rule(induction_rows[0], contract)
    assert rule.offset == Offset(days=3, unit=DayUnit.WORKING) and rule.overridden
    # Back to the default
    assert post(client, "/admin/providers/CRC-A/timescales/induction/clear", token).status_code == 303
    with app.state.sessions() as s:
        assert admin.contract_for(s, "CRC-A").timescale_overrides == {}
        assert admin.contract_for(s, "NPS-NE") is NATIONAL_MINIMUM_ONLY


def test_contract_forms_apply_the_catalogues_strict_rules_as_field_errors(client: TestClient) -> None:
    token = sign_in(client, "admin")
    r = post(client, "/admin/providers/CRC-A/options", token, options="supervision.teleportation")
    assert r.status_code == 400
    assert "is not a commissionable option" in error_for(r.text, "commissioned_options")
    for days, unit, field, text in [("abc", "working", "days", "whole number"), ("4000", "working", "days",
                                    "from 0 to 3660"), ("-1", "calendar", "days", "whole number"),
                                    ("3", "fortnights", "unit", "calendar days or working days"),
                                    ("", "", "days", "Enter the number of days")]:
        r = post(client, "/admin/providers/CRC-A/timescales", token, timescale="induction", days=days, unit=unit)
        assert r.status_code == 400 and text in error_for(r.text, field), (days, unit)
    r = post(client, "/admin/providers/CRC-A/timescales", token, timescale="tea_break", days="1", unit="working")
    assert "No named timescale" in error_for(r.text, "timescale").replace("&#39;", "'")
    assert client.get("/admin/providers/POL-WY/contract").status_code == 422  # police hold no contract
    assert "Default" in client.get("/admin/providers/CRC-A/contract").text  # nothing was stored


def test_the_audit_log_search_finds_the_reads_of_a_persons_record(
        client: TestClient, auth: Callable[[str], dict[str, str]]) -> None:
    assert client.post("/api/cases", json=case_body(), headers=auth("admin")).status_code == 201
    sign_in(client, "om1")
    assert client.get("/cases/A123456").status_code == 200
    assert "A123456" in client.get("/caseload?scope=all").text
    sign_in(client, "admin")
    page = client.get("/admin/audit?crn=a123456&action=read")
    assert page.status_code == 200
    assert "person record with 1 case(s)" in page.text and "caseload list" in page.text
    assert "<svg" in page.text and "Reads of people's records per day" in page.text
    assert "2 reads from 23 Nov 2026 to 23 Nov 2026" in page.text
    only_om1 = client.get("/admin/audit?crn=A123456&user=om1&from=2026-11-23&to=2026-11-23").text
    assert "om1" in only_om1 and "entries" in only_om1
    none = client.get("/admin/audit?crn=A123456&from=2026-11-24").text
    assert "0 entries" in none and "No reads in this search" in none


def test_the_audit_search_validates_its_filters(client: TestClient) -> None:
    sign_in(client, "admin")
    r = client.get("/admin/audit?crn=12345&from=2026-02-30&to=yesterday&action=delete")
    assert r.status_code == 400
    assert "one capital letter then six digits" in error_for(r.text, "crn")
    assert "real date" in error_for(r.text, "from") and "real date" in error_for(r.text, "to")
    assert "Select an action" in error_for(r.text, "action")
    r = client.get("/admin/audit?from=2026-11-23&to=2026-11-01")
    assert "same as or after From" in error_for(r.text, "to")


def test_the_audit_search_pages_through_results(client: TestClient) -> None:
    sign_in(client, "admin")
    for _ in range(30):  # each search is itself an audited read
        client.get("/admin/audit?user=admin")
    first = client.get("/admin/audit?user=admin&action=read")
    assert "page 1 of 2" in first.text and 'rel="next"' in first.text and 'rel="prev"' not in first.text
    second = client.get("/admin/audit?user=admin&action=read&page=2")
    assert "page 2 of 2" in second.text and 'rel="prev"' in second.text


def test_admin_forms_need_the_csrf_token(client: TestClient) -> None:
    sign_in(client, "admin")
    r = client.post("/admin/teams", data={"code": "T7", "name": "Seven", "organisation_code": "NPS-NE",
                                          "csrf_token": "forged"}, follow_redirects=False)
    assert r.status_code == 403
    assert "T7" not in client.get("/admin/teams").text


@pytest.mark.parametrize(("password", "message"), [
    ("1111", "The password is too short: it has 4 characters and needs at least 12"),
    ("password1234", "The password is on the list of common and breached passwords"),
    ("Qwertyuiop123", "The password is on the list of common and breached passwords"),
])
def test_an_administrator_cannot_set_a_short_or_common_password(client: TestClient, password: str,
                                                                message: str) -> None:
    token = sign_in(client, "admin")

    created = post(client, "/admin/users/new", token, username="u4", display_name="U", role="commissioner",
                   password=password)
    reset = post(client, "/admin/users/om2/password", token, password=password, confirm=password)

    assert created.status_code == 400 and error_for(created.text, "password") == message
    assert reset.status_code == 400 and error_for(reset.text, "password") == message
    assert "/admin/users/u4\"" not in client.get("/admin/users").text
    client.cookies.clear()
    page = client.get("/sign-in")
    r = client.post("/sign-in", data={"username": "om2", "password": PASSWORD, "csrf_token": csrf(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303  # the old password still works: nothing was written


def test_admin_changes_are_written_to_the_audit_log(client: TestClient) -> None:
    token = sign_in(client, "admin")
    post(client, "/admin/teams", token, code="T6", name="Six", organisation_code="NPS-NE")
    post(client, "/admin/users/om3/password", token, password="another-lantern", confirm="another-lantern")
    page = client.get("/admin/audit?action=write").text
    assert "team:T6" in page and "user:om3" in page and "password reset" in page


def test_changing_an_organisations_email_for_notices(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    token = sign_in(client, "admin")
    r = post(client, "/admin/providers/POL-WY", token, name="West Yorkshire Police", email="liaison@wyp.example")
    assert r.status_code == 303
    assert "liaison@wyp.example" in client.get("/admin/providers").text
    r = post(client, "/admin/providers/POL-WY", token, name="", email="nope")
    assert "Enter the organisation" in error_for(r.text, "name")
    r = post(client, "/admin/providers/POL-WY", token, name="WYP", email="nope")
    assert "is not an email address" in error_for(r.text, "email")
    assert client.get("/admin/providers/NOPE").status_code == 404


def test_reads_are_counted_on_their_london_day_across_midnight_and_the_clock_change(app) -> None:  # type: ignore[no-untyped-def]
    reads = [datetime(2026, 6, 30, 22, 59, tzinfo=UTC),   # 23:59 BST on 30 June
             datetime(2026, 6, 30, 23, 0, tzinfo=UTC),    # 00:00 BST on 1 July
             datetime(2026, 7, 2, 12, 0, tzinfo=UTC),     # 2 July; 1 July has one read, not a gap
             datetime(2026, 10, 25, 0, 30, tzinfo=UTC),   # 25 Oct 01:30 BST, the morning the clocks go back
             datetime(2026, 12, 31, 23, 30, tzinfo=UTC)]  # GMT: still 31 December
    with app.state.sessions.begin() as s:
        for at in reads:
            s.add(AuditRow(at=at, username="om1", role="practitioner", action="read", subject="A123456",
                           detail="person record", channel="web"))
        s.add(AuditRow(at=reads[0], username="om1", role="practitioner", action="write", subject="A123456",
                       detail="not a read", channel="web"))
    with app.state.sessions.begin() as s:
        q = admin.AuditQuery(subject="A123456", since=datetime(2026, 6, 1, tzinfo=UTC),
                             until=datetime(2026, 7, 31, tzinfo=UTC))
        page = admin.search_audit(s, admin_actor(), q, now=datetime(2027, 1, 1, tzinfo=UTC))
        assert page.total == 4  # three reads and the write in the window
        assert page.reads_per_day == [(date(2026, 6, 30), 1), (date(2026, 7, 1), 1), (date(2026, 7, 2), 1)]
        late = admin.search_audit(s, admin_actor(), admin.AuditQuery(subject="A123456", action="read",
                                  since=datetime(2026, 10, 1, tzinfo=UTC)), now=datetime(2027, 1, 1, tzinfo=UTC))
        days = dict(late.reads_per_day)
        assert days[date(2026, 10, 25)] == 1 and days[date(2026, 12, 31)] == 1
        assert len(late.reads_per_day) == (date(2026, 12, 31) - date(2026, 10, 25)).days + 1  # gaps filled
        assert admin.search_audit(s, admin_actor(), admin.AuditQuery(action="write"),
                                  now=datetime(2027, 1, 1, tzinfo=UTC)).reads_per_day == []


def admin_actor():  # type: ignore[no-untyped-def]
    from probation.domain.roles import Role
    from probation.services.context import Actor

    return Actor(username="admin", role=Role.ADMINISTRATOR)
