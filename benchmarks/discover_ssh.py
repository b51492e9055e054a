"""Wall time of ``exitplan discover ssh`` on N hosts that are aliases of local sshd servers.

Starts two unprivileged sshd processes (16 loopback addresses each, the OpenSSH maximum per
process), writes an inventory of N servers spread over those 32 endpoints and runs the real CLI
in a subprocess at each concurrency. Needs root (the test key is authorized for root).

Two kinds of host:
- ``real``: every probe really runs on this machine (df, ss, find ...). All N simulated hosts
  share this machine's CPUs with the client, so this is a pessimistic figure.
- ``prompt``: hosts that answer promptly: sshd's ForceCommand serves each probe's recorded
  output (the Debian golden files) with ``cat``. This measures the client: SSH handshakes, host
  key checks, one channel per probe, parsing and enrichment.

Prints wall time, hosts per second and the CPU time of the client process.

Usage: python -m benchmarks.discover_ssh [--hosts 200] [--concurrency 32 64] [--sample 0]
                                         [--mode real prompt]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "discovery" / "ssh" / "golden"
ROW = "{:>11} {:>8} {:>8} {:>12} {:>6}"
# a substring that tells each allow-listed command apart (checked below)
PROBE_MARKS = {
    "os_release": "@@exitplan:os-release@@",
    "cpu_memory": "@@exitplan:nproc@@",
    "filesystems": "@@exitplan:df-bytes@@",
    "block_devices": "@@exitplan:lsblk@@",
    "diskstats": "@@exitplan:uptime@@",
    "listening": "ss -H -l",
    "connections": "state established",
    "resolvers": "@@exitplan:resolv.conf@@",
    "packages": "@@exitplan:dpkg@@",
    "agent_files": "@@exitplan:paths@@",
    "config_refs": "@@exitplan:matches@@",
    "containers": "@@exitplan:docker@@",
}


def _sshd_module() -> ModuleType:
    path = REPO / "tests" / "discovery" / "ssh" / "sshd_server.py"
    spec = importlib.util.spec_from_file_location("sshd_server", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _prompt_script(folder: Path) -> str:
    """A ForceCommand script that prints each probe's recorded Debian output."""
    sys.path.insert(0, str(REPO))
    from planner.discovery.ssh.allowlist import COMMANDS

    cases = []
    for name, mark in PROBE_MARKS.items():
        assert [n for n, c in COMMANDS.items() if mark in c] == [name], mark
        recorded = json.loads((GOLDEN / name / "debian.json").read_text())["output"]
        (folder / f"{name}.out").write_text("\n".join(recorded) + "\n")
        cases.append(f'  *"{mark}"*) exec cat {folder / (name + ".out")} ;;')
    body = "\n".join(cases)
    return f'#!/bin/sh\ncase "$SSH_ORIGINAL_COMMAND" in\n{body}\n  *) exit 127 ;;\nesac\n'


def _child_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[32, 64])
    parser.add_argument("--sample", default="0", help="--sample for discover ssh (default 0)")
    parser.add_argument("--mode", nargs="+", choices=["real", "prompt"], default=["real", "prompt"])
    args = parser.parse_args()
    for mode in args.mode:
        run_mode(mode, args)


def run_mode(mode: str, args: argparse.Namespace) -> None:
    if os.geteuid() != 0:
        sys.exit("run as root: the benchmark authorizes a test key for root in a private sshd")
    sshd_server = _sshd_module()
    with tempfile.TemporaryDirectory(prefix="exitplan-bench-ssh-") as tmp:
        root = Path(tmp)
        servers = []
        for index, first in enumerate((20, 40)):
            folder = root / f"sshd{index}"
            folder.mkdir()
            addresses = [f"127.0.0.{first + i}" for i in range(16)]
            sshd = sshd_server.LocalSshd(folder, addresses)
            if mode == "prompt":
                script = _prompt_script(folder)
                for address in addresses:
                    sshd.force_command(address, "prompt.sh", script)
            servers.append(sshd)
        key = servers[0].client_key
        (servers[1].root / "authorized_keys" / "root").write_text(
            key.with_suffix(".pub").read_text()
        )
        try:
            for server in servers:
                server.start()
            endpoints = [(a, s.port, s) for s in servers for a in s.addresses]
            known = root / "known_hosts"
            known.write_text("".join(s.host_key_line(a) for a, _, s in endpoints))
            inventory = {
                "schema_version": 1,
                "servers": [
                    {
                        "id": f"host-{n:03d}",
                        "address": endpoints[n % len(endpoints)][0],
                        "ssh": {"user": "root", "port": endpoints[n % len(endpoints)][1]},
                    }
                    for n in range(args.hosts)
                ],
            }
            (root / "inventory.json").write_text(json.dumps(inventory))
            (root / "ssh_config").touch()
            print(
                f"\n{mode} hosts: {args.hosts} = aliases of 2 sshd x 16 loopback addresses, "
                f"--sample {args.sample}, {os.cpu_count()} CPUs shared by client and hosts"
            )
            print(ROW.format("concurrency", "wall s", "hosts/s", "client CPU s", "failed"))
            for concurrency in args.concurrency:
                output = root / f"out-{concurrency}.json"
                command = [
                    sys.executable, "-m", "planner", "discover", "ssh",
                    str(root / "inventory.json"), "-o", str(output),
                    "--known-hosts", str(known), "-i", str(key),
                    "--ssh-config", str(root / "ssh_config"), "--concurrency", str(concurrency),
                    "--sample", args.sample, "--timeout", "120s",
                ]  # fmt: skip
                env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}
                cpu_before = _child_cpu_seconds()
                started = time.monotonic()
                done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=env)
                wall = time.monotonic() - started
                cpu = _child_cpu_seconds() - cpu_before
                hosts = json.loads(output.read_text())["metadata"]["discovery"]["ssh"]["hosts"]
                failed = hosts["failed"] + hosts["partial"]
                rate = args.hosts / wall
                print(ROW.format(concurrency, f"{wall:.1f}", f"{rate:.1f}", f"{cpu:.1f}", failed))
                if done.returncode not in (0, 1):
                    print(done.stderr[-2000:], file=sys.stderr)
        finally:
            for server in servers:
                server.stop()


if __name__ == "__main__":
    main()
