"""The integration tests' application, client and sign-ins (tests/integration/conftest.py), shared
with the EM integration tests rather than copied."""

from tests.integration.conftest import app, auth, client, seeded_sqlite, world  # noqa: F401
