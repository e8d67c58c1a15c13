"""`probation catalogue list` and `check` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from probation.catalogue.loader import DATA_DIR
from probation.cli.commands.catalogue import parse_spec
from probation.cli.main import app
from probation.domain.errors import InvalidValue

RUNNER = CliRunner()


def lines(*args: str) -> list[dict[str, object]]:
    result = RUNNER.invoke(app, ["catalogue", "list", *args, "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_list_json_gives_one_object_per_row_for_all_103_rows() -> None:
    rows = lines()
    assert len(rows) == 103
    for row in rows:
        assert {
            "spec",
            "version",
            "row",
            "service_element",
            "output",
            "national_minimum",
        } <= row.keys()
    assert [(r["spec"], r["row"]) for r in rows][:2] == [("exclusion", 1), ("exclusion", 2)]


@pytest.mark.parametrize(
    ("spec", "count", "version"),
    [
        ("exclusion", 27, "P3.2"),
        ("manage", 36, "P3.1"),
        ("supervision", 23, "P2.2"),
        ("post_release", 12, "P3.1"),
        ("rar", 5, "P2.0"),
        ("post-release", 12, "P3.1"),
        ("MANAGE", 36, "P3.1"),
    ],
)
def test_list_filters_by_short_spec_id(spec: str, count: int, version: str) -> None:
    rows = lines("--spec", spec)
    assert len(rows) == count
    assert {r["version"] for r in rows} == {version}


def test_json_marks_options_levels_and_due_rules() -> None:
    rows = {(r["spec"], r["row"]): r for r in lines()}
    assert rows[("supervision", 18)]["national_minimum"] is False
    assert rows[("supervision", 18)]["option_id"] == "supervision.compliance_programme"
    assert rows[("manage", 20)]["output_level"] == "C"
    assert rows[("manage", 24)]["em_responsible_officer"] is True
    assert rows[("manage", 3)]["due"]["kind"] == "once_after_event"  # type: ignore[index]
    assert rows[("manage", 3)]["due"]["awaiting_evidence"] is False  # type: ignore[index]
    assert rows[("exclusion", 20)]["applies_when"]["sex"] == "female"  # type: ignore[index]


def test_a_contract_marks_the_options_it_buys() -> None:
    rows = lines(
        "--spec", "supervision", "--contract", str(DATA_DIR / "contracts" / "default.yaml")
    )
    bought = sorted(r["row"] for r in rows if not r["national_minimum"] and r["commissioned"])  # type: ignore[type-var]
    assert bought == [22, 23]


def test_the_table_lists_rows_for_people() -> None:
    result = RUNNER.invoke(app, ["catalogue", "list", "--spec", "rar"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Specification catalogue: 5 rows (rar P2.0)" in result.stdout
    assert "Instructions are given to attend appointments" in result.stdout


def test_an_unknown_spec_is_a_domain_error_naming_the_valid_ids() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_spec("probation")
    assert caught.value.rule == "one of exclusion, manage, supervision, post_release, rar"


def test_the_installed_command_rejects_an_unknown_spec_in_one_line_with_exit_2() -> None:
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "probation"
    done = subprocess.run(
        [str(exe), "catalogue", "list", "--spec", "nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "unknown specification 'nope'" in done.stderr
    assert "Traceback" not in done.stderr


def test_check_validates_the_catalogue_and_a_contract() -> None:
    result = RUNNER.invoke(
        app, ["catalogue", "check", "--contract", str(DATA_DIR / "contracts" / "default.yaml")]
    )
    assert result.exit_code == 0, result.output
    assert "ok: 103 rows" in result.stdout


def test_check_rejects_a_bad_contract_with_file_key_and_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "contract_id: x\nprovider: P\ncommissioned_options: [nothing.here]\n", encoding="utf-8"
    )
    result = RUNNER.invoke(app, ["catalogue", "check", "--contract", str(bad)])
    assert result.exit_code != 0
    assert "bad.yaml: commissioned_options[0]:" in str(result.exception)
