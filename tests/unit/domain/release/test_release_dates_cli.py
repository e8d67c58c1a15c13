"""`probation release-dates`: dates as text or one JSON object; bad input is one line, exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from probation.cli.main import app
from probation.domain.errors import InvalidValue

BASE = ["release-dates", "--sentence-date", "2025-03-10", "--length", "10m",
        "--offence-date", "2025-01-05", "--dob", "1990-06-15"]


def run(*extra: str) -> dict[str, object]:
    result = CliRunner().invoke(app, [*BASE, *extra, "--json"])
    assert result.exit_code == 0, result.output
    out: dict[str, object] = json.loads(result.output)
    return out


def test_json_gives_iso_dates_for_release_licence_and_tused() -> None:
    out = run()
    assert out["conditional_release_date"] == "2025-07-10"
    assert out["sentence_expiry"] == "2026-01-09"
    assert out["tused"] == "2026-07-10"
    assert out["licence"] == {"start": "2025-07-10", "last_day": "2026-01-09",
                              "end": "2026-01-10"}
    assert out["pss"] == {"start": "2026-01-10", "last_day": "2026-03-30", "end": "2026-03-31"}
    rules = out["rules"]
    assert isinstance(rules, list) and rules[0]["id"] == "sds40"


def test_remand_track_and_repeal_options_change_the_dates() -> None:
    out = run("--remand-days", "30", "--track", "excluded", "--no-pss-repeal")
    assert out["release_fraction"] == "1/2"
    # Half of 306 days is day 153, 9 Aug 2025; less 30 days of remand: 10 Jul 2025.
    assert out["conditional_release_date"] == "2025-07-10"
    assert out["sentence_expiry"] == "2025-12-10"
    assert out["pss"] == {"start": "2025-12-11", "last_day": "2026-07-10", "end": "2026-07-11"}
    later = run("--pss-repeal-date", "2026-02-01")
    assert later["pss"] == {"start": "2026-01-10", "last_day": "2026-01-31", "end": "2026-02-01"}


def test_the_phase_on_a_day_comes_with_its_enforcement_route() -> None:
    assert run("--on", "2025-08-01")["on"] == {"date": "2025-08-01", "phase": "licence",
                                              "enforcement_route": "recall"}


def test_text_output_names_each_date() -> None:
    result = CliRunner().invoke(app, BASE)
    assert result.exit_code == 0
    assert "CRD             2025-07-10" in result.output
    assert "TUSED           2026-07-10" in result.output


def with_options(**options: str) -> list[str]:
    argv = dict(zip(BASE[1::2], BASE[2::2], strict=True))
    argv.update({f"--{k.replace('_', '-')}": v for k, v in options.items()})
    return ["release-dates", *[x for kv in argv.items() for x in kv]]


@pytest.mark.parametrize(("options", "flags", "message"), [
    ({"length": "0m"}, [], "sentence length is zero"),
    ({"length": "10x"}, [], "is not a length"),
    ({"remand_days": "400"}, [], "remand of 400 days is not shorter than the 306-day sentence"),
    ({"offence_date": "2025-04-01"}, [], "offence date 2025-04-01 is after the sentence date"),
    ({"dob": "2025-02-01"}, [], "is not before the offence date"),
    ({"sentence_date": "2025-13-01"}, [], "sentence date '2025-13-01' is not a date"),
    ({"track": "lenient"}, [], "track 'lenient' is not one of"),
    ({"on": "2025-01-01"}, [], "is before the sentence date"),
    ({"pss_repeal_date": "2026-01-01"}, ["--no-pss-repeal"], "contradict each other"),
])
def test_bad_input_raises_a_domain_error_naming_the_rule(options: dict[str, str],
                                                         flags: list[str], message: str) -> None:
    result = CliRunner().invoke(app, [*with_options(**options), *flags, "--json"])
    assert isinstance(result.exception, InvalidValue)
    assert message in result.exception.message
    assert result.output == ""


@pytest.mark.parametrize("options", [{"length": "0m"}, {"dob": "1990-02-30"},
                                     {"remand_days": "-5"}])
def test_bad_input_prints_one_line_and_exits_two(options: dict[str, str]) -> None:
    env = {**os.environ, "COLUMNS": "400"}  # rich wraps at the terminal width otherwise
    proc = subprocess.run([sys.executable, "-c", "from probation.cli.main import main; main()",
                           *with_options(**options)], capture_output=True, text=True, env=env,
                          timeout=60)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")
    assert "Traceback" not in proc.stderr and proc.stdout == ""
