"""Secrets and environments: an unknown PROBATION_ENV or a weak production secret stops start-up
with a message naming the variable and the rule."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from probation.config import DEV_SECRET, Settings

STRONG = "k" * 32  # 32 bytes: the shortest secret production accepts


def _refusal(**values: str) -> str:
    with pytest.raises(ValidationError) as refused:
        Settings(**values)  # type: ignore[arg-type]
    return str(refused.value)


@pytest.mark.parametrize("env", ["prod", "Production", "dev", "staging", ""])
def test_an_unknown_environment_is_refused_naming_the_variable_the_value_and_the_allowed_values(env: str) -> None:
    message = _refusal(env=env, secret_key=STRONG)

    assert "PROBATION_ENV" in message and repr(env) in message
    assert "development, test, production" in message


def test_the_environment_is_read_from_probation_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBATION_ENV", "prod")
    monkeypatch.setenv("PROBATION_SECRET_KEY", STRONG)

    with pytest.raises(ValidationError, match="PROBATION_ENV is 'prod'"):
        Settings()


def test_production_refuses_the_development_secret() -> None:
    message = _refusal(env="production", secret_key=DEV_SECRET)

    assert "PROBATION_SECRET_KEY is the development secret" in message


@pytest.mark.parametrize("secret", ["x", "s" * 31, "é" * 15])  # 1, 31 and 30 bytes
def test_production_refuses_a_secret_shorter_than_32_bytes(secret: str) -> None:
    message = _refusal(env="production", secret_key=secret)

    assert "PROBATION_SECRET_KEY" in message and "at least 32 bytes" in message


def test_production_refuses_a_missing_secret() -> None:
    assert "PROBATION_SECRET_KEY must be set" in _refusal(env="production")


def test_production_accepts_a_secret_of_32_bytes_and_development_and_test_default_to_their_own() -> None:
    assert Settings(env="production", secret_key=STRONG).secret_key == STRONG
    assert Settings(env="development").secret_key == DEV_SECRET
    assert Settings(env="test").secret_key == DEV_SECRET


def test_serve_stops_at_once_with_one_line_naming_the_variable() -> None:
    env = {**os.environ, "PROBATION_ENV": "prod", "PROBATION_SECRET_KEY": STRONG}
    proc = subprocess.run([sys.executable, "-c", "from probation.cli.main import main; main()", "serve",
                           "--port", "1"], capture_output=True, text=True, timeout=120, check=False, env=env)

    assert proc.returncode == 2
    assert "PROBATION_ENV is 'prod': it must be one of development, test, production" in proc.stderr
    assert "Traceback" not in proc.stderr and "serving on" not in proc.stderr
