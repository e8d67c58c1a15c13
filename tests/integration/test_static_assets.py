"""The design system's stylesheets find their fonts and images where the platform serves them."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("sheet", ["/static/vendor/govuk/govuk-frontend.min.css",
                                   "/static/vendor/moj/moj-frontend.min.css"])
def test_every_font_and_image_a_stylesheet_asks_for_is_served(client: TestClient, sheet: str) -> None:
    css = client.get(sheet)
    assert css.status_code == 200
    urls = sorted(set(re.findall(r"url\(([^)\"']+)\)", css.text)))
    assert urls, "the stylesheet names no fonts or images"
    missing = [u for u in urls if not u.startswith("data:") and client.get(u).status_code != 200]
    assert missing == []
