"""Golden tests, pyinfra style: one test per recorded output in ``golden/<probe>/<case>.json``.

Each file holds the exact command, the output a real host of that distribution prints, the
parsed value and (for most probes) the host facts and evidence the probe contributes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.discovery.ssh.probes.base import ProbeOutputError
from planner.discovery.ssh.registry import all_probes, probe
from tests.discovery.ssh.golden_io import jsonable

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*/*.json"))
FAMILIES = {
    "debian": {"debian", "ubuntu"},
    "rhel": {"rhel", "rocky", "rhel7"},
    "amazon": {"amzn2", "amzn2023"},
    "busybox": {"alpine", "busybox"},
}


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden(path: Path, signals) -> None:
    data = json.loads(path.read_text())
    subject = probe(path.parent.name)
    assert data["command"] == subject.command, "the command changed: record this output again"
    value = subject.parse("\n".join(data["output"]) + "\n")
    assert jsonable(value) == data["expected"]
    if "facts" in data:
        facts = subject.contribute(value, signals)
        assert facts.model_dump(mode="json", exclude_defaults=True) == data["facts"]


@pytest.mark.parametrize("name", [p.name for p in all_probes()])
def test_every_probe_has_recordings_of_each_family(name: str) -> None:
    cases = {p.stem for p in (GOLDEN / name).glob("*.json")}
    missing = [family for family, members in FAMILIES.items() if not cases & members]
    assert not missing, f"{name}: no recorded output for {missing}"


@pytest.mark.parametrize("name", [p.name for p in all_probes()])
@pytest.mark.parametrize(
    "garbage",
    [
        "Segmentation fault\n",
        "Welcome!\n\x1b[31m*** System restart required ***\x1b[0m\nx=1;;%%\n",
        "\x00\x01\xff binary \xfe\n" * 3,
        "",
    ],
    ids=["crash", "banner", "binary", "empty"],
)
def test_garbage_is_an_error_not_a_fact(name: str, garbage: str) -> None:
    with pytest.raises(ProbeOutputError):
        probe(name).parse(garbage)


@pytest.mark.parametrize("name", [p.name for p in all_probes()])
def test_a_truncated_output_is_an_error(name: str) -> None:
    recorded = sorted((GOLDEN / name).glob("*.json"))[0]
    lines = json.loads(recorded.read_text())["output"]
    markers = [i for i, line in enumerate(lines) if line.startswith("@@exitplan:")]
    cut = markers[-1] if len(markers) > 1 else 0
    with pytest.raises(ProbeOutputError):
        probe(name).parse("\n".join(lines[:cut]) + "\n")
