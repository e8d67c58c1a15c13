"""The practitioner's journey in a real browser: open a case from the caseload, book an
appointment, record an unacceptable absence, issue the warning letter, see the compliance summary
change, make a plan. Every page passes axe-core's WCAG 2.2 AA checks and is saved as a screenshot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import accessible, sign_in
from tests.e2e.practice_data import LONDON, PracticeData, live_database, seed

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def data(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> PracticeData:
    return seed(live_database(tmp_path_factory.getbasetemp()))


def banner(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator(".govuk-notification-banner").inner_text())


def test_a_practitioner_books_records_an_absence_warns_and_makes_a_plan(page, data: PracticeData) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "om1")
    page.wait_for_url("**/caseload")
    page.get_by_label("Search by surname or case reference").fill("practice")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=data.practice_name).click()
    page.wait_for_url(f"**/cases/{data.practice_crn}")
    # The case page's sub-navigation (case_nav.html) once wired; until then go straight to the tab.
    page.goto(f"/cases/{data.practice_crn}/appointments")
    expect(page.get_by_role("heading", name="Appointments")).to_be_visible()
    accessible(page, "practitioner-appointments")

    # A booking with nothing filled in is refused with an error summary linked to each field.
    page.get_by_label("Start time").fill("")
    page.get_by_role("button", name="Book appointment").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the date of the appointment")
    summary.get_by_role("link", name="Enter the date of the appointment").click()
    assert page.evaluate("document.activeElement.id") == "date-day"
    accessible(page, "practitioner-appointments-errors")

    tomorrow = (datetime.now(UTC) + timedelta(days=1)).astimezone(LONDON).date()
    page.get_by_label("Day", exact=True).fill(str(tomorrow.day))
    page.get_by_label("Month", exact=True).fill(str(tomorrow.month))
    page.get_by_label("Year", exact=True).fill(str(tomorrow.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Office", exact=True).check()
    page.get_by_label("Office location").select_option("LDS1")
    page.get_by_label("Who will see them").select_option("S1")
    page.get_by_role("button", name="Book appointment").click()
    assert f"Appointment booked for {tomorrow.day} {tomorrow:%B %Y} at 10:00" in banner(page)

    # The appointment two days ago was missed without an acceptable reason.
    page.get_by_role("link", name=f"Record outcome of {data.missed_at:%-d %b %Y %H:%M}").click()
    expect(page.get_by_role("heading", name="Record an outcome")).to_be_visible()
    accessible(page, "practitioner-record-outcome")
    page.get_by_label("Unacceptable absence").check()
    page.get_by_label("Notes (optional)").fill("No contact; phone off")
    page.get_by_role("button", name="Record outcome").click()
    assert "Outcome recorded: unacceptable absence" in banner(page)

    page.get_by_role("link", name="Compliance and letters").click()
    assert page.locator("#failures-count").inner_text().startswith("1")
    expect(page.locator("#warnings-count")).to_have_text("0")
    expect(page.locator("#next-action")).to_contain_text("Warning letter")
    accessible(page, "practitioner-compliance")
    page.get_by_label("Warning letter").check()
    page.get_by_role("button", name="Record enforcement action").click()
    assert "Warning letter recorded" in banner(page)
    expect(page.locator("#warnings-count")).to_have_text("1")
    expect(page.locator("#next-action")).to_contain_text("None")
    page.get_by_role("button", name="Send warning letter").click()
    assert "logged to print and post" in banner(page)
    expect(page.locator("#delivery-log")).to_contain_text("To print and post")
    accessible(page, "practitioner-compliance-after-warning")
    page.get_by_role("link", name="View warning letter").click()
    expect(page.get_by_text("This is a formal warning")).to_be_visible()
    accessible(page, "practitioner-warning-letter")
    page.go_back()

    page.get_by_role("link", name="Plan").click()
    today = datetime.now(UTC).astimezone(LONDON).date()
    page.get_by_label("Day", exact=True).fill(str(today.day))
    page.get_by_label("Month", exact=True).fill(str(today.month))
    page.get_by_label("Year", exact=True).fill(str(today.year))
    accessible(page, "practitioner-plan-form")
    objectives = page.get_by_label("What is to be achieved")
    links = page.get_by_label("Requirement or need it addresses")
    objectives.nth(0).fill("Complete the thinking skills course")
    links.nth(0).select_option("requirement:rehabilitation_activity")
    objectives.nth(1).fill("Keep every appointment")
    links.nth(1).select_option("need:attitudes")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save plan").click()
    assert "Plan recorded with 2 objective(s)" in banner(page)
    expect(page.locator("main")).to_contain_text("Keep every appointment")
    accessible(page, "practitioner-plan")

    for tab, name in (("Risk", "practitioner-risk"), ("Obligations", "practitioner-obligations"),
                      ("Transfer", "practitioner-transfer")):
        page.get_by_role("link", name=tab, exact=True).click()
        accessible(page, name)


def test_a_practitioner_cannot_open_the_risk_team_pages(page, data: PracticeData) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "om1")
    page.wait_for_url("**/caseload")
    response = page.goto("/risk-team/escalations")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
    response = page.goto(f"/cases/{data.referral_crn}/appointments")  # another provider's case
    assert response.status == 404
