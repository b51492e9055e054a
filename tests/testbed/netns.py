"""Thin wrappers around ``ip netns``, veth pairs and ``tc tbf`` for the testbed.

Every namespace the testbed creates is named ``xptb-<pid>-<token>-<role>``: ``pid`` is the
process that owns it and ``token`` is random per run, so parallel runs never collide and a later
run can tell that a namespace was left behind by a process that no longer exists
(:func:`cleanup_stale`). Nothing here touches an interface outside those namespaces.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

NAME_ROOT = "xptb"
"""Every testbed namespace and temporary directory starts with this."""

MARKER_FILE = ".exitplan-testbed"
"""Present in every testbed temporary directory; stale cleanup removes only such directories."""

_OWNED_RE = re.compile(rf"^{NAME_ROOT}-(?P<pid>\d+)-(?P<token>[0-9a-f]{{6}})(?:-|$)")

REQUIRED_TOOLS = ("ip", "tc", "ss", "sysctl", "ssh", "ssh-keygen", "rsync", "sshd")

TBF_LATENCY_SECONDS = 0.05
"""tbf queue length expressed as time: packets that would wait longer are dropped."""

TBF_MIN_BURST_BYTES = 64 * 1024
TBF_BURST_SECONDS = 0.004
"""Bucket depth: the larger of 64 KiB and 4 ms at the configured rate (see README.md)."""


class CommandError(RuntimeError):
    """A command in the testbed failed; the message carries its stderr."""


def run(
    argv: Sequence[str],
    *,
    check: bool = True,
    timeout: float = 60.0,
    input_text: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` (no shell) and return the completed process; raise on failure if ``check``."""
    try:
        done = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            timeout=timeout,
            input=input_text,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise CommandError(f"timed out after {timeout:g}s: {' '.join(argv)}") from exc
    if check and done.returncode != 0:
        detail = done.stderr.strip() or done.stdout.strip()
        raise CommandError(f"exit {done.returncode}: {' '.join(argv)}: {detail}")
    return done


def in_ns(namespace: str, argv: Sequence[str]) -> list[str]:
    """The argv that runs ``argv`` inside ``namespace``."""
    return ["ip", "netns", "exec", namespace, *argv]


def tool_path(name: str) -> str | None:
    """Where a tool lives; ``sshd`` is usually outside a normal user's PATH."""
    found = shutil.which(name)
    if found is None and name == "sshd" and Path("/usr/sbin/sshd").exists():
        found = "/usr/sbin/sshd"
    return found


def list_namespaces() -> list[str]:
    output = run(["ip", "netns", "list"]).stdout
    return [line.split()[0] for line in output.splitlines() if line.strip()]


def namespace_pids(namespace: str) -> list[int]:
    done = run(["ip", "netns", "pids", namespace], check=False)
    return [int(pid) for pid in done.stdout.split() if pid.isdigit()]


def add_namespace(name: str) -> None:
    run(["ip", "netns", "add", name])
    run(["ip", "-n", name, "link", "set", "lo", "up"])


def delete_namespace(name: str) -> None:
    """Kill every process still in ``name`` (all were started by the testbed), then delete it."""
    for attempt in range(20):
        pids = namespace_pids(name)
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM if attempt == 0 else signal.SIGKILL)
        time.sleep(0.05)
    run(["ip", "netns", "delete", name], check=False)


def add_veth(ns_a: str, dev_a: str, ns_b: str, dev_b: str) -> None:
    """Create a veth pair directly between two namespaces (never in the root namespace)."""
    run(["ip", "-n", ns_a, "link", "add", dev_a, "type", "veth", "peer", "name", dev_b,
         "netns", ns_b])  # fmt: skip


def set_address(namespace: str, dev: str, cidr: str) -> None:
    run(["ip", "-n", namespace, "addr", "add", cidr, "dev", dev])
    run(["ip", "-n", namespace, "link", "set", dev, "up"])


def add_route(namespace: str, destination: str, via: str) -> None:
    run(["ip", "-n", namespace, "route", "add", destination, "via", via])


def enable_forwarding(namespace: str) -> None:
    run(in_ns(namespace, ["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"]))


def tbf_burst_bytes(rate_bits_per_second: float) -> int:
    return max(TBF_MIN_BURST_BYTES, int(rate_bits_per_second / 8 * TBF_BURST_SECONDS))


def set_rate_limit(
    namespace: str,
    dev: str,
    rate_bits_per_second: float,
    latency_seconds: float = TBF_LATENCY_SECONDS,
) -> None:
    """Limit the egress of ``dev`` with a token bucket (tbf counts Ethernet frame bytes)."""
    run(in_ns(namespace, [
        "tc", "qdisc", "replace", "dev", dev, "root", "tbf",
        "rate", f"{int(rate_bits_per_second)}bit",
        "burst", str(tbf_burst_bytes(rate_bits_per_second)),
        "latency", f"{latency_seconds * 1000:g}ms",
    ]))  # fmt: skip


def root_qdisc(namespace: str, dev: str) -> dict[str, object]:
    """``tc -s`` statistics of the root qdisc: ``kind``, ``bytes``, ``drops``, ``overlimits``..."""
    argv = ["tc", "-n", namespace, "-s", "-j", "qdisc", "show", "dev", dev]
    data: list[dict[str, object]] = json.loads(run(argv).stdout)
    return next(entry for entry in data if entry.get("root"))


def link_counters(namespace: str, dev: str) -> tuple[int, int]:
    """``(rx_bytes, tx_bytes)`` of ``dev`` in ``namespace``."""
    data = json.loads(run(["ip", "-n", namespace, "-j", "-s", "link", "show", "dev", dev]).stdout)
    stats = data[0]["stats64"]
    return int(stats["rx"]["bytes"]), int(stats["tx"]["bytes"])


def root_links() -> set[str]:
    """Interface names in the namespace of this process (to prove the testbed adds none)."""
    return {entry["ifname"] for entry in json.loads(run(["ip", "-j", "link", "show"]).stdout)}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner_pid(name: str) -> int | None:
    match = _OWNED_RE.match(name)
    return int(match["pid"]) if match else None


def cleanup_stale(temp_root: str | Path | None = None) -> list[str]:
    """Remove testbed namespaces and temporary directories whose owning process is gone.

    Returns the names removed. Namespaces of live processes (parallel runs) are left alone.
    """
    removed: list[str] = []
    for name in list_namespaces():
        pid = owner_pid(name)
        if pid is not None and not _pid_alive(pid):
            delete_namespace(name)
            removed.append(name)
    root = Path(temp_root) if temp_root is not None else Path(tempfile.gettempdir())
    for path in root.glob(f"{NAME_ROOT}-*"):
        pid = owner_pid(path.name)
        if pid is None or _pid_alive(pid) or not (path / MARKER_FILE).exists():
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(str(path))
    return removed


@functools.cache
def unavailable_reason() -> str | None:
    """Why the testbed cannot run here, or ``None`` when it can (checked once per process)."""
    if not sys.platform.startswith("linux"):
        return "the testbed needs Linux network namespaces"
    if os.geteuid() != 0:
        return "the testbed needs root (ip netns, tc); run the network tests as root"
    missing = [tool for tool in REQUIRED_TOOLS if tool_path(tool) is None]
    if missing:
        return f"missing tools: {', '.join(missing)} (tests/run installs them)"
    probe = f"{NAME_ROOT}-{os.getpid()}-{os.urandom(3).hex()}-probe"
    try:
        add_namespace(probe)
        add_veth(probe, "pa", probe, "pb")
        set_rate_limit(probe, "pa", 100e6)
    except CommandError as exc:
        return f"ip netns / veth / tc tbf unavailable: {exc}"
    finally:
        with contextlib.suppress(CommandError):
            if probe in list_namespaces():
                delete_namespace(probe)
    return None
