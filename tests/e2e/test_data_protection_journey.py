"""Subject access in a real browser: the administrator finds the page in the navigation, a wrong
case reference shows the GOV.UK error summary, and the right one downloads the person's record as
JSON and PDF. Both pages pass axe-core's WCAG 2.2 AA checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_administrator_downloads_a_persons_record(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "admin")
    page.get_by_role("link", name="Subject access").first.click()
    page.wait_for_url("**/admin/subject-access")
    expect(page.get_by_role("heading", name="Subject access request")).to_be_visible()
    accessible(page, "admin-subject-access")

    page.get_by_label("Case reference (CRN)").fill("12")
    page.get_by_role("button", name="Download PDF").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    expect(summary).to_contain_text("Enter a case reference as one capital letter then six digits")
    accessible(page, "admin-subject-access-error")

    page.get_by_label("Case reference (CRN)").fill("E000000")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download JSON").click()
    bundle = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert bundle["crn"] == "E000000" and bundle["sections"][0]["tables"]["person"][0]["first_name"] == "Jo"
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Download PDF").click()
    assert pdf.value.suggested_filename == "E000000-subject-access.pdf"
