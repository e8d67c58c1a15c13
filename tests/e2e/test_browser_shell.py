"""Sign in and find a case in a real browser; every page passes axe-core's WCAG 2.2 AA checks."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe_violations, screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_practitioner_signs_in_searches_the_caseload_and_opens_a_case(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/sign-in")
    assert axe_violations(page) == []
    screenshot(page, "sign-in")
    sign_in(page, "om1")
    page.wait_for_url("**/caseload")
    assert page.get_by_role("heading", name="My caseload").is_visible()
    assert page.get_by_role("link", name="Jo Bloggs").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "caseload")
    page.get_by_label("Search by surname or case reference").fill("carter")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Sam Carter").click()
    page.wait_for_url("**/cases/E000002")
    assert page.get_by_role("heading", name="Sam Carter").is_visible()
    assert page.get_by_text("Allocated").first.is_visible()
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
    assert "The username or password is not right" in summary.inner_text()
    assert axe_violations(page) == []
    screenshot(page, "sign-in-error")
