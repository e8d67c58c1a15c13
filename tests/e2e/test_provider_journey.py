"""Provider staff's journey in a real browser: a RAR activity they delivered on a case their
organisation holds (managed by someone else) awaits an outcome on Deliveries; they record
"attended and complied" with the indicators (errors first); the offender manager sees the update on
Updates and acknowledges it. Provider staff get 403 on administration and allocation. Every page
passes axe-core's WCAG 2.2 AA checks and is saved as a screenshot."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import accessible, sign_in
from tests.e2e.lifecycle_data import LifecycleData, live_database, seed

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def data(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> LifecycleData:
    return seed(live_database(tmp_path_factory.getbasetemp()))


def test_provider_staff_record_a_rar_activity_and_the_offender_manager_acknowledges_it(  # type: ignore[no-untyped-def]
        page, data: LifecycleData) -> None:
    sign_in(page, "provider")
    page.get_by_role("link", name=data.rar_name).click()
    page.wait_for_url(f"**/cases/{data.rar_crn}")
    link = page.get_by_role("link", name="Record appointment outcomes for this case")
    expect(link).to_be_visible()
    accessible(page, "provider-staff-case")
    link.click()
    page.wait_for_url(f"**/deliveries?crn={data.rar_crn}")
    expect(page.get_by_role("heading", name="Deliveries", exact=True)).to_be_visible()
    accessible(page, "provider-staff-case-deliveries")

    page.get_by_role("link", name="Deliveries", exact=True).click()
    page.wait_for_url("**/deliveries")
    awaiting = page.locator("#awaiting")
    expect(awaiting).to_contain_text(data.rar_name)
    expect(awaiting).to_contain_text("RAR activity")
    accessible(page, "provider-staff-deliveries")
    when = f"{data.rar_activity_at:%-d %B %Y at %H:%M}"
    awaiting.get_by_role("link", name=f"Record outcome for {data.rar_name}, {when}").click()
    expect(page.get_by_role("heading", name="Record an outcome")).to_be_visible()
    accessible(page, "provider-staff-record-outcome")

    page.get_by_role("button", name="Record outcome").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select what happened at the appointment")
    expect(summary).to_contain_text("Select whether they attended on time, late or not at all")
    summary.get_by_role("link", name="Select what happened at the appointment").click()
    assert page.evaluate("document.activeElement.id") == "outcome"
    accessible(page, "provider-staff-record-outcome-errors")

    page.get_by_label("Attended and complied").check()
    page.get_by_label("On time").check()
    page.get_by_label("Appropriate").check()
    page.get_by_label("Engaged", exact=True).check()
    page.get_by_label("No change").check()
    page.get_by_label("Notes (optional)").fill("Completed the first thinking skills session")
    page.get_by_role("button", name="Record outcome").click()
    page.wait_for_url("**/deliveries")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Outcome recorded for {data.rar_name}: attended and complied. Their offender manager has been sent an "
        "update.")
    expect(page.locator("#awaiting")).not_to_contain_text(data.rar_name)
    accessible(page, "provider-staff-deliveries-recorded")

    # Provider staff neither administer nor allocate.
    for path in ("/admin/users", f"/cases/{data.rar_crn}/allocate", f"/cases/{data.woman_crn}/allocate",
                 "/updates"):
        response = page.goto(path)
        assert response is not None and response.status == 403, path
    expect(page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
    accessible(page, "provider-staff-forbidden")

    # The offender manager is told what happened and acknowledges it.
    page.context.clear_cookies()
    sign_in(page, data.provider_om_username)
    page.get_by_role("link", name="Updates", exact=True).click()
    page.wait_for_url("**/updates")
    card = page.locator(".govuk-summary-card", has_text=data.rar_name)
    expect(card).to_be_visible()
    for shown in ("New", "RAR activity", "Attended and complied", "On time", "Appropriate", "Engaged",
                  "No change", "Completed the first thinking skills session", "Evan Elm"):
        expect(card).to_contain_text(shown)
    expect(page.locator("#updates-count")).to_contain_text("1 new update")
    accessible(page, "offender-manager-updates")
    card.get_by_role("button", name=f"Acknowledge the update about {data.rar_name}").click()
    page.wait_for_url("**/updates")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Update acknowledged")
    expect(page.locator("#updates-count")).to_contain_text("0 new updates, 1 acknowledged")
    expect(page.locator(".govuk-summary-card", has_text=data.rar_name)).to_contain_text("Acknowledged")
    expect(page.get_by_role("button", name="Acknowledge")).to_have_count(0)
    accessible(page, "offender-manager-updates-acknowledged")
