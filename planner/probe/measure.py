"""Timed measurements over SSH for ``exitplan probe`` (runs only :mod:`.allowlist` commands).

How the SRC -> DST path is measured, honestly: a transfer in an exit runs *on* SRC (rsync over
ssh to DST), so the probe does the same. The operator's machine opens one SSH connection to SRC
and one to DST (paramiko, host keys checked against known_hosts). On SRC it runs
``head -c N /dev/zero | ssh DST 'wc -c'``: the bytes take the real path, through SRC's own ssh
client and cipher to DST's sshd, and ``wc -c`` on DST counts (and so checks) and discards them.
For SRC's ssh to log in to DST, the operator's ssh-agent is forwarded (``--forward-agent``: the
agent's key must be authorized on DST) or SRC uses a key of its own; DST's host key is the one
the operator verified, passed on the command line, so SRC checks it strictly and records nothing.

Start-up is separated from throughput by running the same sessions with ``N`` and with
``N / 4`` bytes (each the best of ``--repeats``): ``rate = 0.75 N x 8 / (t(N) - t(N / 4))``,
so the start-up (and sessions whose handshakes end at different times) cancel out. The session
start-up is one session sending 0 bytes, minus the operator's own channel overhead (timed with
``true``). ``k`` streams are ``k`` sessions started at once, each with ``N / k`` bytes. The
cipher speed of each side is measured the same way over the host's own loopback (its ssh
client to its own sshd on 127.0.0.1), which needs the forwarded agent; the round-trip time
SRC -> DST comes from ``ping`` on SRC. What cannot be measured is reported with the reason,
never guessed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import paramiko

from planner.discovery.ssh.config import Endpoint
from planner.discovery.ssh.runner import CommandFailed, CommandResult, RemoteHost
from planner.errors import ExitplanError
from planner.models.calibration import CipherRun, Gap, RoundTrip, Side, StreamRun
from planner.probe import allowlist
from planner.probe.derive import parse_ping

_SSH_FAILED = 255
_MISSING = {126, 127}
SMALL_PART = 4  # the second run of each measurement sends a quarter of the bytes


class ProbeFailed(ExitplanError):
    """A measurement the probe cannot do without (the SRC -> DST transfer itself)."""


@dataclass(frozen=True)
class Settings:
    size_bytes: int
    max_streams: int
    ciphers: tuple[str, ...]
    cipher_bytes: int
    stream_cipher: str | None
    source: str
    timeout_seconds: float
    ping_count: int = 10
    repeats: int = 2


@dataclass
class Host:
    """One connected end of the path."""

    side: Side
    server_id: str
    endpoint: Endpoint
    transport: paramiko.Transport
    remote: RemoteHost
    key: paramiko.PKey
    gaps: list[Gap] = field(default_factory=list)

    def peer(self, host: str | None = None) -> allowlist.Peer:
        """How another machine (or this one, over loopback) reaches this host's sshd."""
        return allowlist.Peer(
            host=host or self.endpoint.host,
            port=self.endpoint.port,
            user=self.endpoint.user,
            key_type=self.key.get_name(),
            key_base64=self.key.get_base64(),
        )


def run_at_once(
    host: Host, commands: list[str], timeout: float
) -> tuple[float, list[CommandResult]]:
    """Start ``commands`` together on ``host``; wall seconds until the last one ended."""
    count = len(commands)
    barrier = threading.Barrier(count + 1)
    results: list[CommandResult | None] = [None] * count
    ends = [0.0] * count
    errors: list[str] = []

    def one(index: int) -> None:
        barrier.wait()
        try:
            results[index] = host.remote.run(commands[index], timeout)
        except CommandFailed as exc:
            errors.append(exc.reason)
        ends[index] = time.monotonic()

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.monotonic()
    for thread in threads:
        thread.join()
    if errors:
        raise ProbeFailed(f"{host.side} {host.server_id}: {errors[0]}")
    return max(ends) - start, [r for r in results if r is not None]


def _check_counts(host: Host, results: list[CommandResult], shares: list[int], what: str) -> None:
    for result, expected in zip(results, shares, strict=True):
        if result.exit_status in _MISSING:
            raise ProbeFailed(f"{host.side} {host.server_id}: {what}: head, ssh or wc is missing")
        if result.exit_status == _SSH_FAILED:
            detail = (result.stderr.strip().splitlines() or ["ssh failed"])[-1][:300]
            raise ProbeFailed(f"{host.side} {host.server_id}: {what}: ssh failed: {detail}")
        words = result.stdout.split()
        counted = int(words[0]) if words and words[0].isdigit() else None
        if result.exit_status != 0 or counted != expected:
            raise ProbeFailed(
                f"{host.side} {host.server_id}: {what}: the peer counted {counted} bytes of "
                f"{expected} (exit status {result.exit_status})"
            )


def _sessions(
    host: Host, peer: allowlist.Peer, shares: list[int], cipher: str | None, s: Settings, what: str
) -> float:
    commands = [allowlist.stream_command(n, peer, cipher, s.source) for n in shares]
    seconds, results = run_at_once(host, commands, s.timeout_seconds)
    _check_counts(host, results, shares, what)
    return seconds


def _shares(size: int, streams: int) -> list[int]:
    return [size * (k + 1) // streams - size * k // streams for k in range(streams)]


def transfer(
    host: Host, peer: allowlist.Peer, size: int, streams: int, cipher: str | None, s: Settings
) -> tuple[float, float]:
    """Seconds of ``streams`` sessions at once sending ``size`` and ``size // 4`` bytes, each
    the best of ``repeats`` (other work on a host only ever slows a run down)."""
    what = f"{streams} stream(s) to {peer.host}"
    best = [float("inf"), float("inf")]
    for _ in range(s.repeats):
        for index, part in enumerate((size // SMALL_PART, size)):
            seconds = _sessions(host, peer, _shares(part, streams), cipher, s, what)
            best[index] = min(best[index], seconds)
    return best[1], best[0]


def rate(size: int, seconds: float, small_seconds: float) -> float | None:
    """Bytes per second of the data alone; None if the larger run was not slower."""
    if seconds <= small_seconds:
        return None
    return (size - size // SMALL_PART) / (seconds - small_seconds)


def rate_or_gap(
    gaps: list[Gap], what: str, size: int, seconds: float, small_seconds: float, flag: str
) -> float | None:
    """:func:`rate`; when it has none, a gap that asks for more bytes (option ``flag``)."""
    measured = rate(size, seconds, small_seconds)
    if measured is None:
        reason = f"{size} bytes went no slower than a quarter of them: use more {flag}"
        gaps.append(Gap(what=what, reason=reason))
    return measured


def session_setup(host: Host, peer: allowlist.Peer, s: Settings, overhead: float) -> float:
    """One session sending nothing (best of ``repeats``), less the operator's overhead."""
    what = f"a session to {peer.host}"
    empty = min(_sessions(host, peer, [0], s.stream_cipher, s, what) for _ in range(s.repeats))
    return max(0.0, empty - overhead)


def channel_overhead(host: Host, s: Settings) -> float:
    """Seconds the operator needs to run nothing on ``host`` (best of three)."""
    best = float("inf")
    for _ in range(3):
        seconds, _ = run_at_once(host, [allowlist.CHANNEL_CHECK], s.timeout_seconds)
        best = min(best, seconds)
    return best


def operator_round_trip(host: Host, samples: int = 5) -> float | None:
    """Operator -> host round trip: SSH global requests answered by the server (best of n)."""
    best: float | None = None
    for _ in range(samples):
        start = time.monotonic()
        try:
            host.transport.global_request("keepalive@openssh.com", wait=True)
        except (paramiko.SSHException, EOFError, OSError):
            return best
        elapsed = time.monotonic() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def streams(
    src: Host, dst_peer: allowlist.Peer, s: Settings, overhead: float
) -> tuple[list[StreamRun], float]:
    """Throughput SRC -> DST with 1..max_streams sessions, and one session's start-up."""
    setup = session_setup(src, dst_peer, s, overhead)
    runs: list[StreamRun] = []
    for count in range(1, s.max_streams + 1):
        full, small = transfer(src, dst_peer, s.size_bytes, count, s.stream_cipher, s)
        what = f"throughput with {count} stream(s)"
        measured = rate_or_gap(src.gaps, what, s.size_bytes, full, small, "--bytes")
        if measured is None:
            continue
        runs.append(
            StreamRun(
                streams=count,
                size_bytes=s.size_bytes,
                seconds=round(full, 4),
                small_size_bytes=s.size_bytes // SMALL_PART,
                small_seconds=round(small, 4),
                rate_bits_per_second=round(measured * 8),
            )
        )
    return runs, round(setup, 4)


def ciphers(host: Host, s: Settings) -> list[CipherRun]:
    """Cipher speed over the host's own loopback (its ssh client to its own sshd)."""
    runs: list[CipherRun] = []
    loopback = host.peer("127.0.0.1")
    for cipher in s.ciphers:
        what = f"cipher speed on {host.side} {host.server_id} ({cipher})"
        try:
            full, small = transfer(host, loopback, s.cipher_bytes, 1, cipher, s)
        except ProbeFailed as exc:
            host.gaps.append(
                Gap(
                    what=what,
                    reason=f"{exc}. Measuring it needs ssh from the host to itself: "
                    "--forward-agent with a key the host accepts, and sshd on 127.0.0.1",
                )
            )
            break  # the same reason holds for the other ciphers
        measured = rate_or_gap(host.gaps, what, s.cipher_bytes, full, small, "--cipher-bytes")
        if measured is not None:
            runs.append(
                CipherRun(
                    side=host.side,
                    cipher=cipher,
                    size_bytes=s.cipher_bytes,
                    seconds=round(full, 4),
                    small_size_bytes=s.cipher_bytes // SMALL_PART,
                    small_seconds=round(small, 4),
                    bytes_per_second=round(measured),
                )
            )
    return runs


def round_trip(src: Host, address: str, s: Settings) -> RoundTrip | None:
    """``ping`` from SRC to DST; None (and a gap) if ping is missing or gets no reply."""
    command = allowlist.ping_command(address, s.ping_count)
    try:
        result = src.remote.run(command, s.timeout_seconds)
    except CommandFailed as exc:
        reason = exc.reason
    else:
        measured = parse_ping(result.stdout, address)
        if measured is not None:
            return measured
        if result.exit_status in _MISSING:
            reason = "ping is not installed on SRC"
        else:
            detail = (result.stderr.strip() or result.stdout.strip()).splitlines()[-1:]
            reason = f"no reply (exit status {result.exit_status}: {' '.join(detail)[:200]})"
    src.gaps.append(
        Gap(
            what="round-trip time SRC -> DST",
            reason=f"{reason}; the plan keeps its assumed RTT (or pass --rtt)",
        )
    )
    return None
