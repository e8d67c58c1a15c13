"""The police liaison journey in a real browser: the commencement notice is in the force's inbox;
the officer reads it, is shown the errors of an incomplete report, reports a violation, and sees
the outcome once the offender manager decides. Every page passes axe-core's WCAG 2.2 AA checks
and is saved as a screenshot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import accessible, sign_in
from tests.em.e2e.em_data import LONDON, EmData, seed

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="session")
def em_data(live_server: str) -> EmData:
    return seed(live_server)


def test_police_read_a_notice_report_a_violation_and_see_the_outcome(page, em_data: EmData) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "police")
    page.wait_for_url("**/account")
    page.get_by_role("link", name="Notices").click()
    expect(page.get_by_role("heading", name="Notices to POL-WY")).to_be_visible()
    accessible(page, "police-inbox")

    page.get_by_role("link", name=em_data.notice_subject).click()
    expect(page.get_by_role("heading", name=em_data.notice_subject, exact=True).first).to_be_visible()
    expect(page.locator("main")).to_contain_text(em_data.police_name)
    accessible(page, "police-notice")

    page.get_by_role("button", name="Report a violation").click()
    expect(page.get_by_role("heading", name="Report a violation of an exclusion requirement")).to_be_visible()
    page.get_by_role("button", name="Send report").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your police reference")
    expect(summary).to_contain_text("Enter where the person was seen")
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
    expect(page.locator(".govuk-notification-banner")).to_contain_text("WY-E2E-1 sent to the offender manager")
    expect(page.get_by_role("row").filter(has_text="WY-E2E-1")).to_contain_text("Awaiting decision")
    accessible(page, "police-reports-awaiting")

    sign_in(page, "om1")  # the offender manager decides in the browser
    page.wait_for_url("**/caseload")
    page.get_by_role("link", name="Police reports").click()
    accessible(page, "om-police-reports")
    card = page.locator(".govuk-summary-card").filter(has_text="WY-E2E-1")
    card.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the enforcement decision")
    accessible(page, "om-police-reports-errors")
    card = page.locator(".govuk-summary-card").filter(has_text="WY-E2E-1")
    card.get_by_label("Give a formal warning").check()
    card.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**/police-reports")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("the outcome was sent to POL-WY")

    sign_in(page, "police")
    page.wait_for_url("**/account")
    page.goto("/police/reports")
    row = page.get_by_role("row").filter(has_text="WY-E2E-1")
    expect(row).to_contain_text("Formal warning given")
    accessible(page, "police-reports-outcome")
    row.get_by_role("link", name="Read the outcome notice for WY-E2E-1").click()
    expect(page.locator("main")).to_contain_text("A formal warning has been given.")
    accessible(page, "police-outcome-notice")


def test_police_cannot_open_monitoring_centre_pages(page, em_data: EmData) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "police")
    page.wait_for_url("**/account")
    response = page.goto(f"/em/alerts/{em_data.alert_id}")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(em_data.em_name)
    accessible(page, "police-forbidden")
