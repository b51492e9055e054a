"""Fixtures for SSH discovery tests: the signal seed and a real OpenSSH sshd on loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.discovery.ssh.signals import HostSignals
from planner.io.seeds import load_yaml_seed
from tests.discovery.ssh.sshd_server import GARBAGE, Blackhole, LocalSshd, free_port, keygen

# Loopback "hosts" served by one sshd; .10 and .11 are the refused and the hanging host.
GOOD = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
AUTH_FAIL = "127.0.0.5"
CHANGED_KEY = "127.0.0.6"
GARBAGE_HOST = "127.0.0.7"
BUSYBOX_HOST = "127.0.0.8"
REFUSED = "127.0.0.10"
HANGS = "127.0.0.11"
SERVED = [*GOOD, AUTH_FAIL, CHANGED_KEY, GARBAGE_HOST, BUSYBOX_HOST]


@pytest.fixture(scope="session")
def signals() -> HostSignals:
    return load_yaml_seed("discovery/ssh_signals.yaml", HostSignals)


def _ensure_sshd() -> None:
    missing = [p for p in ("sshd", "busybox") if shutil.which(p) is None]
    missing = [p for p in missing if not Path(f"/usr/sbin/{p}").exists()]
    if not missing:
        return
    packages = ["openssh-server" if p == "sshd" else p for p in missing]
    if os.geteuid() != 0:
        pytest.skip(f"needs {', '.join(packages)} (run tests/run as root to install)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


@dataclass
class SshLab:
    sshd: LocalSshd
    root: Path
    known_hosts: Path
    refused_port: int

    @property
    def port(self) -> int:
        return self.sshd.port

    @property
    def client_key(self) -> Path:
        return self.sshd.client_key

    def server(self, server_id: str, address: str, user: str = "root", **extra: object) -> dict:
        port = self.refused_port if address == REFUSED else self.port
        return {"id": server_id, "address": address, "ssh": {"user": user, "port": port}, **extra}


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshLab]:
    """One sshd on 127.0.0.2-8 (with a garbage and a BusyBox host), a hanging listener on .11."""
    if os.geteuid() != 0:
        pytest.skip("the test sshd authorizes a key for root, so it must run as root")
    _ensure_sshd()
    root = tmp_path_factory.mktemp("sshd")
    sshd = LocalSshd(root, SERVED)
    sshd.force_command(GARBAGE_HOST, "garbage.sh", GARBAGE)
    sshd.busybox_host(BUSYBOX_HOST)
    sshd.start()
    blackhole = Blackhole(HANGS, sshd.port)
    other = keygen(root / "other_host_key", "a different host key")
    known = root / "known_hosts"
    lines = [sshd.host_key_line(a) for a in SERVED if a != CHANGED_KEY]
    kind, key = other.with_suffix(".pub").read_text().split()[:2]
    lines.append(f"[{CHANGED_KEY}]:{sshd.port} {kind} {key}\n")
    known.write_text("".join(lines))
    try:
        yield SshLab(sshd, root, known, free_port(REFUSED))
    finally:
        blackhole.close()
        sshd.stop()
