"""Fixtures of the electronic monitoring tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from probation.em.services.runtime import reset_runtimes


@pytest.fixture
def fresh_em_runtime() -> Iterator[None]:
    """The EM runtime (engine state) lives in the process: each test that ingests starts afresh."""
    reset_runtimes()
    yield
    reset_runtimes()
