"""Compliance, enforcement and letters on the practitioner's case pages: the summary changes after
an unacceptable absence and a warning, the letters render as HTML and PDF, are emailed through the
outbox (or logged to post) and every attempt is in the delivery log."""

from __future__ import annotations

from email import message_from_bytes
from pathlib import Path

from fastapi.testclient import TestClient

from tests.delivery_factories import MovableClock, add_locations, book, create_case, outcome
from tests.integration.test_web_practice import Auth, app, clock, post, sign_in, web  # noqa: F401


def _absent(client: TestClient, auth: Auth, clock: MovableClock,  # noqa: F811
            **overrides: object) -> int:
    cid = create_case(client, auth, **overrides)
    add_locations(client, auth)
    appt = book(client, auth, cid, "2026-11-24T10:00:00+00:00")
    clock.advance(days=1, hours=2)
    outcome(client, auth, cid, appt["id"], "unacceptable_absence")
    return cid


def test_the_compliance_page_shows_the_failure_and_the_warning_due(
        client: TestClient, web: TestClient, auth: Auth, clock: MovableClock) -> None:  # noqa: F811
    _absent(client, auth, clock)
    sign_in(web, "om1")
    page = web.get("/cases/A123456/compliance").text
    assert 'id="failures-count">1' in page
    assert "Warning letter</strong> due by" in page
    assert "20 of 20" not in page and "0 of 20" in page  # RAR days


def test_choosing_an_action_the_policy_does_not_call_for_is_refused_next_to_the_field(
        client: TestClient, web: TestClient, auth: Auth, clock: MovableClock) -> None:  # noqa: F811
    _absent(client, auth, clock)
    sign_in(web, "om1")
    r = post(web, "/cases/A123456/enforcement", {"action": "breach_to_court"}, form_page="/cases/A123456/compliance")
    assert r.status_code == 400
    assert 'href="#action">The failure on 2026-11-24 calls for warning letter, not breach to court' in r.text
    assert 'id="action-error"' in r.text
    r = post(web, "/cases/A123456/enforcement", {}, form_page="/cases/A123456/compliance")
    assert r.status_code == 400 and "Select the enforcement action" in r.text


def test_a_warning_changes_the_summary_and_its_letter_is_emailed_through_the_outbox_and_logged(
        client: TestClient, web: TestClient, auth: Auth, clock: MovableClock, tmp_path: Path) -> None:  # noqa: F811
    _absent(client, auth, clock, person__email="jo@example.org")
    sign_in(web, "om1")
    r = post(web, "/cases/A123456/enforcement", {"action": "warning_letter", "reason": "No reason given"},
             form_page="/cases/A123456/compliance")
    assert r.status_code == 303
    page = web.get("/cases/A123456/compliance").text
    assert "Warning letter recorded for the failure on 24 November 2026" in page
    assert 'id="warnings-count">1' in page and "no failure to comply awaits a decision" in page
    action_id = int(page.split("/letters/")[1].split('"')[0].split("?")[0])
    letter = web.get(f"/cases/A123456/letters/{action_id}")
    assert letter.status_code == 200, letter.text
    assert "This is a formal warning" in letter.text
    assert "24 November 2026" in letter.text and "1 High Street" in letter.text
    pdf = web.get(f"/cases/A123456/letters/{action_id}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    r = post(web, f"/cases/A123456/letters/{action_id}/send", {}, form_page="/cases/A123456/compliance")
    assert r.status_code == 303
    page = web.get("/cases/A123456/compliance").text
    assert "Warning letter emailed to jo@example.org" in page
    assert "Email to jo@example.org" in page and "Sent" in page
    sent = list((tmp_path / "outbox").glob("*.eml"))
    assert len(sent) == 1
    msg = message_from_bytes(sent[0].read_bytes())
    assert msg["To"] == "jo@example.org" and "Warning letter" in msg["Subject"]
    attachment = [p for p in msg.walk() if p.get_filename()][0]
    assert attachment.get_filename() == f"warning-letter-{action_id}.pdf"
    assert attachment.get_payload(decode=True).startswith(b"%PDF")


def test_without_an_email_address_the_letter_is_logged_to_print_and_post(
        client: TestClient, web: TestClient, auth: Auth, clock: MovableClock, tmp_path: Path) -> None:  # noqa: F811
    cid = _absent(client, auth, clock)
    r = client.post(f"/api/cases/{cid}/enforcement", json={"action": "warning_letter"}, headers=auth("om1"))
    assert r.status_code == 201
    sign_in(web, "om1")
    r = post(web, f"/cases/A123456/letters/{r.json()['id']}/send", {}, form_page="/cases/A123456/compliance")
    assert r.status_code == 303
    page = web.get("/cases/A123456/compliance").text
    assert "logged to print and post" in page and "To print and post" in page
    assert not list((tmp_path / "outbox").glob("*.eml"))


def test_a_second_failure_after_a_warning_produces_a_breach_letter(
        client: TestClient, web: TestClient, auth: Auth, clock: MovableClock) -> None:  # noqa: F811
    cid = _absent(client, auth, clock)
    assert client.post(f"/api/cases/{cid}/enforcement", json={"action": "warning_letter"},
                       headers=auth("om1")).status_code == 201
    appt = book(client, auth, cid, "2026-11-25T10:00:00+00:00")
    clock.advance(days=1, hours=1)
    outcome(client, auth, cid, appt["id"], "unacceptable_absence")
    sign_in(web, "om1")
    r = post(web, "/cases/A123456/enforcement", {"action": "breach_to_court"}, form_page="/cases/A123456/compliance")
    assert r.status_code == 303
    page = web.get("/cases/A123456/compliance").text
    assert "The breach letter is ready" in page
    breach_id = max(int(p.split('"')[0].split("?")[0]) for p in page.split("/letters/")[1:] if p[0].isdigit()
                    and ".pdf" not in p.split('"')[0] and "/send" not in p.split('"')[0])
    letter = web.get(f"/cases/A123456/letters/{breach_id}").text
    assert "back to Leeds Magistrates" in letter and "breach proceedings" in letter


def test_letters_are_not_shown_to_other_teams_or_roles(
        client: TestClient, web: TestClient, auth: Auth, clock: MovableClock) -> None:  # noqa: F811
    cid = _absent(client, auth, clock)
    r = client.post(f"/api/cases/{cid}/enforcement", json={"action": "warning_letter"}, headers=auth("om1"))
    action_id = r.json()["id"]
    sign_in(web, "om3")
    assert web.get(f"/cases/A123456/letters/{action_id}").status_code == 404
    assert web.get("/cases/A123456/compliance").status_code == 404
    sign_in(web, "provider")
    assert web.get(f"/cases/A123456/letters/{action_id}.pdf").status_code == 403
    sign_in(web, "om1")
    assert web.get(f"/cases/A123456/letters/{action_id + 99}").status_code == 404
