"""The NPS risk team's journey in a real browser: a contracted provider's referred escalation is in
the queue; the team opens it, is shown its errors for an incomplete decision, then decides. Every
page passes axe-core's WCAG 2.2 AA checks and is saved as a screenshot."""

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


def test_the_risk_team_decides_a_referred_escalation_from_its_queue(page, data: PracticeData) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "risk")
    page.wait_for_url("**/caseload")
    page.get_by_role("link", name="Risk escalations").click()
    expect(page.get_by_role("heading", name="Risk escalations")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=data.referral_name)
    expect(row).to_contain_text("Contracted Provider A")
    expect(row).to_contain_text("Threats made to a former partner")
    accessible(page, "nps-risk-queue")

    row.get_by_role("link", name=f"Decide escalation for {data.referral_name}").click()
    expect(page.get_by_role("heading", name=f"Risk escalation: {data.referral_name}")).to_be_visible()
    accessible(page, "nps-risk-decision")
    page.get_by_role("button", name="Record decision").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the NPS decision")
    expect(summary).to_contain_text("Enter the reasons for the decision")
    accessible(page, "nps-risk-decision-errors")

    page.get_by_label("Medium").check()
    page.get_by_label("Keep with the provider").check()
    review = (datetime.now(UTC) + timedelta(days=90)).astimezone(LONDON).date()
    page.get_by_label("Day", exact=True).fill(str(review.day))
    page.get_by_label("Month", exact=True).fill(str(review.month))
    page.get_by_label("Year", exact=True).fill(str(review.year))
    page.get_by_label("Reasons for the decision").fill("Protective factors in place; review in three months")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**/risk-team/escalations")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("the case stays with the provider")
    assert page.get_by_role("row").filter(has_text=data.referral_name).count() == 0
    accessible(page, "nps-risk-queue-after-decision")

    page.goto(f"/cases/{data.referral_crn}/risk")
    expect(page.locator("main")).to_contain_text("Keep with provider")
    accessible(page, "nps-risk-case-risk")


def test_the_risk_team_cannot_open_the_practitioner_pages(page, data: PracticeData) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "risk")
    page.wait_for_url("**/caseload")
    response = page.goto(f"/cases/{data.practice_crn}/appointments")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
    accessible(page, "nps-risk-forbidden")
