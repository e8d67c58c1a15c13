"""The EM monitoring centre operator's journey in a real browser: an entry alert is in the live
queue; the operator opens it, sees the zone and trail drawn as a map, is shown the errors of an
incomplete action, acknowledges it and closes it with an outcome. A new alert raised while the
queue is open appears without a reload and is announced. Every page passes axe-core's WCAG 2.2 AA
checks and is saved as a screenshot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import accessible, sign_in
from tests.em.e2e.em_data import DEVICE, Api, EmData, seed
from tests.em.factories import walk_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="session")
def em_data(live_server: str) -> EmData:
    return seed(live_server)


def test_the_operator_acknowledges_and_closes_an_alert_seen_on_its_map(page, em_data: EmData) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "em")
    page.wait_for_url("**/caseload")
    page.get_by_role("link", name="Alerts").click()
    expect(page.get_by_role("heading", name="Alert queue")).to_be_visible()
    row = page.locator(f'tr[data-alert-id="{em_data.alert_id}"]')
    expect(row).to_contain_text(em_data.em_name)
    expect(row).to_contain_text("Entry")
    accessible(page, "em-operator-queue")

    row.get_by_role("link", name=f"Open entry alert for {em_data.em_name}").click()
    expect(page.get_by_role("heading", name=f"Entry alert: {em_data.em_name}")).to_be_visible()
    map_image = page.get_by_role("img", name="Map of 1 zone(s)", exact=False)
    expect(map_image).to_be_visible()
    assert page.locator("#alert-map svg polyline").count() == 1
    accessible(page, "em-operator-alert")

    page.get_by_label("Close with an outcome").check()
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the outcome of the alert")
    accessible(page, "em-operator-alert-errors")
    summary.get_by_role("link", name="Select the outcome of the alert").click()

    page.get_by_label("Acknowledge").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("acknowledged")
    expect(page.locator("#alert-status")).to_have_text("Acknowledged")

    page.get_by_label("Close with an outcome").check()
    page.get_by_label("Explained: a reasonable excuse was accepted").check()
    page.get_by_label("Note (optional)").fill("Attended hospital in the zone; letter seen")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/em/alerts")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("closed: Explained")
    assert page.locator(f'tr[data-alert-id="{em_data.alert_id}"]').count() == 0
    accessible(page, "em-operator-queue-after-close")


def test_a_new_alert_appears_in_the_open_queue_without_a_reload(page, em_data: EmData, live_server: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "em")
    page.goto("/em/alerts")
    before = page.locator("tr[data-alert-id]").count()
    page.evaluate("window.__notReloaded = true")
    api = Api(live_server)
    try:
        result = api.call("POST", "/api/em/ingest", "em",
                          {"positions": walk_in(DEVICE, datetime.now(UTC) - timedelta(minutes=20))})
    finally:
        api.http.close()
    new_id = next(a["id"] for a in result["alerts"] if a["kind"] == "entry")
    page.locator(f'tr[data-alert-id="{new_id}"]').wait_for(timeout=15_000)
    assert page.evaluate("window.__notReloaded") is True
    assert page.locator("tr[data-alert-id]").count() == before + len(result["alerts"])
    announced = page.locator("#queue-announcer").inner_text().lower()
    assert "new" in announced and em_data.em_name.lower() in announced
    accessible(page, "em-operator-queue-live")


def test_the_operator_pages_for_schedule_notifications_and_enquiries_are_accessible(page, em_data: EmData) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "em")
    page.goto("/em/schedule")
    expect(page.get_by_role("heading", name="Installation and de-installation schedule")).to_be_visible()
    accessible(page, "em-operator-schedule")
    page.get_by_role("button", name="Book a visit").click()
    page.get_by_role("button", name="Book visit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the person the visit is for")
    accessible(page, "em-operator-visit-errors")
    page.get_by_label("Person").select_option(label=f"{em_data.em_name} ({em_data.em_crn})")
    page.get_by_label("De-installation").check()
    day = (datetime.now(UTC) + timedelta(days=3)).date()
    page.get_by_label("Day", exact=True).fill(str(day.day))
    page.get_by_label("Month", exact=True).fill(str(day.month))
    page.get_by_label("Year", exact=True).fill(str(day.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("11:00")
    page.get_by_label("Member of staff attending").fill("Fay Fitter")
    page.locator("#staff_sex").check()
    page.get_by_role("button", name="Book visit").click()
    page.wait_for_url("**/em/schedule")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("De-installation visit booked")
    expect(page.locator("table")).to_contain_text("Fay Fitter")

    page.get_by_role("link", name="Court notifications").click()
    expect(page.get_by_role("heading", name="Court notifications")).to_be_visible()
    accessible(page, "em-operator-notifications")
    page.get_by_role("link", name="Enquiries").click()
    page.get_by_role("button", name="Log enquiry").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select who made the enquiry")
    page.get_by_label("An agency (police, court, probation)").check()
    page.get_by_label("Caller's name").fill("PC Jones")
    page.get_by_label("What it is about").fill("Is the tag still fitted?")
    page.get_by_role("button", name="Log enquiry").click()
    page.wait_for_url("**/em/enquiries")
    expect(page.locator("table")).to_contain_text("Is the tag still fitted?")
    accessible(page, "em-operator-enquiries")


def test_the_operator_cannot_open_the_police_pages(page, em_data: EmData) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "em")
    page.wait_for_url("**/caseload")
    response = page.goto("/police/notices")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
    accessible(page, "em-operator-forbidden")
