"""SSH discovery against a real OpenSSH sshd on loopback addresses, compared with ground truth.

The "hosts" are one machine seen through several addresses, so every good host must report
this machine's own facts (df, /etc/os-release, nproc, /proc/meminfo). Misbehaving hosts —
refused, hanging, wrong key, changed host key, garbage output, a missing program, a hanging
command — each fail alone with a clear reason while the others finish.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.discovery.ssh import allowlist
from planner.discovery.ssh.config import Endpoint
from planner.discovery.ssh.connect import Connector
from planner.discovery.ssh.hostkeys import KnownHosts
from planner.discovery.ssh.runner import CommandNotAllowed, RemoteHost
from planner.io.inventory_file import load_inventory
from tests.discovery.ssh.conftest import (
    AUTH_FAIL,
    BUSYBOX_HOST,
    CHANGED_KEY,
    GARBAGE_HOST,
    GOOD,
    HANGS,
    REFUSED,
    SshLab,
)

pytestmark = [pytest.mark.network, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _no_agent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)


def run(
    cli,
    lab: SshLab,
    tmp_path: Path,
    servers: list[dict],
    *extra: object,
    name: str = "out",
    identity: bool = True,
):
    inventory = tmp_path / f"{name}-in.json"
    inventory.write_text(json.dumps({"schema_version": 1, "servers": servers}))
    output = tmp_path / f"{name}.json"
    empty_config = tmp_path / "ssh_config"
    empty_config.touch()
    args: list[object] = ["discover", "ssh", inventory, "-o", output, *extra]
    if identity:
        args += ["-i", lab.client_key]
    if "--ssh-config" not in extra:
        args += ["--ssh-config", empty_config]
    if "--known-hosts" not in extra:
        args += ["--known-hosts", lab.known_hosts]
    result = cli(*args)
    data = json.loads(output.read_text()) if output.exists() else None
    return result, data, output


def by_id(data: dict) -> dict[str, dict]:
    return {s["id"]: s for s in data["servers"]}


def ground_truth() -> dict:
    release = dict(
        line.split("=", 1)
        for line in Path("/etc/os-release").read_text().splitlines()
        if "=" in line
    )
    meminfo = Path("/proc/meminfo").read_text().split()
    df = subprocess.run(["df", "-P", "-B1", "/"], capture_output=True, text=True).stdout
    inodes = subprocess.run(["df", "-P", "-i", "/"], capture_output=True, text=True).stdout
    size, used = (int(x) for x in df.splitlines()[1].split()[1:3])
    return {
        "id": release["ID"].strip('"'),
        "version": release.get("VERSION_ID", "").strip('"'),
        "kernel": subprocess.run(["uname", "-r"], capture_output=True, text=True).stdout.strip(),
        "nproc": int(subprocess.run(["nproc"], capture_output=True, text=True).stdout),
        "memory": int(meminfo[meminfo.index("MemTotal:") + 1]) * 1024,
        "size": size,
        "used": used,
        "inodes_used": int(inodes.splitlines()[1].split()[2]),
        "device": df.splitlines()[1].split()[0],
    }


def test_good_hosts_report_this_machine(cli, lab: SshLab, tmp_path: Path) -> None:
    # a real dependency: "web-1" (127.0.0.2) holds a connection to a listener on "db-1"
    with socket.socket() as listener, socket.socket() as client:
        listener.bind((GOOD[2], 0))
        listener.listen()
        client.bind((GOOD[0], 0))
        client.connect(listener.getsockname())
        accepted, _ = listener.accept()
        with accepted:
            servers = [
                lab.server("web-1", GOOD[0]),
                lab.server("web-2", GOOD[1]),
                lab.server("db-1", GOOD[2]),
                lab.server("bb-1", BUSYBOX_HOST),
            ]
            result, data, _ = run(cli, lab, tmp_path, servers, "--timeout", "60s", "--sample", "1")
    assert result.exit_code == 0, result.output
    truth = ground_truth()
    hosts = by_id(data)
    for server_id in ("web-1", "web-2", "db-1", "bb-1"):
        host = hosts[server_id]
        assert host["os"]["name"] == truth["id"]
        assert host["os"]["version"] == truth["version"]
        assert host["os"]["kernel"] == truth["kernel"]
        assert host["vcpus"] == truth["nproc"]
        assert host["memory_bytes"] == truth["memory"]
        root = next(v for v in host["volumes"] if v["mount_point"] == "/")
        assert root["device"] == truth["device"]
        assert root["size_bytes"] == truth["size"]
        assert abs(root["used_bytes"] - truth["used"]) <= max(0.02 * truth["used"], 2**28)
        assert abs(root["file_count"] - truth["inodes_used"]) <= 50_000
        assert host["change_rate_bytes_per_second"] >= 0
        assert host["provenance"]["volumes"] == "measured"
        assert any(s["port"] == lab.port for s in host["services"])
    assert "db-1" in hosts["web-1"]["dependencies"]
    assert "web-1" not in hosts["db-1"].get("dependencies", [])
    sshd_service = next(
        s for s in hosts["web-1"]["services"] if s["port"] == lab.port and s["address"] == GOOD[0]
    )
    assert sshd_service["process"] == "sshd"
    ssh_meta = data["metadata"]["discovery"]["ssh"]
    assert ssh_meta["hosts"] == {"total": 4, "ok": 4, "partial": 0, "failed": 0, "pending": 0}
    assert ssh_meta["errors"] == []
    assert "discovered 4 hosts: 4 ok" in result.stdout


def _processes_naming(marker: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if marker in cmdline:
                found.append(cmdline)
    return found


def test_each_misbehaving_host_fails_alone(cli, lab: SshLab, tmp_path: Path) -> None:
    servers = [
        lab.server("good", GOOD[0]),
        lab.server("refused", REFUSED),
        lab.server("hangs", HANGS),
        lab.server("wrong-key", AUTH_FAIL, user="daemon"),
        lab.server("changed-key", CHANGED_KEY),
        lab.server("garbage", GARBAGE_HOST),
    ]
    started = time.monotonic()
    # --accept-new-host-keys must not let the changed key through
    result, data, _ = run(
        cli, lab, tmp_path, servers, "--timeout", "4s", "--sample", "0", "--accept-new-host-keys"
    )
    assert time.monotonic() - started < 30
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    meta = data["metadata"]["discovery"]["ssh"]
    assert meta["results"]["good"]["status"] == "ok"
    assert meta["hosts"] == {"total": 6, "ok": 1, "partial": 1, "failed": 4, "pending": 0}
    reasons = {}
    for error in meta["errors"]:
        reasons.setdefault(error["server"], []).append(f"{error['stage']}: {error['reason']}")
    assert reasons["refused"] == [
        f"connect: connection refused by {REFUSED}:{lab.refused_port} (no SSH server on that port)"
    ]
    assert reasons["hangs"] == [
        f"connect: no SSH handshake with {HANGS}:{lab.port} within 4 s (the host accepts TCP "
        "connections but hangs, or is not an SSH server)"
    ]
    assert "authentication failed for user 'daemon'" in reasons["wrong-key"][0]
    assert (
        "has CHANGED" in reasons["changed-key"][0]
        and "man-in-the-middle" in reasons["changed-key"][0]
    )
    garbage = "\n".join(reasons["garbage"])
    assert "diskstats: no result within 4 s (the command hangs)" in garbage
    assert "listening: required program not installed on the host (exit status 127" in garbage
    assert (
        "os_release: unexpected output: not the expected command output (first line: 'Welcome!')"
        in garbage
    )
    assert by_id(data)["good"]["vcpus"] is not None
    assert "refused: connect: connection refused" in result.stderr
    # the hanging command ended when its channel was closed: nothing is left running
    deadline = time.monotonic() + 10
    while _processes_naming("garbage.sh") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_naming("garbage.sh") == []


def test_accept_new_host_keys_records_only_unknown_keys(cli, lab: SshLab, tmp_path: Path) -> None:
    known = tmp_path / "known_hosts"
    known.write_text("")
    servers = [lab.server("a", GOOD[0]), lab.server("b", GOOD[1])]
    refused, data, _ = run(
        cli, lab, tmp_path, servers, "--known-hosts", known, "--sample", "0", name="r1"
    )
    assert refused.exit_code == 1
    assert all("is unknown" in e["reason"] for e in data["metadata"]["discovery"]["ssh"]["errors"])
    assert known.read_text() == ""
    accepted, data, _ = run(
        cli,
        lab,
        tmp_path,
        servers,
        "--known-hosts",
        known,
        "--sample",
        "0",
        "--accept-new-host-keys",
        name="r2",
    )
    assert accepted.exit_code == 0, accepted.output
    recorded = sorted(line.split()[0] for line in known.read_text().splitlines())
    assert recorded == sorted(f"[{a}]:{lab.port}" for a in GOOD[:2])
    keys = data["metadata"]["discovery"]["ssh"]["accepted_host_keys"]
    assert sorted(k["host"] for k in keys) == recorded
    again, _, _ = run(
        cli, lab, tmp_path, servers, "--known-hosts", known, "--sample", "0", name="r3"
    )
    assert again.exit_code == 0


def test_resume_skips_hosts_already_done(cli, lab: SshLab, tmp_path: Path) -> None:
    known = tmp_path / "known_hosts"
    known.write_text(lab.sshd.host_key_line(GOOD[0]))  # the second host is unknown at first
    servers = [lab.server("first", GOOD[0]), lab.server("second", GOOD[1])]
    first, data, output = run(cli, lab, tmp_path, servers, "--known-hosts", known, "--sample", "0")
    assert first.exit_code == 1
    journal = output.with_name(output.name + ".ssh-progress.jsonl")
    assert [json.loads(line)["server_id"] for line in journal.read_text().splitlines()] != []
    known.write_text(known.read_text() + lab.sshd.host_key_line(GOOD[1]))
    second, data, _ = run(
        cli, lab, tmp_path, servers, "--known-hosts", known, "--sample", "0", "--resume"
    )
    assert second.exit_code == 0, second.output
    records = [json.loads(line)["server_id"] for line in journal.read_text().splitlines()]
    assert sorted(records) == ["first", "second", "second"]  # "first" was not contacted again
    assert data["metadata"]["discovery"]["ssh"]["options"]["resumed"] == 1
    hosts = by_id(data)
    assert hosts["first"]["vcpus"] and hosts["second"]["vcpus"]
    assert load_inventory(output).problems() == []


def test_jump_host_channel(cli, lab: SshLab, tmp_path: Path) -> None:
    config = tmp_path / "jump_config"
    config.write_text(
        f"Host behind\n  HostName {GOOD[1]}\n  Port {lab.port}\n  User root\n"
        f"  ProxyJump root@{GOOD[0]}:{lab.port}\n"
        f"Host unreachable\n  HostName {GOOD[1]}\n  Port {lab.port}\n  User root\n"
        f"  ProxyJump root@{REFUSED}:{lab.refused_port}\n"
    )
    servers = [{"id": "behind"}, {"id": "unreachable"}]
    # no --identity: the key comes from the config's IdentityFile (for the jump host too)
    config.write_text(f"Host *\n  IdentityFile {lab.client_key}\n" + config.read_text())
    result, data, _ = run(
        cli, lab, tmp_path, servers, "--ssh-config", config, "--sample", "0", identity=False
    )
    meta = data["metadata"]["discovery"]["ssh"]
    assert meta["results"]["behind"]["status"] == "ok"
    assert (
        meta["results"]["behind"]["target"]
        == f"root@{GOOD[1]}:{lab.port} via root@{GOOD[0]}:{lab.port}"
    )
    assert meta["errors"] == [
        {
            "server": "unreachable",
            "stage": "connect",
            "reason": f"jump host {REFUSED}:{lab.refused_port}: connection refused by "
            f"{REFUSED}:{lab.refused_port} (no SSH server on that port)",
        }
    ]
    assert result.exit_code == 1


def test_nothing_outside_the_allowlist_runs_on_a_real_host(lab: SshLab, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    connector = Connector(KnownHosts(lab.known_hosts), 10, (lab.client_key,), use_agent=False)
    transport = connector.open(Endpoint(host=GOOD[0], port=lab.port, user="root"))
    try:
        host = RemoteHost(transport, 10)
        for command in (f"touch {marker}", f"{allowlist.OS_RELEASE}; touch {marker}"):
            with pytest.raises(CommandNotAllowed):
                host.run(command)
        assert host.run(allowlist.OS_RELEASE).exit_status == 0
    finally:
        transport.close()
        connector.close()
    assert not marker.exists()


def test_bad_input_is_exit_2_without_traceback(cli, lab: SshLab, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("servers:\n  - id: a\n    vcpus: many\n")
    result = cli(
        "discover", "ssh", bad, "-o", tmp_path / "o.json", "--known-hosts", lab.known_hosts
    )
    assert result.exit_code == 2
    assert f"{bad}:3: servers[0].vcpus" in result.stderr
    good = tmp_path / "good.yaml"
    good.write_text("servers:\n  - id: a\n    address: 127.0.0.2\n")
    missing = cli(
        "discover", "ssh", good, "-o", tmp_path / "o.json", "--known-hosts", tmp_path / "none"
    )
    assert missing.exit_code == 2
    assert "no such known_hosts file" in missing.stderr
    assert "Traceback" not in missing.output
    assert not (tmp_path / "o.json").exists()


def test_keys_from_ssh_agent(cli, lab: SshLab, tmp_path: Path, monkeypatch) -> None:
    sock = tmp_path / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(sock)], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not sock.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        env = {"SSH_AUTH_SOCK": str(sock), "PATH": "/usr/bin:/bin"}
        subprocess.run(["ssh-add", "-q", str(lab.client_key)], check=True, env=env)
        monkeypatch.setenv("SSH_AUTH_SOCK", str(sock))
        monkeypatch.setenv("HOME", str(tmp_path))  # no default ~/.ssh/id_* keys to fall back on
        servers = [lab.server("via-agent", GOOD[0])]
        result, data, _ = run(cli, lab, tmp_path, servers, "--sample", "0", identity=False)
        assert result.exit_code == 0, result.output
        assert by_id(data)["via-agent"]["vcpus"]
        monkeypatch.delenv("SSH_AUTH_SOCK")
        result, data, _ = run(
            cli, lab, tmp_path, servers, "--sample", "0", identity=False, name="b"
        )
        assert result.exit_code == 1
        reason = data["metadata"]["discovery"]["ssh"]["errors"][0]["reason"]
        assert reason.startswith("authentication failed for user 'root' (tried no keys")
    finally:
        agent.terminate()
        agent.wait(timeout=10)


def test_interrupt_saves_partial_results(lab: SshLab, tmp_path: Path) -> None:
    inventory = tmp_path / "in.json"
    servers = [lab.server("quick", GOOD[0]), lab.server("stuck", HANGS)]
    inventory.write_text(json.dumps({"schema_version": 1, "servers": servers}))
    output = tmp_path / "out.json"
    (tmp_path / "ssh_config").touch()
    command = [
        sys.executable, "-m", "planner", "discover", "ssh", str(inventory), "-o", str(output),
        "--known-hosts", str(lab.known_hosts), "-i", str(lab.client_key), "--sample", "0",
        "--timeout", "120s", "--ssh-config", str(tmp_path / "ssh_config"),
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    journal = output.with_name(output.name + ".ssh-progress.jsonl")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "quick" not in (
            journal.read_text() if journal.exists() else ""
        ):
            time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)  # the stuck host must not delay the exit
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130
    assert "interrupted" in stderr and "Traceback" not in stderr
    data = json.loads(output.read_text())
    assert by_id(data)["quick"]["vcpus"]
    assert data["metadata"]["discovery"]["ssh"]["hosts"]["pending"] == 1
