"""`probation users add`: the password is prompted for (hidden, twice) or read from standard input,
never taken as an argument, and follows the same rule as the administrator's pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from probation.adapters.db.engine import make_engine
from probation.adapters.db.tables import UserRow
from probation.cli.main import app
from probation.config import get_settings
from probation.domain.errors import InvalidValue
from probation.services.passwords import verify_password

GOOD = "harbour-plum-kettle"


@pytest.fixture
def database(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("PROBATION_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


def users(url: str) -> dict[str, UserRow]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = {row.username: row for row in conn.execute(select(UserRow))}
    engine.dispose()
    return found  # type: ignore[return-value]


def test_a_password_is_never_taken_as_a_command_line_argument(database: str) -> None:
    result = CliRunner().invoke(app, ["users", "add", "boss", "--role", "administrator", "--password", GOOD])

    assert result.exit_code == 2 and "No such option: --password" in result.output
    assert "boss" not in users(database)


def test_the_password_is_prompted_for_hidden_and_confirmed(database: str) -> None:
    result = CliRunner().invoke(app, ["users", "add", "boss", "--role", "administrator"],
                                input=f"{GOOD}\n{GOOD}\n")

    assert result.exit_code == 0, result.output
    assert GOOD not in result.output  # the prompt does not echo it
    assert "Repeat for confirmation" in result.output
    assert verify_password(users(database)["boss"].password_hash, GOOD)


def test_the_password_can_come_from_standard_input(database: str) -> None:
    result = CliRunner().invoke(app, ["users", "add", "boss", "--role", "commissioner", "--password-stdin"],
                                input=f"{GOOD}\n")

    assert result.exit_code == 0, result.output
    assert verify_password(users(database)["boss"].password_hash, GOOD)


@pytest.mark.parametrize(("password", "rule"), [("1111", "at least 12 characters"),
                                                ("password1234", "not a common or breached password")])
def test_a_short_or_common_password_is_refused_and_nothing_is_written(database: str, password: str,
                                                                      rule: str) -> None:
    result = CliRunner().invoke(app, ["users", "add", "boss", "--role", "administrator", "--password-stdin"],
                                input=f"{password}\n")

    assert isinstance(result.exception, InvalidValue)
    assert result.exception.field == "password" and rule in str(result.exception.rule)
    assert "boss" not in users(database)
