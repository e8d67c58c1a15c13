"""Administrators' user accounts: the username rule holds for the whole value."""

from __future__ import annotations

from typing import Any

import pytest

from probation.domain.errors import InvalidValue
from probation.domain.roles import Role
from probation.services import admin
from probation.services.context import Actor
from tests.conftest import NOW

ADMIN = Actor(username="admin", role=Role.ADMINISTRATOR, channel="web")


@pytest.mark.parametrize("username", ["om9\n", "om9\r\n", " om9", "Om9", "o"])
def test_a_username_with_a_line_break_or_another_character_outside_the_rule_is_refused(
        app: Any, username: str) -> None:
    with app.state.sessions() as session, pytest.raises(InvalidValue) as refused:
        admin.create_user(session, ADMIN, username=username, password="a long enough passphrase",
                          role=Role.COMMISSIONER, display_name="New user", now=NOW)
    assert refused.value.field == "username"
