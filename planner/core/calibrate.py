"""Measured values in place of assumed ones: the seeds, corrected by an ``exitplan probe`` file.

:func:`resolve_measured` turns the seeds (and the calibration they may carry) into the few
numbers the rate model needs: the payload efficiency of a nominal rate, the per-core cipher
speed, the fixed start-up of a session and how many round trips it waits, a per-stream limit and
the probed path. :func:`session_seconds` is the start-up of one host's copy: the fixed part, the
handshake round trips and TCP slow start up to the host's per-stream rate. Pure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from planner.models.transfer_seeds import TransferSeeds


@dataclass(frozen=True, slots=True)
class Measured:
    """Seed values with the calibration applied (``calibrated_*`` say which ones it replaced)."""

    efficiency: float
    cipher_rates: dict[str, float]
    setup_seconds: float
    handshake_round_trips: int
    rtt_seconds: float | None
    per_stream_bits_per_second: float | None
    probed_host: str | None
    probed_runs: tuple[tuple[int, float], ...]
    calibrated: frozenset[str]


def default_efficiency(seeds: TransferSeeds) -> float:
    """Payload per nominal bit without a probe: Ethernet x protocol x transfer efficiency."""
    net = seeds.network
    return (
        net.ethernet_goodput.fraction
        * net.protocol_efficiency.fraction
        * net.transfer_efficiency.fraction
    )


def resolve_measured(seeds: TransferSeeds) -> Measured:
    """The seeds' values, replaced by the calibration's wherever it measured them."""
    tools = seeds.tools
    rates = dict(tools.ciphers.per_core)
    applied = seeds.calibration
    if applied is None:
        return Measured(
            efficiency=default_efficiency(seeds),
            cipher_rates=rates,
            setup_seconds=tools.session_setup.rsync_seconds,
            handshake_round_trips=tools.handshake.round_trips,
            rtt_seconds=None,
            per_stream_bits_per_second=None,
            probed_host=None,
            probed_runs=(),
            calibrated=frozenset(),
        )
    cal = applied.calibration.calibrated
    used: set[str] = set()
    efficiency = default_efficiency(seeds)
    if cal.efficiency is not None:
        efficiency = cal.efficiency
        used.add("efficiency")
    if cal.cipher_bytes_per_second:
        rates.update(cal.cipher_bytes_per_second)
        used.add("cipher")
    setup = tools.session_setup.rsync_seconds
    round_trips = tools.handshake.round_trips
    if cal.session_setup_seconds is not None:
        # measured: an ssh session on the real path (its round trips included) + rsync's start
        setup = cal.session_setup_seconds + max(
            0.0, tools.session_setup.rsync_seconds - tools.session_setup.ssh_seconds
        )
        round_trips = 0
        used.add("setup")
    if cal.rtt_seconds is not None:
        used.add("rtt")
    if cal.per_stream_bits_per_second is not None:
        used.add("per-stream")
    runs = tuple(
        (run.streams, run.rate_bits_per_second)
        for run in sorted(applied.calibration.streams, key=lambda r: r.streams)
    )
    if runs:
        used.add("path")
    return Measured(
        efficiency=efficiency,
        cipher_rates=rates,
        setup_seconds=setup,
        handshake_round_trips=round_trips,
        rtt_seconds=cal.rtt_seconds,
        per_stream_bits_per_second=cal.per_stream_bits_per_second,
        probed_host=applied.calibration.provenance.src.id if runs else None,
        probed_runs=runs,
        calibrated=frozenset(used),
    )


def probed_rate(runs: tuple[tuple[int, float], ...], streams: int) -> float | None:
    """The probed rate with the most streams not above ``streams`` (None: none that few)."""
    fitting = [rate for count, rate in runs if count <= streams]
    return fitting[-1] if fitting else None


def slow_start_seconds(
    rtt_seconds: float, per_stream_bits_per_second: float, mss: int, initial_segments: int
) -> float:
    """Time lost while TCP's window doubles from ``initial_segments`` to the stream's rate.

    Reaching a window of ``rate x RTT`` takes ``n = log2(window / (IW x MSS))`` round trips;
    the doubling moves about one window in total, so about ``n - 1`` round trips are lost.
    """
    if (
        rtt_seconds <= 0
        or per_stream_bits_per_second <= 0
        or not math.isfinite(per_stream_bits_per_second)
    ):
        return 0.0
    window_bytes = per_stream_bits_per_second * rtt_seconds / 8
    doublings = math.log2(max(1.0, window_bytes / (initial_segments * mss)))
    return max(0.0, doublings - 1) * rtt_seconds


def session_seconds(
    setup_seconds: float,
    handshake_round_trips: int,
    rtt_seconds: float,
    per_stream_bits_per_second: float,
    mss: int,
    initial_segments: int,
) -> float:
    """Start-up of one host's copy: fixed set-up, handshake round trips and slow start."""
    ramp = slow_start_seconds(rtt_seconds, per_stream_bits_per_second, mss, initial_segments)
    return setup_seconds + handshake_round_trips * rtt_seconds + ramp
