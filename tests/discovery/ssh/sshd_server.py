"""A real OpenSSH sshd for tests and benchmarks, listening on several loopback addresses.

Everything lives in one temporary folder: the host key, a client key authorized for root (via
``AuthorizedKeysFile`` pointing into the folder), the config and the helper scripts that make
some "hosts" misbehave (``Match LocalAddress`` + ``ForceCommand``). Only 127.0.0.0/8 is used.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
BUSYBOX = shutil.which("busybox") or "/bin/busybox"
BUSYBOX_APPLETS = [
    "sh",
    "cat",
    "echo",
    "uname",
    "grep",
    "nproc",
    "df",
    "ls",
    "head",
    "find",
    "ip",
    "true",
    "netstat",
    "sleep",
]

GARBAGE = """#!/bin/sh
# A broken host: hangs on the disk counters, lacks ss/netstat, prints noise for the rest.
case "$SSH_ORIGINAL_COMMAND" in
  *"/proc/diskstats"*) while :; do sleep 1; echo .; done ;;
  *"ss -H -l"*) echo "sh: 1: ss: not found" >&2; exit 127 ;;
  *) printf 'Welcome!\\n\\033[31m*** System restart required ***\\033[0m\\nx=1;;%%%%\\n' ;;
esac
"""

BUSYBOX_SHELL = """#!/bin/sh
# A BusyBox host: only BusyBox applets on PATH (no ss, lsblk, dpkg, docker).
PATH={bin}; export PATH
exec {busybox} sh -c "$SSH_ORIGINAL_COMMAND"
"""


def free_port(address: str = "127.0.0.2") -> int:
    with socket.socket() as sock:
        sock.bind((address, 0))
        return int(sock.getsockname()[1])


def keygen(path: Path, comment: str) -> Path:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
        check=True,
    )
    return path


def banner(address: str, port: int, timeout: float = 2.0) -> bytes:
    with socket.create_connection((address, port), timeout=timeout) as sock:
        return sock.recv(64)


class LocalSshd:
    """An unprivileged-port sshd on ``addresses``; ``matches`` maps an address to a ForceCommand."""

    def __init__(self, root: Path, addresses: list[str], port: int | None = None) -> None:
        self.root = root
        self.addresses = addresses
        self.port = port or free_port(addresses[0])
        self.process: subprocess.Popen[bytes] | None = None
        self.host_key = keygen(root / "host_ed25519", "exitplan-test-host")
        self.client_key = keygen(root / "client_ed25519", "exitplan-test-client")
        keys = root / "authorized_keys"
        keys.mkdir()
        shutil.copy(root / "client_ed25519.pub", keys / "root")
        self.force: dict[str, Path] = {}

    def host_key_line(self, address: str) -> str:
        public = (self.root / "host_ed25519.pub").read_text().split()
        return f"[{address}]:{self.port} {public[0]} {public[1]}\n"

    def force_command(self, address: str, name: str, text: str) -> Path:
        script = self.root / name
        script.write_text(text)
        script.chmod(0o755)
        self.force[address] = script
        return script

    def busybox_host(self, address: str) -> Path:
        bin_dir = self.root / "busybox-bin"
        bin_dir.mkdir(exist_ok=True)
        for applet in BUSYBOX_APPLETS:
            link = bin_dir / applet
            if not link.exists():
                link.symlink_to(BUSYBOX)
        text = BUSYBOX_SHELL.format(bin=bin_dir, busybox=BUSYBOX)
        return self.force_command(address, "busybox.sh", text)

    def config_text(self, penalties: bool) -> str:
        lines = [f"Port {self.port}"]
        lines += [f"ListenAddress {a}" for a in self.addresses]
        lines += [
            f"HostKey {self.host_key}",
            f"PidFile {self.root / 'sshd.pid'}",
            f"AuthorizedKeysFile {self.root / 'authorized_keys'}/%u",
            "PermitRootLogin prohibit-password",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "MaxStartups 1000",
            "MaxSessions 64",
            "LogLevel ERROR",
            "PrintMotd no",
            "UseDNS no",
            # bash sources ~/.bashrc for commands run by sshd unless SHLVL is already 1 or more;
            # the test root's .bashrc is slow (pyenv), and a real fleet's rc files are theirs
            "SetEnv SHLVL=1",
        ]
        if penalties:
            lines.append("PerSourcePenalties no")
        for address, script in self.force.items():
            lines += [f"Match LocalAddress {address}", f"    ForceCommand {script}"]
        return "\n".join(lines) + "\n"

    def _write_config(self) -> Path:
        config = self.root / "sshd_config"
        for penalties in (True, False):  # PerSourcePenalties exists from OpenSSH 9.8 on
            config.write_text(self.config_text(penalties))
            check = subprocess.run([SSHD, "-t", "-f", str(config)], capture_output=True, text=True)
            if check.returncode == 0:
                return config
        raise RuntimeError(f"sshd rejects the test config: {check.stderr.strip()}")

    def start(self) -> LocalSshd:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation directory
        config = self._write_config()
        log = (self.root / "sshd.log").open("wb")
        self.process = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=log, start_new_session=True
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sshd exited: {(self.root / 'sshd.log').read_text()}")
            try:
                if all(banner(a, self.port).startswith(b"SSH-") for a in self.addresses):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("sshd did not answer within 15 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        kill_leftovers(self.root)


def kill_leftovers(marker: Path) -> list[int]:
    """End processes whose command line names ``marker`` (session children of our sshd)."""
    killed = []
    text = str(marker)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            try:
                os.kill(int(entry.name), signal.SIGKILL)
                killed.append(int(entry.name))
            except OSError:
                pass
    return killed


class Blackhole:
    """A TCP listener that never accepts: connections complete but no SSH banner ever comes."""

    def __init__(self, address: str, port: int) -> None:
        self.sock = socket.socket()
        self.sock.bind((address, port))
        self.sock.listen(64)

    def close(self) -> None:
        self.sock.close()
