"""``exitplan probe`` against real hosts: namespaces with tc tbf, OpenSSH, ssh-agent.

The probe runs inside the source host's namespace (the root namespace cannot reach the
testbed), like an operator's laptop on the same network.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from planner.discovery.ssh.hostkeys import fingerprint
from planner.io.calibration_file import load_calibration
from planner.models.calibration import Calibration
from tests.testbed import HostSpec, Testbed, TestbedSpec, unavailable_reason

pytestmark = [pytest.mark.network, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
PORT_BITS = 100e6
CIPHER = "aes128-gcm@openssh.com"


@pytest.fixture(scope="module")
def bed() -> Iterator[Testbed]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    spec = TestbedSpec(
        hosts=(
            HostSpec("src1", port_rate_bits_per_second=PORT_BITS),
            HostSpec("dst1", site="destination"),
        )
    )
    with Testbed(spec) as running:
        yield running


@pytest.fixture(scope="module")
def agent_env(bed: Testbed) -> Iterator[dict[str, str]]:
    assert bed.tmp is not None
    sock = str(Path(bed.tmp) / "agent.sock")
    agent = subprocess.Popen(
        ["ssh-agent", "-D", "-a", sock], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 5
        while not Path(sock).exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        env = dict(os.environ, SSH_AUTH_SOCK=sock)
        subprocess.run(["ssh-add", "-q", str(bed.identity_path)], env=env, check=True)
        yield env
    finally:
        agent.terminate()
        agent.wait(timeout=5)


@pytest.fixture(scope="module")
def inventory(bed: Testbed) -> Path:
    assert bed.tmp is not None
    path = Path(bed.tmp) / "inventory.yaml"
    servers = [
        {
            "id": "src1",
            "address": bed.host("src1").address,
            "ssh": {"user": "root"},
            "network": {"baseline_bits_per_second": PORT_BITS},
            "volumes": [{"used": "10GB"}],
        },
        {"id": "dst1", "address": bed.host("dst1").address, "ssh": {"user": "root"}},
    ]
    path.write_text(yaml.safe_dump({"schema_version": 1, "servers": servers}))
    return path


def run_probe(
    bed: Testbed, env: dict[str, str], inventory: Path, output: Path | None, *extra: str
) -> subprocess.CompletedProcess[str]:
    argv = [
        sys.executable, "-m", "planner", "probe", "src1", "dst1", "--inventory", str(inventory),
        "--bytes", "30MB", "--streams", "2", "--cipher", CIPHER, "--cipher-bytes", "256MB",
        "--timeout", "60s", *(["-o", str(output)] if output else []), *extra,
    ]  # fmt: skip
    return subprocess.run(
        bed.command("src1", argv), env=env, cwd=REPO, capture_output=True, text=True, timeout=300
    )


def snapshot(path: Path) -> dict[str, int]:
    return {str(p.relative_to(path)): p.stat().st_size for p in path.rglob("*")}


def host_key(bed: Testbed, name: str) -> str:
    import paramiko

    key = paramiko.Ed25519Key.from_path(bed.host(name).directory / "ssh_host_ed25519_key")
    return f"ssh-ed25519 {fingerprint(key)}"


def test_probe_measures_the_path_and_the_plan_uses_it(bed, agent_env, inventory, cli) -> None:
    assert bed.tmp is not None
    output = Path(bed.tmp) / "calibration.json"
    src_home = bed.host("src1").directory / "home"
    before = (snapshot(src_home), snapshot(bed.host("src1").data_dir))
    known = bed.known_hosts_path.read_bytes()
    done = run_probe(
        bed, agent_env, inventory, output, "--known-hosts", str(bed.known_hosts_path),
        "--forward-agent",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    cal = load_calibration(output).calibration
    # read-only on the source: nothing appeared in its home (no ~/.ssh) or data, known_hosts kept
    assert (snapshot(src_home), snapshot(bed.host("src1").data_dir)) == before
    assert bed.known_hosts_path.read_bytes() == known

    assert [run.streams for run in cal.streams] == [1, 2]
    payload_ceiling = PORT_BITS * 1448 / 1514  # tbf charges whole frames
    for run in cal.streams:
        assert run.rate_bits_per_second == pytest.approx(payload_ceiling, rel=0.15), run
    c = cal.calibrated
    assert c.efficiency is not None and 0.80 <= c.efficiency <= 1.0
    assert c.nominal_bits_per_second == PORT_BITS
    assert c.rtt_seconds is not None and c.rtt_seconds < 0.01  # sub-millisecond when idle
    assert cal.round_trip is not None and cal.round_trip.samples == 10
    assert c.session_setup_seconds is not None and 0.02 < c.session_setup_seconds < 3
    assert c.per_stream_bits_per_second is None  # the port limits, not the stream
    assert {(r.side, r.cipher) for r in cal.ciphers} == {("src", CIPHER), ("dst", CIPHER)}
    assert all(r.bytes_per_second > 20e6 for r in cal.ciphers)
    assert c.cipher_bytes_per_second[CIPHER] == min(r.bytes_per_second for r in cal.ciphers)
    assert cal.not_measured == []
    prov = cal.provenance
    assert prov.command.startswith("exitplan probe src1 dst1 --inventory")
    assert (prov.src.id, prov.src.address, prov.dst.id) == ("src1", "10.222.1.2", "dst1")
    assert prov.src.host_key == host_key(bed, "src1")
    assert prov.dst.host_key == host_key(bed, "dst1")
    assert prov.started_at <= prov.finished_at
    assert json.loads(output.read_text())["schema_version"] == 1

    plan = json.loads(cli("plan", inventory, "--calibration", output, "--format", "json").stdout)
    cited = {a["name"] for a in plan["assumptions"] if a["source"].startswith("calibration")}
    assert {"transfer efficiency", "round-trip time", "session start-up", "probed path"} <= cited


def test_without_a_way_for_src_to_log_in_to_dst_it_says_what_it_could_not_measure(
    bed, inventory
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}
    done = run_probe(  # no -o: the calibration goes to stdout, the summary to stderr
        bed, env, inventory, None, "--known-hosts", str(bed.known_hosts_path),
        "--identity", str(bed.identity_path),
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    cal = Calibration.model_validate_json(done.stdout)
    assert cal.streams == [] and cal.ciphers == []
    gaps = {gap.what: gap.reason for gap in cal.not_measured}
    assert "ssh failed" in gaps["throughput SRC -> DST"]
    assert any(what.startswith("cipher speed on src") for what in gaps)
    assert "--forward-agent" in gaps[f"cipher speed on src src1 ({CIPHER})"]
    assert cal.round_trip is not None  # ping needs no login
    assert "not measured: throughput SRC -> DST" in done.stderr


def test_an_unknown_destination_key_is_refused(bed, agent_env, inventory) -> None:
    assert bed.tmp is not None
    known = Path(bed.tmp) / "only_src_known"
    lines = bed.known_hosts_path.read_text().splitlines()
    known.write_text("\n".join(line for line in lines if line.startswith("src1,")) + "\n")
    output = Path(bed.tmp) / "refused.json"
    done = run_probe(
        bed, agent_env, inventory, output, "--known-hosts", str(known), "--forward-agent"
    )
    assert done.returncode == 1
    assert f"dst dst1: host key for {bed.host('dst1').address} is unknown" in done.stderr
    assert not output.exists()
