"""The administrator's journey in a real browser: add a user with a role and find them, add a team
and move it to another provider, switch a commissioned option on, override a timescale, and search
the audit log for a person's CRN to see the reads. Every page passes axe-core's WCAG 2.2 AA checks
and a screenshot of each main page is saved as a test artefact."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import accessible, axe_violations, screenshot, sign_in
from tests.e2e.admin_data import live_database, seed_letter

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def seeded_letter(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> int:
    url = live_database(tmp_path_factory.getbasetemp())
    return seed_letter(url, Path(tmp_path_factory.mktemp("admin-outbox")))


def test_the_administrator_journey(page, browser, live_server: str, seeded_letter: int) -> None:  # type: ignore[no-untyped-def]
    # A practitioner reads a person's record, so the audit log has reads to find.
    other = browser.new_context(base_url=live_server)
    om = other.new_page()
    sign_in(om, "om1")
    om.goto("/cases/E000000")
    expect(om.get_by_role("heading", name="Jo Bloggs")).to_be_visible()
    om.goto("/admin/users")
    expect(om.get_by_role("heading", name="You cannot see this page")).to_be_visible()  # 403 for other roles
    assert axe_violations(om) == []
    other.close()

    sign_in(page, "admin")
    page.goto("/admin/users")
    accessible(page, "admin-users")

    # Add a user with a role; a first attempt with nothing filled in shows the GOV.UK error summary.
    page.get_by_role("button", name="Add a user").click()
    page.wait_for_url("**/admin/users/new")
    page.get_by_role("button", name="Add user").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    expect(summary).to_contain_text("Enter a username")
    assert axe_violations(page) == []
    screenshot(page, "admin-user-new-errors")
    page.get_by_label("Username").fill("om7")
    page.get_by_label("Name", exact=True).fill("Olive Moss")
    page.get_by_label("Role").select_option("practitioner")
    page.get_by_label("Staff record").select_option("S3")
    page.get_by_label("Password").fill("olive-password")
    page.get_by_role("button", name="Add user").click()
    page.wait_for_url("**/admin/users?q=om7")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("User om7 added with the role Practitioner")
    page.goto("/admin/users")
    page.get_by_label("Search by username or name").fill("olive")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="om7")).to_be_visible()
    page.get_by_role("link", name="om7").click()
    page.wait_for_url("**/admin/users/om7")
    accessible(page, "admin-user-edit")

    # Add a team, then move it to another provider.
    page.goto("/admin/teams")
    page.get_by_label("Team code").fill("T9")
    page.get_by_label("Team name").fill("Wakefield")
    page.get_by_label("Provider").select_option("NPS-NE")
    page.get_by_role("button", name="Add team").click()
    page.wait_for_url("**/admin/teams")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Team T9 added")
    accessible(page, "admin-teams")
    page.get_by_role("link", name="T9 – change Wakefield").click()
    page.wait_for_url("**/admin/teams/T9")
    accessible(page, "admin-team-edit")
    page.get_by_label("Provider").select_option("CRC-A")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("**/admin/teams")
    expect(page.locator("tr", has_text="Wakefield").get_by_text("Contracted Provider A")).to_be_visible()

    # Switch a commissioned option on for a provider and override a timescale.
    page.goto("/admin/providers")
    accessible(page, "admin-providers")
    page.get_by_role("link", name="CSC-LDS – change Leeds Children's Social Care").click()
    page.wait_for_url("**/admin/providers/CSC-LDS")
    page.get_by_label("Email for notices (optional)").fill("referrals@leeds-csc.example")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("**/admin/providers")
    expect(page.get_by_text("referrals@leeds-csc.example")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Options and timescales for Contracted Provider A").click()
    page.wait_for_url("**/admin/providers/CRC-A/contract")
    page.get_by_label("supervision.mentoring").check()
    page.get_by_role("button", name="Save options").click()
    page.wait_for_url("**/admin/providers/CRC-A/contract")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Commissioned options saved")
    assert page.get_by_label("supervision.mentoring").is_checked()
    page.get_by_label("Timescale", exact=True).select_option("induction")
    page.get_by_label("Days", exact=True).fill("3")
    page.get_by_label("Working days").check()
    page.get_by_role("button", name="Override timescale").click()
    page.wait_for_url("**/admin/providers/CRC-A/contract")
    expect(page.locator("tr", has_text="induction").get_by_text("3 working days")).to_be_visible()
    accessible(page, "admin-contract")
    page.get_by_label("Days", exact=True).fill("lots")
    page.get_by_label("Timescale", exact=True).select_option("induction")
    page.get_by_label("Calendar days").check()
    page.get_by_role("button", name="Override timescale").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("whole number")
    assert axe_violations(page) == []

    # Search the audit log for the person's CRN and see the practitioner's read.
    page.goto("/admin/audit")
    page.get_by_label("Case reference (CRN)").fill("E000000")
    page.get_by_label("Action").select_option("read")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/admin/audit?**")
    row = page.locator("tr", has_text="person record")
    expect(row.first).to_be_visible()
    expect(row.first).to_contain_text("om1")
    expect(page.locator("svg[role=img]")).to_be_visible()
    accessible(page, "admin-audit")

    # The letter delivery log.
    page.goto("/admin/letters")
    expect(page.locator("tr", has_text="liaison@westyorkshire.police.example").first).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="To print").first).to_be_visible()
    accessible(page, "admin-letters")
