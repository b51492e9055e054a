"""The probe contract (a pyinfra-style fact): one allow-listed command and pure functions.

A probe module defines ``PROBE = Probe(name, parse, contribute)``. ``name`` is both the module
name and the key of its command in :data:`planner.discovery.ssh.allowlist.COMMANDS`, so a probe
cannot run anything that is not allow-listed. ``parse(output) -> value`` turns the command's
stdout into a typed value and raises :class:`ProbeOutputError` on output it does not recognise;
``contribute(value, signals) -> HostFacts`` turns the value into (partial) host facts.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from planner.discovery.ssh.allowlist import COMMANDS
from planner.discovery.ssh.facts import HostFacts
from planner.discovery.ssh.signals import HostSignals
from planner.models import LockinEvidence

T = TypeVar("T")

_MARKER = re.compile(r"^@@exitplan:([\w.-]+)@@\s*$")


class ProbeOutputError(ValueError):
    """A command ran but printed something its parser does not recognise."""


@dataclass(frozen=True)
class Probe(Generic[T]):
    name: str
    parse: Callable[[str], T]
    contribute: Callable[[T, HostSignals], HostFacts]
    sampled: bool = False
    """True for probes the host runner schedules itself (two samples, not one run)."""

    @property
    def command(self) -> str:
        return COMMANDS[self.name]


def snippet(text: str, limit: int = 60) -> str:
    """A short, printable excerpt of unexpected output for an error message."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return repr(first[:limit] + ("..." if len(first) > limit else ""))


def sections(text: str, names: Sequence[str]) -> dict[str, list[str]]:
    """Split marked output into ``{section: lines}``; every marker in ``names`` must appear.

    Lines before the first marker (noise from a login script) are ignored.
    """
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        match = _MARKER.match(line)
        if match:
            current = found.setdefault(match.group(1), [])
        elif current is not None:
            current.append(line.rstrip("\r"))
    missing = [name for name in names if name not in found]
    if missing:
        if not found:
            raise ProbeOutputError(f"not the expected command output (first line: {snippet(text)})")
        raise ProbeOutputError(f"output lacks the section(s) {', '.join(missing)}")
    return found


def to_int(text: str) -> int | None:
    """An integer, or None for ``-`` and other non-numbers."""
    try:
        return int(text)
    except ValueError:
        return None


def normalize_address(text: str | None) -> str | None:
    """Canonical IP text: brackets, zone ids (``%lo``) and IPv4-mapped prefixes removed.

    Wildcards (``*``, ``0.0.0.0``, ``::``) become None: "any address".
    """
    if text is None:
        return None
    value = text.strip().split("%", 1)[0].strip("[]")
    if value in {"", "*", "0.0.0.0", "::"}:
        return None
    try:
        parsed = ipaddress.ip_address(value)
    except ValueError:
        return value
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(parsed)


def split_endpoint(text: str) -> tuple[str | None, int | None]:
    """``10.0.0.1:22``, ``[::1]:22``, ``:::22``, ``*:80`` -> (address or None, port or None)."""
    host, sep, port = text.rpartition(":")
    if not sep:
        return None, None
    number = to_int(port) if port != "*" else None
    return normalize_address(host), number


def is_loopback(address: str | None) -> bool:
    if address is None:
        return False
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return address == "localhost"


def evidence(
    service: str,
    signal: str,
    detail: str | None = None,
    path: str | None = None,
    line: int | None = None,
) -> LockinEvidence:
    """A :class:`LockinEvidence` found over SSH."""
    return LockinEvidence(
        service=service, signal=signal, origin="ssh", detail=detail, path=path, line=line
    )
