"""`probation em replay` on the fixture files."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from probation.cli.main import app

FIXTURES = Path(__file__).parent / "fixtures"
ZONES, TRAIL = FIXTURES / "zones.geojson", FIXTURES / "trail.ndjson"


def run(*args: str):
    return CliRunner().invoke(app, ["em", "replay", *args])


def test_replay_prints_the_expected_alerts_as_json_lines():
    result = run("--zones", str(ZONES), "--trail", str(TRAIL), "--json")

    assert result.exit_code == 0
    got = [json.loads(line) for line in result.stdout.splitlines()]
    expected = [
        json.loads(line) for line in (FIXTURES / "replay_expected.ndjson").read_text().splitlines()
    ]
    assert got == expected


def test_replay_alerts_follow_the_trail_worked_by_hand():
    result = run("--zones", str(ZONES), "--trail", str(TRAIL), "--json")

    got = [
        (a["time"][11:19], a["kind"], a["person"], a["zone"])
        for a in map(json.loads, result.stdout.splitlines())
    ]
    assert got == [
        ("12:00:20", "entry", "D2", "Z2"),  # D2 crosses Z2 between fixes 600 m apart
        ("12:00:40", "exit", "D2", "Z2"),
        ("12:01:00", "approach", "P1", "Z1"),
        ("12:02:00", "entry", "P1", "Z1"),
        ("12:02:30", "tamper", "P1", None),
        ("12:04:00", "exit", "P1", "Z1"),  # 12:03 was 10 m out with 8 m accuracy: not yet
        ("12:07:00", "battery_low", "P1", None),
        ("12:11:00", "no_communication", "D2", None),  # D2 silent after 12:01
        ("12:16:00", "no_signal", "P1", None),  # last fix 12:06, still talking at 12:07
        ("12:17:00", "no_communication", "P1", None),
        ("19:30:00", "communication_restored", "P1", None),
        ("19:30:00", "signal_restored", "P1", None),
        ("19:30:00", "exit", "P1", "HOME"),  # curfew from 19:00, 270 m from home
        ("19:31:00", "entry", "P1", "HOME"),
    ]


def test_replay_reports_rejected_lines_on_stderr_with_number_and_reason():
    result = run("--zones", str(ZONES), "--trail", str(TRAIL), "--json")

    assert result.stderr.splitlines() == [
        "line 9: rejected: malformed JSON (unexpected end of data)",
        "line 10: rejected: unknown device 'D9': no tagged person wears it",
        "line 11: rejected: latitude 95.0 is outside -90..90",
    ]


def test_replay_without_json_prints_one_readable_line_per_alert():
    result = run("--zones", str(ZONES), "--trail", str(TRAIL))

    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 14
    assert "2026-03-02T12:02:00Z  entry" in result.stdout and "BREACH" in result.stdout


def test_a_larger_approach_distance_raises_the_approach_earlier(tmp_path):
    result = run("--zones", str(ZONES), "--trail", str(TRAIL), "--json", "--approach-m", "500")

    # Z1 sets its own 100 m; only Z2 (no approach_m) takes 500 m, and D2 starts 200 m from it.
    kinds = [
        (a["kind"], a["zone"], a["time"][11:19])
        for a in map(json.loads, result.stdout.splitlines())
    ]
    assert ("approach", "Z2", "12:00:00") in kinds


def test_a_zones_file_with_an_invalid_polygon_stops_the_replay_with_exit_2(tmp_path):
    data = json.loads(ZONES.read_text())
    ring = data["features"][0]["geometry"]["coordinates"][0]
    ring[1], ring[2] = ring[2], ring[1]  # a bow tie
    bad = tmp_path / "zones.geojson"
    bad.write_text(json.dumps(data))

    result = CliRunner().invoke(app, ["em", "replay", "--zones", str(bad), "--trail", str(TRAIL)])

    assert result.exit_code != 0
    assert "Self-intersection" in str(result.exception) or "Self-intersection" in result.output


def test_the_command_reports_bad_input_as_one_line_and_exit_2(tmp_path):
    import subprocess
    import sys

    probation = Path(sys.executable).parent / "probation"

    done = subprocess.run(
        [
            str(probation),
            "em",
            "replay",
            "--zones",
            str(tmp_path / "none.geojson"),
            "--trail",
            str(TRAIL),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 2
    assert "cannot be read" in done.stderr
    assert "Traceback" not in done.stderr
