"""`probation ogrs3` on the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from probation.cli.main import app, main

# The first worked example: male, 24 at conviction, 25 at follow-up, 3 sanctions, first at 16,
# offence 027/00 -> 31% and 48%, low.
ARGS = ["ogrs3", "--sex", "male", "--dob", "1999-06-15", "--conviction-date", "2024-03-01",
        "--follow-up-date", "2024-07-01", "--sanctions", "3", "--first-sanction-age", "16",
        "--offence-code", "027/00"]


def with_option(option: str, value: str) -> list[str]:
    args = list(ARGS)
    args[args.index(option) + 1] = value
    return args


def test_json_output_is_one_object_with_the_scores_band_model_and_inputs() -> None:
    result = CliRunner().invoke(app, [*ARGS, "--json"])

    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["one_year"], body["two_year"], body["band"]) == (31, 48, "low")
    assert (body["model"], body["version"]) == ("ogrs3", "3.0")
    assert body["inputs"] == {"sex": "male", "dob": "1999-06-15", "conviction_date": "2024-03-01",
                              "follow_up_date": "2024-07-01", "sanctions": 3,
                              "first_sanction_age": 16, "offence_code": "02700"}
    assert body["derived"]["age_at_follow_up"] == 25
    assert body["terms"]["copas_log_ratio"] == -1.79176


def test_the_readable_summary_names_both_scores_and_the_band() -> None:
    result = CliRunner().invoke(app, ARGS)

    assert result.exit_code == 0, result.output
    assert "one_year: 31%" in result.stdout
    assert "two_year: 48%" in result.stdout
    assert "band: low" in result.stdout
    assert "ogrs3 v3.0" in result.stdout


BAD_INPUTS = [
    ("--dob", "2023-02-30", "field dob", "'2023-02-30' is not a real date"),
    ("--conviction-date", "yesterday", "field conviction_date", "'yesterday' is not a real date"),
    ("--sex", "x", "field sex", "'x' is not male or female"),
    ("--sanctions", "three", "field sanctions", "'three' is not a whole number"),
    ("--sanctions", "0", "field sanctions", "total sanctions 0 is outside 1..999"),
    ("--first-sanction-age", "30", "field first_sanction_age",
     "age at first sanction 30 is after the age at current conviction 24"),
    ("--follow-up-date", "2024-02-01", "field follow_up_date",
     "follow-up date 2024-02-01 is before the conviction date 2024-03-01"),
    ("--offence-code", "00099", "field offence_code", "offence code 00099 is not in the OGRS3"),
    ("--offence-code", "950/05", "field offence_code",
     "offence code 95005 has no OGRS3 weight: the exact offence is needed"),
]


@pytest.mark.parametrize(("option", "value", "field", "message"), BAD_INPUTS)
def test_bad_input_prints_the_field_value_and_rule_and_exits_2(
        option: str, value: str, field: str, message: str,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["probation", *with_option(option, value)])

    with pytest.raises(SystemExit) as exited:
        main()

    assert exited.value.code == 2
    printed = " ".join(capsys.readouterr().err.split())   # the console may wrap long lines
    assert printed.startswith("error: ")
    assert message in printed
    assert field in printed


def test_the_installed_command_exits_2_without_a_traceback() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", "from probation.cli.main import main; main()",
         *with_option("--offence-code", "99955")],
        capture_output=True, text=True, timeout=60, check=False)

    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert "the exact offence is needed" in completed.stderr
