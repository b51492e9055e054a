"""Established TCP connections (``ss -tnp state established``, ``netstat`` fallback).

The enrichment turns connections to other inventory hosts into dependency edges and keeps the
rest as :class:`planner.models.Connection` records; a connection to the instance metadata
service is lock-in evidence here already.
"""

from __future__ import annotations

from planner.discovery.ssh.facts import HostFacts, Socket
from planner.discovery.ssh.probes.base import Probe, evidence, sections
from planner.discovery.ssh.probes.listening import parse_sockets
from planner.discovery.ssh.signals import HostSignals

MAX_CONNECTIONS = 5000
"""Connections kept per host (a busy front end has many thousands of client connections)."""


def parse(output: str) -> list[Socket]:
    lines = sections(output, ("sockets",))["sockets"]
    found: list[Socket] = []
    seen: set[tuple[object, ...]] = set()
    for socket, state in parse_sockets(lines):
        if state not in (None, "ESTAB", "ESTABLISHED") or socket.remote_port is None:
            continue
        key = (
            socket.local_address,
            socket.local_port,
            socket.remote_address,
            socket.remote_port,
        )
        if key not in seen:
            seen.add(key)
            found.append(socket)
    return found


def contribute(value: list[Socket], signals: HostSignals) -> HostFacts:
    found = {}
    for socket in value:
        signal = signals.address_signal(socket.remote_address or "")
        if signal is not None and signal.signal not in found:
            who = socket.process or "a process"
            host = socket.remote_address or ""
            where = f"[{host}]" if ":" in host else host
            detail = f"{who} connected to {where}:{socket.remote_port}"
            found[signal.signal] = evidence(signal.service, f"connection:{signal.signal}", detail)
    return HostFacts(connections=value[:MAX_CONNECTIONS], evidence=list(found.values()))


PROBE = Probe("connections", parse, contribute)
