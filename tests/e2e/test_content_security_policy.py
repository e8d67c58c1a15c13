"""Under the Content-Security-Policy the pages still work in a real browser: GOV.UK Frontend starts
from external scripts, the error summary takes focus, Swagger UI renders from vendored files; and
an inline script is refused (docs/SECURITY.md "Security headers")."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_govuk_frontend_starts_and_the_error_summary_takes_focus(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/sign-in")
    classes = page.evaluate("() => document.body.className")
    assert "js-enabled" in classes and "govuk-frontend-supported" in classes
    page.get_by_label("Username").fill("om1")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()  # initAll ran from static/app.js


def test_the_api_documentation_renders_from_the_sites_own_files(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "om1")
    page.goto("/docs")
    expect(page.get_by_text("Probation service-delivery platform").first).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()  # the operations, read from /openapi.json


def test_an_inline_script_is_refused(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/sign-in")
    ran = page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.injected = true'; document.body.appendChild(s); return window.injected === true; }""")
    context.close()
    assert ran is False and refused
