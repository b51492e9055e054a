"""The measured testbed seed loads, validates, and its calibration matches its own rows."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
import yaml

from planner.errors import SeedError
from planner.io.seeds import load_yaml_seed, seed_path
from planner.models.testbed_measurements import MeasuredTestbed

SEED = "transfer/measured_testbed.yaml"


@pytest.fixture(scope="module")
def measured() -> MeasuredTestbed:
    return load_yaml_seed(SEED, MeasuredTestbed)


def test_provenance_names_the_command_machine_and_date(measured: MeasuredTestbed) -> None:
    assert measured.provenance.command.startswith("python -m benchmarks.testbed_transfer")
    assert "vCPU" in measured.provenance.machine and "OpenSSH" in measured.provenance.software
    assert measured.provenance.date == measured.as_of


def test_rates_cover_50_to_300_mbit_for_both_tools(measured: MeasuredTestbed) -> None:
    rates = {(e.tool, e.configured_rate_bits_per_second) for e in measured.link_efficiency}
    for tool in ("rsync", "ssh-cat"):
        assert {r for t, r in rates if t == tool} >= {50e6, 100e6, 200e6, 300e6}


def test_measured_rates_never_beat_the_tcp_ceiling(measured: MeasuredTestbed) -> None:
    ceiling = measured.calibration.tcp_goodput_in_testbed
    for row in measured.link_efficiency:
        assert row.end_to_end_efficiency < row.steady_efficiency * 1.02
        assert row.steady_efficiency <= ceiling * 1.03, row  # tbf must really limit


def test_calibration_is_derived_from_the_rows(measured: MeasuredTestbed) -> None:
    cal = measured.calibration
    assert cal.protocol_efficiency_rsync == pytest.approx(
        cal.steady_efficiency_rsync / cal.tcp_goodput_in_testbed, rel=1e-3
    )
    first = [
        p.per_file_seconds
        for p in measured.per_file
        if p.kind == "first_copy" and p.streams == 1 and p.files >= 1000
        and p.link_rate_bits_per_second
    ]  # fmt: skip
    assert cal.per_file_first_copy_seconds == pytest.approx(
        max(statistics.median(first), 0.0), rel=1e-3
    )
    setup = {s.tool: s.seconds for s in measured.session_setup}
    assert cal.session_setup_rsync_seconds == setup["rsync"]
    one_stream = {c.cipher: c.bytes_per_second for c in measured.ciphers if c.streams == 1}
    assert cal.cipher_bytes_per_second == one_stream


def test_a_broken_seed_names_file_and_field(tmp_path: Path) -> None:
    data = yaml.safe_load(seed_path(SEED).read_text())
    data["calibration"]["session_setup_rsync_seconds"] = "soon"
    broken = tmp_path / "measured_testbed.yaml"
    broken.write_text(yaml.safe_dump(data))
    line = 1 + broken.read_text().splitlines().index("  session_setup_rsync_seconds: soon")
    with pytest.raises(
        SeedError,
        match=rf"measured_testbed\.yaml:{line}: calibration\.session_setup_rsync_seconds: ",
    ):
        load_yaml_seed(broken, MeasuredTestbed)
