"""OpenSSH for the testbed: per-host host keys and sshd configs, one client key and ssh config.

Each host runs its own ``sshd -D`` as root inside its namespace, listening on the host's address
and on 127.0.0.1 (for loopback cipher measurements). Keys, configs, ``authorized_keys`` and
``known_hosts`` all live in the testbed's temporary directory; nothing under ``~/.ssh`` or
``/etc/ssh`` is read or written (the client runs with ``-F`` so the system config is skipped).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from .netns import CommandError, in_ns, run, tool_path

SSH_PORT = 22


def generate_key(path: Path, comment: str) -> str:
    """Create an ed25519 key pair at ``path`` (no passphrase); return the public key line."""
    run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)])
    return path.with_name(path.name + ".pub").read_text().strip()


def write_sshd_config(directory: Path, address: str, host_key: Path, authorized_keys: Path) -> Path:
    """Write ``sshd_config`` for one host into ``directory`` and return its path."""
    config = directory / "sshd_config"
    config.write_text(
        "\n".join([
            f"Port {SSH_PORT}",
            f"ListenAddress {address}",
            "ListenAddress 127.0.0.1",
            f"HostKey {host_key}",
            f"PidFile {directory / 'sshd.pid'}",
            f"AuthorizedKeysFile {authorized_keys}",
            "PermitRootLogin prohibit-password",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "UseDNS no",
            "PrintMotd no",
            "X11Forwarding no",
            "AllowTcpForwarding no",
            "MaxStartups 64:30:128",
            "MaxSessions 64",
            "Subsystem sftp internal-sftp",
            "LogLevel INFO",
            "",
        ])
    )  # fmt: skip
    return config


def write_client_config(
    path: Path,
    addresses: Mapping[str, str],
    identity: Path,
    known_hosts: Path,
    cipher: str | None,
) -> None:
    """ssh config: ``Host NAME`` reaches a host's address, ``Host NAME-lo`` its 127.0.0.1.

    Host keys are checked strictly against ``known_hosts`` under the host's name
    (``HostKeyAlias``), so a wrong or missing key fails the connection.
    """
    lines: list[str] = []
    for name, address in addresses.items():
        for alias, target in ((name, address), (f"{name}-lo", "127.0.0.1")):
            lines += [f"Host {alias}", f"  HostName {target}", f"  HostKeyAlias {name}"]
    lines += [
        "Host *",
        "  User root",
        f"  Port {SSH_PORT}",
        f"  IdentityFile {identity}",
        "  IdentitiesOnly yes",
        f"  UserKnownHostsFile {known_hosts}",
        "  GlobalKnownHostsFile /dev/null",
        "  StrictHostKeyChecking yes",
        "  UpdateHostKeys no",
        "  CheckHostIP no",
        "  BatchMode yes",
        "  Compression no",
        "  ConnectTimeout 10",
        "  LogLevel ERROR",
    ]
    if cipher:
        lines.append(f"  Ciphers {cipher}")
    path.write_text("\n".join(lines) + "\n")


def known_hosts_line(name: str, address: str, public_key: str) -> str:
    key_type, key_data = public_key.split()[:2]
    return f"{name},{address} {key_type} {key_data}"


def _listening(namespace: str, address: str) -> bool:
    done = run(in_ns(namespace, ["ss", "-Hltn", f"sport = :{SSH_PORT}"]), check=False)
    return f"{address}:{SSH_PORT}" in done.stdout


def start_sshd(
    namespace: str, config: Path, log: Path, address: str, home: Path
) -> subprocess.Popen[bytes]:
    """Start ``sshd -D`` in ``namespace`` and wait until it listens on ``address``.

    ``ip netns exec`` gives sshd its own mount namespace; inside it ``home`` (an empty testbed
    directory) is bind-mounted over root's home, so ssh sessions do not source the developer's
    ``~/.bashrc`` (bash does that for commands run by sshd), which would add its start-up time
    to every measured session. The bind mount is invisible outside the namespace.
    """
    sshd = tool_path("sshd")
    if sshd is None:
        raise CommandError("sshd not found (install openssh-server)")
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation directory
    run([sshd, "-t", "-f", str(config)])
    home.mkdir(mode=0o700, exist_ok=True)
    script = 'mount --bind "$1" "$2" && shift 2 && exec "$@"'
    root_home = str(Path("~root").expanduser())
    argv = ["sh", "-c", script, "sshd", str(home), root_home, sshd, "-D", "-e", "-f", str(config)]
    with log.open("ab") as log_handle:
        process = subprocess.Popen(
            in_ns(namespace, argv),
            stdin=subprocess.DEVNULL,
            stdout=log_handle,
            stderr=log_handle,
            start_new_session=True,
        )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError(f"sshd in {namespace} exited: {log.read_text()[-2000:]}")
        if _listening(namespace, address):
            return process
        time.sleep(0.02)
    process.kill()
    raise CommandError(f"sshd in {namespace} did not listen on {address} within 10 s")
