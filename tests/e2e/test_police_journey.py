"""The police liaison journey in a real browser: the commencement notice is in the force's inbox;
the officer reads it, is shown the errors of an incomplete report, reports a violation, and sees
the outcome once the offender manager decides. Every page passes axe-core's WCAG 2.2 AA checks
and is saved as a screenshot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.em_data import LONDON, EmData, seed
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="session")
def em_data(live_server: str) -> EmData:
    return seed(live_server)


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def accessible(page, name: str) -> None:  # type: ignore[no-untyped-def]
    assert axe_violations(page) == [], name
    screenshot(page, name)


def test_police_read_a_notice_report_a_violation_and_see_the_outcome(page, em_data: EmData) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "police")
    page.wait_for_url("**/account")
    page.get_by_role("link", name="Notices").click()
    assert page.get_by_role("heading", name="Notices to POL-WY").is_visible()
    accessible(page, "police-inbox")

    page.get_by_role("link", name=em_data.notice_subject).click()
    expect(page.get_by_role("heading", name=em_data.notice_subject, exact=True).first).to_be_visible()
    assert em_data.police_name in page.locator("main").inner_text()
    accessible(page, "police-notice")

    page.get_by_role("button", name="Report a violation").click()
    assert page.get_by_role("heading", name="Report a violation of an exclusion requirement").is_visible()
    page.get_by_role("button", name="Send report").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter your police reference" in summary.inner_text()
    assert "Enter where the person was seen" in summary.inner_text()
    accessible(page, "police-report-errors")

    seen = (datetime.now(UTC) - timedelta(hours=2)).astimezone(LONDON)
    page.get_by_label("Your police reference").fill("WY-E2E-1")
    page.get_by_label("Day", exact=True).fill(str(seen.day))
    page.get_by_label("Month", exact=True).fill(str(seen.month))
    page.get_by_label("Year", exact=True).fill(str(seen.year))
    page.get_by_label("Time the person was seen").fill(seen.strftime("%H:%M"))
    page.get_by_label("Where the person was seen").fill("Briggate, Leeds")
    page.get_by_label("What was seen").fill("Seen walking through the city centre")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url("**/police/reports")
    assert "WY-E2E-1 sent to the offender manager" in page.locator(".govuk-notification-banner").inner_text()
    assert "Awaiting decision" in page.get_by_role("row").filter(has_text="WY-E2E-1").inner_text()
    accessible(page, "police-reports-awaiting")

    sign_in(page, "om1")  # the offender manager decides in the browser
    page.wait_for_url("**/caseload")
    page.get_by_role("link", name="Police reports").click()
    accessible(page, "om-police-reports")
    card = page.locator(".govuk-summary-card").filter(has_text="WY-E2E-1")
    card.get_by_role("button", name="Record decision").click()
    assert "Select the enforcement decision" in page.locator(".govuk-error-summary").inner_text()
    accessible(page, "om-police-reports-errors")
    card = page.locator(".govuk-summary-card").filter(has_text="WY-E2E-1")
    card.get_by_label("Give a formal warning").check()
    card.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**/police-reports")
    assert "the outcome was sent to POL-WY" in page.locator(".govuk-notification-banner").inner_text()

    sign_in(page, "police")
    page.wait_for_url("**/account")
    page.goto("/police/reports")
    row = page.get_by_role("row").filter(has_text="WY-E2E-1")
    assert "Formal warning given" in row.inner_text()
    accessible(page, "police-reports-outcome")
    row.get_by_role("link", name="Read the outcome notice for WY-E2E-1").click()
    assert "A formal warning has been given." in page.locator("main").inner_text()
    accessible(page, "police-outcome-notice")


def test_police_cannot_open_monitoring_centre_pages(page, em_data: EmData) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "police")
    page.wait_for_url("**/account")
    response = page.goto(f"/em/alerts/{em_data.alert_id}")
    assert response.status == 403
    assert page.get_by_role("heading", name="You cannot see this page").is_visible()
    assert em_data.em_name not in page.locator("main").inner_text()
    accessible(page, "police-forbidden")
