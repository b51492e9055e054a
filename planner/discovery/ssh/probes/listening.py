"""Listening TCP and UDP sockets with their processes (``ss -ltunp``, ``netstat`` fallback)."""

from __future__ import annotations

import re

from planner.discovery.ssh.facts import HostFacts, Socket
from planner.discovery.ssh.probes.base import (
    Probe,
    ProbeOutputError,
    evidence,
    sections,
    snippet,
    split_endpoint,
)
from planner.discovery.ssh.signals import HostSignals

_PROTOCOLS = {"tcp": "tcp", "tcp6": "tcp", "udp": "udp", "udp6": "udp"}
_STATES = {"LISTEN", "UNCONN", "ESTAB", "ESTABLISHED", "SYN-SENT", "SYN_SENT", "TIME_WAIT"}
_SS_USERS = re.compile(r'users:\(\("((?:[^"\\]|\\.)*)"')
_NETSTAT_PROGRAM = re.compile(r"^\d+/(.+)$")
_HEADERS = ("Netid", "State", "Recv-Q", "Proto", "Active")


def _is_endpoint(token: str) -> bool:
    _, sep, port = token.rpartition(":")
    return bool(sep) and (port.isdigit() or port == "*")


def parse_socket_line(line: str) -> tuple[Socket, str | None] | None:
    """One ``ss`` or ``netstat`` line -> (socket, state); None for headers and blank lines."""
    tokens = line.split()
    if not tokens or tokens[0].startswith(_HEADERS):
        return None
    protocol = _PROTOCOLS.get(tokens[0], "tcp")
    index = next(
        (
            i
            for i in range(len(tokens) - 1)
            if _is_endpoint(tokens[i]) and _is_endpoint(tokens[i + 1])
        ),
        None,
    )
    if index is None:
        raise ProbeOutputError(f"not a socket line: {snippet(line)}")
    local, remote = split_endpoint(tokens[index]), split_endpoint(tokens[index + 1])
    state = next((t for t in tokens if t in _STATES), None)
    rest = " ".join(tokens[index + 2 :])
    process = None
    users = _SS_USERS.search(rest)
    if users:
        process = users.group(1)
    else:
        trailing = [t for t in tokens[index + 2 :] if t not in _STATES]
        program = _NETSTAT_PROGRAM.match(" ".join(trailing))
        if program:
            words = program.group(1).split(":", 1)[0].split()
            process = words[0] if words else None
    if local[1] is None:
        raise ProbeOutputError(f"socket line without a local port: {snippet(line)}")
    socket = Socket(
        protocol="udp" if protocol == "udp" else "tcp",
        local_address=local[0],
        local_port=local[1],
        remote_address=remote[0],
        remote_port=remote[1],
        process=process,
    )
    return socket, state


def parse_sockets(lines: list[str]) -> list[tuple[Socket, str | None]]:
    """Every socket line; garbage (a line that is neither header nor socket) is an error."""
    parsed = []
    for line in lines:
        result = parse_socket_line(line)
        if result is not None:
            parsed.append(result)
    return parsed


def parse(output: str) -> list[Socket]:
    lines = sections(output, ("sockets",))["sockets"]
    sockets: list[Socket] = []
    for socket, _ in parse_sockets(lines):
        listening = socket.model_copy(update={"remote_address": None, "remote_port": None})
        if listening not in sockets:
            sockets.append(listening)
    return sockets


def contribute(value: list[Socket], signals: HostSignals) -> HostFacts:
    found = []
    for socket in value:
        service = signals.process_service(socket.process) if socket.process else None
        if service:
            detail = f"{socket.process} on {socket.protocol}/{socket.local_port}"
            found.append(evidence(service, f"process:{socket.process}", detail))
    return HostFacts(listening=value, evidence=found)


PROBE = Probe("listening", parse, contribute)
