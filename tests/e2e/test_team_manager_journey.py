"""The team manager's journey in a real browser: the team worklist shows an unallocated woman's case;
the team manager records the female offender options (errors first) and allocates her to a woman
(only women are proposed), sees the banner and the history; her offender manager records the
induction (errors first); another practitioner terminates an order and closes the case; a
practitioner cannot allocate. Every page passes axe-core's WCAG 2.2 AA checks and is saved as a
screenshot."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.browser import accessible, sign_in
from tests.e2e.lifecycle_data import LONDON, LifecycleData, live_database, seed

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
ALLOCATION_ROW = "The case is allocated to an offender manager"


@pytest.fixture(scope="module")
def data(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> LifecycleData:
    return seed(live_database(tmp_path_factory.getbasetemp()))


def heading(page, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("heading", name=name, exact=True)


def test_a_team_manager_allocates_a_woman_to_a_female_offender_manager_who_inducts_her(  # type: ignore[no-untyped-def]
        page, data: LifecycleData) -> None:
    sign_in(page, "tm1")
    page.get_by_role("link", name="Worklist").click()
    page.get_by_label("Show").select_option("team")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/worklist?scope=team")
    expect(heading(page, "Team worklist")).to_be_visible()
    row = page.locator("tr", has_text=ALLOCATION_ROW).filter(has_text=data.woman_crn)
    expect(row).to_be_visible()
    accessible(page, "team-manager-worklist")

    row.get_by_role("link", name=data.woman_name).click()
    page.wait_for_url(f"**/cases/{data.woman_crn}")
    actions = page.locator("#lifecycle-actions")
    expect(actions.get_by_role("link", name="Record the female offender options")).to_be_visible()
    accessible(page, "team-manager-case-unallocated")

    # Allocating a woman's case first asks for her answers to the female offender options.
    actions.get_by_role("link", name="Allocate an offender manager").click()
    page.wait_for_url(f"**/cases/{data.woman_crn}/female-options?case=*")
    expect(heading(page, "Female offender options")).to_be_visible()
    accessible(page, "team-manager-female-options")
    page.get_by_role("button", name="Save the options").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Select whether she accepted a female offender manager")
    summary.get_by_role("link", name="Select whether she accepted a female offender manager").click()
    assert page.evaluate("document.activeElement.id") == "female_offender_manager_accepted"
    accessible(page, "team-manager-female-options-errors")
    page.locator("#female_offender_manager_accepted").check()       # Yes, accepted
    page.locator("#female_only_environment_accepted").check()       # Yes, accepted
    page.get_by_role("button", name="Save the options").click()

    page.wait_for_url(f"**/cases/{data.woman_crn}/allocate?case=*")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Female offender options recorded")
    expect(page.locator("#female-om")).to_have_text("Accepted")
    options = page.get_by_label("Offender manager").locator("option")
    expect(options).to_have_text(["Select an offender manager", "Beth Birch"])  # only the team's women
    accessible(page, "team-manager-allocate")
    page.get_by_role("button", name="Allocate").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select an offender manager")
    accessible(page, "team-manager-allocate-errors")
    page.get_by_label("Offender manager").select_option("S2")
    page.get_by_role("button", name="Allocate").click()

    page.wait_for_url(f"**/cases/{data.woman_crn}")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{data.woman_name}'s case is allocated to Beth Birch")
    history = page.locator(".moj-timeline")
    expect(history.locator(".moj-timeline__title").first).to_have_text("Allocated")
    expect(history).to_contain_text("Female options recorded")
    expect(page.locator("#lifecycle-actions")).to_contain_text("Reallocate the offender manager")
    accessible(page, "team-manager-case-allocated")

    # The team worklist no longer asks for the allocation.
    page.goto("/worklist?scope=team")
    expect(heading(page, "Team worklist")).to_be_visible()
    expect(page.locator("tr", has_text=ALLOCATION_ROW).filter(has_text=data.woman_crn)).to_have_count(0)

    # Her offender manager records the induction.
    page.context.clear_cookies()
    sign_in(page, "om2")
    page.goto(f"/cases/{data.woman_crn}")
    page.locator("#lifecycle-actions").get_by_role("link", name="Record the induction").click()
    expect(heading(page, "Record the induction")).to_be_visible()
    accessible(page, "practitioner-induction")
    page.get_by_role("button", name="Record the induction").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Confirm the person understands the sentence, their obligations, their rights "
                                    "and the consequences of not complying")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "understood"
    accessible(page, "practitioner-induction-errors")
    for label in ("The sentence", "Their obligations", "Their rights", "The consequences of not complying"):
        page.get_by_label(label).check()
    page.get_by_role("button", name="Record the induction").click()
    page.wait_for_url(f"**/cases/{data.woman_crn}")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Induction recorded")
    expect(page.locator(".moj-timeline__title").first).to_have_text("Induction completed")
    expect(page.get_by_role("link", name="Record the induction")).to_have_count(0)
    accessible(page, "practitioner-case-inducted")


def test_a_practitioner_terminates_an_order_and_closes_the_case_but_cannot_allocate(  # type: ignore[no-untyped-def]
        page, data: LifecycleData) -> None:
    sign_in(page, "om1")
    response = page.goto(f"/cases/{data.woman_crn}/allocate")
    assert response is not None and response.status == 403
    expect(heading(page, "You cannot see this page")).to_be_visible()
    accessible(page, "practitioner-allocate-forbidden")

    page.goto(f"/cases/{data.ending_crn}")
    expect(page.locator("#lifecycle-actions")).not_to_contain_text("Allocate")
    page.locator("#lifecycle-actions").get_by_role("link", name="Terminate the order").click()
    expect(heading(page, "Terminate the order")).to_be_visible()
    accessible(page, "practitioner-terminate")
    page.get_by_role("button", name="Terminate the order").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select why the order ended")
    expect(summary).to_contain_text("Enter the date the order ended")
    accessible(page, "practitioner-terminate-errors")
    today = datetime.now(UTC).astimezone(LONDON).date()
    page.get_by_label("Revoked early for good progress").check()
    page.get_by_label("Day", exact=True).fill(str(today.day))
    page.get_by_label("Month", exact=True).fill(str(today.month))
    page.get_by_label("Year", exact=True).fill(str(today.year))
    page.get_by_label("Note (optional)").fill("Revoked by Leeds Magistrates for good progress")
    page.get_by_role("button", name="Terminate the order").click()
    page.wait_for_url(f"**/cases/{data.ending_crn}")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Order terminated (revoked early for good progress) on {today.day} {today:%B %Y}")
    expect(page.locator(".moj-timeline__title").first).to_have_text("Terminated")

    page.locator("#lifecycle-actions").get_by_role("link", name="Close the case").click()
    expect(heading(page, "Close the case")).to_be_visible()
    accessible(page, "practitioner-close")
    page.get_by_role("button", name="Close the case").click()
    page.wait_for_url(f"**/cases/{data.ending_crn}")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{data.ending_name}'s case is closed")
    expect(page.locator(".moj-timeline__title").first).to_have_text("Closed")
    accessible(page, "practitioner-case-closed")
