"""Sign in and find a case in a real browser; every page passes axe-core's WCAG 2.2 AA checks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import axe_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_practitioner_signs_in_searches_the_caseload_and_opens_a_case(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/sign-in")
    assert axe_violations(page) == []
    screenshot(page, "sign-in")
    sign_in(page, "om1")
    page.wait_for_url("**/caseload")
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    expect(page.get_by_role("link", name="Jo Bloggs")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "caseload")
    page.get_by_label("Search by surname or case reference").fill("carter")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Sam Carter").click()
    page.wait_for_url("**/cases/E000002")
    expect(page.get_by_role("heading", name="Sam Carter")).to_be_visible()
    expect(page.get_by_text("Allocated").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "case-page")


def test_a_wrong_password_is_reported_in_an_error_summary_reachable_by_keyboard(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/sign-in")
    page.keyboard.press("Tab")  # skip link first
    page.get_by_label("Username").fill("om1")
    page.get_by_label("Password").fill("wrong")
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    expect(summary).to_contain_text("The username or password is not right")
    assert axe_violations(page) == []
    screenshot(page, "sign-in-error")
