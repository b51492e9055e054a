"""``plan --calibration``: measured values change the plan and are cited; bad files exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.probe.calibration_helpers import calibration_data, write_calibration

INVENTORY = {
    "schema_version": 1,
    "servers": [
        {"id": "web1", "network": {"baseline": "1Gbps"}, "volumes": [{"used": "200GB"}]},
        {"id": "web2", "network": {"baseline": "1Gbps"}, "volumes": [{"used": "100GB"}]},
    ],
}


@pytest.fixture
def inv(tmp_path: Path) -> Path:
    path = tmp_path / "inv.yaml"
    path.write_text(yaml.safe_dump(INVENTORY))
    return path


def plan_json(cli, *args: object) -> dict:
    result = cli("plan", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_calibration_changes_the_plan_and_is_listed_in_assumptions(cli, inv, tmp_path):
    cal = write_calibration(tmp_path / "cal.json")
    assumed = plan_json(cli, inv)
    measured = plan_json(cli, inv, "--calibration", cal)
    hosts = {h["id"]: h for h in measured["transfer"]["hosts"]}
    # web1 was probed at ~95 Mbit/s: that path, not its 1 Gbit/s port, limits it now
    assert hosts["web1"]["limited_by"] == "probed-path"
    assert measured["transfer"]["bulk_seconds"] > 5 * assumed["transfer"]["bulk_seconds"]
    cited = [a for a in measured["assumptions"] if a["source"].startswith(f"calibration {cal}")]
    assert {a["name"] for a in cited} >= {
        "transfer efficiency",
        "round-trip time",
        "session start-up",
        "cipher speed",
        "probed path",
    }
    assert all("measured at 2026-11-22T10:01:00" in a["source"] for a in cited)
    assert not any(a["source"].startswith("calibration") for a in assumed["assumptions"])


def test_a_hand_written_yaml_calibration_with_units_works(cli, inv, tmp_path):
    data = calibration_data(rtt_seconds="80ms", session_setup_seconds="1.5s")
    data["streams"] = []
    path = tmp_path / "cal.yaml"
    path.write_text(yaml.safe_dump(data))
    plan = plan_json(cli, inv, "--calibration", path)
    rtt = next(a for a in plan["assumptions"] if a["name"] == "round-trip time")
    assert rtt["value"] == "80 ms (measured)"


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        (lambda d: d["calibrated"].update(efficiency=1.5), "calibrated.efficiency", "less than"),
        (lambda d: d.update(schema_version=2), "schema_version", "Input should be 1"),
        (lambda d: d["streams"][1].update(streams=1), "streams", "each stream count"),
        (lambda d: d["provenance"].pop("src"), "provenance.src", "required field is missing"),
        (lambda d: d["calibrated"].update(rtt_seconds="soon"), "calibrated.rtt_seconds", "soon"),
    ],
)
def test_a_bad_calibration_exits_2_with_file_and_line(cli, inv, tmp_path, change, where, problem):
    data = calibration_data()
    change(data)
    path = tmp_path / "cal.json"
    text = json.dumps(data, indent=2)
    path.write_text(text)
    result = cli("plan", inv, "--calibration", path)
    assert result.exit_code == 2
    message = result.stderr
    assert f"{path}:" in message and where in message and problem in message, message
    line = int(message.split(f"{path}:", 1)[1].split(":", 1)[0])
    key = where.rsplit(".", 1)[-1]
    if key != "src":  # a missing key: the line of its parent
        assert f'"{key}"' in text.splitlines()[line - 1], (line, message)
    assert "Traceback" not in result.output


def test_a_missing_calibration_file_exits_2(cli, inv, tmp_path):
    result = cli("plan", inv, "--calibration", tmp_path / "nope.json")
    assert result.exit_code == 2
    assert "nope.json: no such file" in result.stderr
