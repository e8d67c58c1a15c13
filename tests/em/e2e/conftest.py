"""The browser tests' server, browser and page (tests/e2e/conftest.py), shared with the EM journeys
rather than copied."""

from tests.e2e.conftest import browser, live_server, page  # noqa: F401
