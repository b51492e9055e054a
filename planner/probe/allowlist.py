"""Every command ``exitplan probe`` may run on a host, and nothing else.

The probe needs parameters (a byte count, the peer's address and host key), so its allow-list is
a small set of templates rather than fixed strings: :func:`is_allowed` accepts a command only if
it matches a template *and* rebuilding it from the parsed values with the strict builders gives
back exactly the same string. The runner (:class:`planner.discovery.ssh.runner.RemoteHost`)
checks that before it opens a channel; ``tests/probe/test_probe_allowlist.py`` proves each
template only reads.

What the templates do, on the host they run on:

- ``true``: nothing (times the channel itself).
- ``head -c N SOURCE | ssh ... PEER 'wc -c'``: reads ``N`` bytes of ``/dev/zero`` (or of an
  existing file) and streams them over ssh to the peer, where ``wc -c`` counts and discards
  them. The ssh client runs with ``-F /dev/null`` (no config: OpenSSH then does not create
  ``~/.ssh`` either), ``BatchMode``, no agent or X11 forwarding onwards, strict host key checking
  against exactly one key given on the command line (``KnownHostsCommand=/bin/echo ...``, which
  prints it) and ``UserKnownHostsFile=/dev/null``, so nothing is recorded anywhere.
- ``ping -n -q -c K -i 0.2 -W 2 PEER``: round-trip times to the peer.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Final

CHANNEL_CHECK: Final = "true"
PEER_ALIAS: Final = "exitplan-probe-peer"
SSH_OPTIONS: Final = (
    "-F /dev/null -a -x -T -o BatchMode=yes -o StrictHostKeyChecking=yes "
    "-o UserKnownHostsFile=/dev/null -o GlobalKnownHostsFile=/dev/null -o UpdateHostKeys=no "
    f"-o LogLevel=ERROR -o ConnectTimeout=15 -o HostKeyAlias={PEER_ALIAS}"
)
KEY_TYPES: Final = frozenset(
    {
        "ssh-ed25519",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "ssh-rsa",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    }
)
CIPHERS: Final = frozenset(
    {
        "aes128-gcm@openssh.com",
        "aes256-gcm@openssh.com",
        "chacha20-poly1305@openssh.com",
        "aes128-ctr",
        "aes192-ctr",
        "aes256-ctr",
    }
)
MAX_BYTES: Final = 10**13
MAX_PINGS: Final = 100

_KEY_RE = re.compile(r"[A-Za-z0-9+/]{16,8192}={0,2}")
_USER_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_NAME_RE = re.compile(rf"(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*")
_PATH_RE = re.compile(r"/[A-Za-z0-9._+/-]{1,4095}")


class NotAllowed(ValueError):
    """A parameter that would not give an allow-listed command (a programming or input error)."""


@dataclass(frozen=True)
class Peer:
    """Where the probe's ssh goes, and the one host key it accepts there."""

    host: str
    port: int
    user: str
    key_type: str
    key_base64: str


def check_host(host: str) -> str:
    """An IP address or a DNS name (never an option, never shell syntax)."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not _NAME_RE.fullmatch(host):
        raise NotAllowed(f"not an address or host name: {host[:80]!r}")
    return host


def _check_peer(peer: Peer) -> None:
    if check_host(peer.host) != peer.host:
        raise NotAllowed(f"address not in canonical form: {peer.host!r}")
    if not 1 <= peer.port <= 65535:
        raise NotAllowed(f"invalid port {peer.port}")
    if not _USER_RE.fullmatch(peer.user):
        raise NotAllowed(f"invalid user name {peer.user[:40]!r}")
    if peer.key_type not in KEY_TYPES:
        raise NotAllowed(f"unknown host key type {peer.key_type[:40]!r}")
    if not _KEY_RE.fullmatch(peer.key_base64):
        raise NotAllowed("host key is not base64")


def check_source(path: str) -> str:
    """``/dev/zero`` or an absolute path of plain characters (read with ``head``)."""
    if not _PATH_RE.fullmatch(path) or "/../" in path + "/" or "//" in path:
        raise NotAllowed(f"invalid source file {path[:80]!r}: an absolute, plain path")
    return path


def stream_command(
    size_bytes: int, peer: Peer, cipher: str | None = None, source: str = "/dev/zero"
) -> str:
    """Stream ``size_bytes`` of ``source`` over ssh to ``peer``, which counts and discards."""
    if isinstance(size_bytes, bool) or not 0 <= size_bytes <= MAX_BYTES:
        raise NotAllowed(f"byte count out of range: {size_bytes!r}")
    _check_peer(peer)
    check_source(source)
    if cipher is not None and cipher not in CIPHERS:
        raise NotAllowed(f"unknown cipher {cipher[:40]!r}")
    known = f"/bin/echo {PEER_ALIAS} {peer.key_type} {peer.key_base64}"
    parts = [
        f"head -c {size_bytes} {source} | ssh {SSH_OPTIONS} -o 'KnownHostsCommand={known}'",
        f"-c {cipher}" if cipher else "",
        f"-p {peer.port} -l {peer.user} {peer.host} 'wc -c'",
    ]
    return " ".join(part for part in parts if part)


def ping_command(host: str, count: int) -> str:
    """``count`` pings to ``host``, summary only."""
    if isinstance(count, bool) or not 1 <= count <= MAX_PINGS:
        raise NotAllowed(f"ping count out of range: {count!r}")
    if check_host(host) != host:
        raise NotAllowed(f"address not in canonical form: {host!r}")
    return f"ping -n -q -c {count} -i 0.2 -W 2 {host}"


_ARG = r"[^\s']+"
_STREAM_RE = re.compile(
    rf"head -c (?P<size>\d{{1,14}}) (?P<source>{_ARG}) \| ssh {re.escape(SSH_OPTIONS)} "
    rf"-o 'KnownHostsCommand=/bin/echo {PEER_ALIAS} (?P<key_type>{_ARG}) (?P<key>{_ARG})'"
    rf"(?: -c (?P<cipher>{_ARG}))? -p (?P<port>\d{{1,5}}) -l (?P<user>{_ARG}) "
    rf"(?P<host>{_ARG}) 'wc -c'"
)
_PING_RE = re.compile(rf"ping -n -q -c (?P<count>\d{{1,3}}) -i 0\.2 -W 2 (?P<host>{_ARG})")


def _rebuilt(command: str) -> str | None:
    if command == CHANNEL_CHECK:
        return command
    match = _STREAM_RE.fullmatch(command)
    if match is not None:
        peer = Peer(
            host=match["host"],
            port=int(match["port"]),
            user=match["user"],
            key_type=match["key_type"],
            key_base64=match["key"],
        )
        return stream_command(int(match["size"]), peer, match["cipher"], match["source"])
    match = _PING_RE.fullmatch(command)
    if match is not None:
        return ping_command(match["host"], int(match["count"]))
    return None


def is_allowed(command: str) -> bool:
    """True only for a command the builders above produce, exactly."""
    try:
        return _rebuilt(command) == command
    except NotAllowed:
        return False
