"""Every role signs in and lands on its home page, which passes axe-core; no role other than the
administrator opens the administration pages; the commissioner's assurance journey."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import axe_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROLES = {  # username -> (role, the home page's path)
    "om1": ("practitioner", "/caseload"), "tm1": ("team-manager", "/caseload"),
    "provider": ("provider-staff", "/caseload"), "em": ("em-operator", "/caseload"),
    "police": ("police-liaison", "/account"), "risk": ("nps-risk", "/caseload"),
    "commissioner": ("commissioner", "/assurance"), "admin": ("administrator", "/caseload"),
}


@pytest.mark.parametrize("username", sorted(ROLES))
def test_each_role_signs_in_to_an_accessible_home_page(page, username: str) -> None:  # type: ignore[no-untyped-def]
    role, home = ROLES[username]
    sign_in(page, username)
    page.wait_for_url(f"**{home}")
    expect(page.locator("h1").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, f"{role}-home")
    response = page.goto("/admin/users")
    assert response is not None
    assert response.status == (200 if username == "admin" else 403)


def test_the_commissioner_filters_the_assurance_report_and_downloads_it(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "commissioner")
    page.wait_for_url("**/assurance")
    expect(page.locator("svg").first).to_be_visible()  # charts are drawn on the page
    page.get_by_label("Provider code").fill("NPS-NE")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/assurance?**provider=NPS-NE**")
    assert axe_violations(page) == []
    screenshot(page, "commissioner-assurance")
    csv = page.request.get("/assurance.csv?provider=NPS-NE")
    assert csv.status == 200 and csv.text().splitlines()[0].startswith("breakdown,")
    assert page.goto("/cases/E000000").status == 403  # aggregates, never people
