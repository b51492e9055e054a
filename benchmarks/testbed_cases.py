"""The measurements behind ``benchmarks.testbed_transfer``: each function runs real transfers
in a running testbed and returns seed records.

Network-bound figures (rates through tbf) are medians over ``repeats`` runs. CPU-bound figures
(session set-up, per-file costs, cipher speed) are the best of ``repeats`` runs, because other
work on a shared machine only ever makes them slower.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import time
from pathlib import Path

from planner.models.testbed_measurements import (
    CipherThroughput,
    LinkEfficiency,
    ParallelStreams,
    PerFileCost,
    RampUp,
    RampUpPoint,
    SessionSetup,
    SharedUplink,
)
from tests.testbed import Testbed, TransferJob, TransferResult, aggregate_rate_bits_per_second
from tests.testbed.sampling import CounterSampler

MBIT = 1e6
MB = 1_000_000
CIPHERS = (
    "aes128-gcm@openssh.com",
    "aes256-gcm@openssh.com",
    "chacha20-poly1305@openssh.com",
    "aes128-ctr",
)


def sig(value: float, digits: int = 4) -> float:
    """Round to ``digits`` significant digits (seed files stay readable)."""
    return float(f"{value:.{digits}g}")


def _timed(bed: Testbed, src: str, dst: str, path: Path, tool: str) -> tuple[TransferResult, float]:
    """One transfer with the source's eth0 sampled; returns it and its steady payload rate."""
    sampler = bed.sample(src)
    with sampler:
        result = bed.measure_transfer(src, dst, path, tool=tool)
    wire = result.interface_bytes or result.payload_bytes
    return result, sampler.window_rate() * result.payload_bytes / wire


def link_efficiency(
    bed: Testbed, hosts: dict[float, str], dst: str, repeats: int, seconds: float = 3.0
) -> list[LinkEfficiency]:
    rows = []
    for rate, host in hosts.items():
        size = int(rate / 8 * seconds)
        path = bed.make_files(host, "big", 1, size)
        for tool in ("rsync", "ssh-cat"):
            runs = [_timed(bed, host, dst, path, tool) for _ in range(repeats)]
            secs = statistics.median(r.seconds for r, _ in runs)
            steady = statistics.median(s for _, s in runs)
            rows.append(
                LinkEfficiency(
                    tool=tool,
                    configured_rate_bits_per_second=rate,
                    size_bytes=size,
                    runs=repeats,
                    seconds=sig(secs),
                    end_to_end_efficiency=sig(size * 8 / secs / rate),
                    steady_efficiency=sig(steady / rate),
                )
            )
    return rows


def session_setup(bed: Testbed, src: str, dst: str, repeats: int) -> list[SessionSetup]:
    empty = bed.make_files(src, "empty", 1, 0)
    rows = []
    for tool in ("rsync", "ssh-cat"):
        secs = [bed.measure_transfer(src, dst, empty, tool=tool).seconds for _ in range(repeats)]
        rows.append(SessionSetup(tool=tool, runs=repeats, seconds=sig(min(secs))))
    plain = []
    for _ in range(repeats):
        start = time.monotonic()
        bed.ssh(src, dst, "true")
        plain.append(time.monotonic() - start)
    rows.append(SessionSetup(tool="ssh", runs=repeats, seconds=sig(min(plain))))
    return rows


def _ping_rtt(bed: Testbed, src: str, dst: str, count: int) -> subprocess.Popen[str] | None:
    argv = ["ping", "-n", "-q", "-c", str(count), "-i", "0.05", bed.host(dst).address]
    try:
        return subprocess.Popen(bed.command(src, argv), stdout=subprocess.PIPE, text=True)
    except FileNotFoundError:
        return None


def _rtt_seconds(process: subprocess.Popen[str] | None) -> float | None:
    if process is None:
        return None
    out, _ = process.communicate(timeout=60)
    match = re.search(r"= [\d.]+/([\d.]+)/", out)
    return sig(float(match[1]) / 1000) if match else None


def _time_to_90_percent(samples: list[tuple[float, int]], steady_bits: float) -> float:
    """Seconds from the first byte on the wire until a 100 ms window reaches 90 % of steady."""
    base = samples[0][1]
    moving = [s for s in samples if s[1] - base > 10_000]
    if not moving:
        return 0.0
    t0 = moving[0][0]
    for i, (t, b) in enumerate(samples):
        later = [s for s in samples[i + 1 :] if s[0] - t >= 0.1]
        if t >= t0 and later:
            t2, b2 = later[0]
            if (b2 - b) * 8 / (t2 - t) >= 0.9 * steady_bits:
                return max(0.0, t - t0)
    return samples[-1][0] - t0


def ramp_up(bed: Testbed, src: str, dst: str, rate: float, sizes: list[int]) -> RampUp:
    rtt_idle = _rtt_seconds(_ping_rtt(bed, src, dst, 10))
    points = []
    for size in sizes:
        path = bed.make_files(src, f"ramp{size}", 1, size)
        result = bed.measure_transfer(src, dst, path, tool="rsync")
        points.append(
            RampUpPoint(
                tool="rsync",
                configured_rate_bits_per_second=rate,
                size_bytes=size,
                seconds=sig(result.seconds),
                end_to_end_efficiency=sig(size * 8 / result.seconds / rate),
            )
        )
    xs, ys = [p.size_bytes * 8 for p in points], [p.seconds for p in points]
    slope, intercept = statistics.linear_regression(xs, ys)
    biggest = bed.host(src).data_dir / f"ramp{sizes[-1]}"
    pinger = _ping_rtt(bed, src, dst, 40)
    with CounterSampler(bed.host(src).namespace, "eth0", interval=0.01) as sampler:
        bed.measure_transfer(src, dst, biggest, tool="rsync")
    rtt_loaded = _rtt_seconds(pinger)
    steady = sampler.window_rate()
    return RampUp(
        points=points,
        fitted_fixed_seconds=sig(max(intercept, 0.0)),
        fitted_rate_bits_per_second=sig(1 / slope),
        seconds_to_90_percent_of_steady_rate=sig(_time_to_90_percent(sampler.samples, steady)),
        rtt_idle_seconds=rtt_idle,
        rtt_loaded_seconds=rtt_loaded,
    )


def _best_seconds(
    bed: Testbed, src: str, dst: str, path: Path, repeats: int, streams: int = 1, fresh: bool = True
) -> float:
    """Fastest of ``repeats`` runs: other work on a shared machine only ever adds time."""
    return min(
        bed.measure_transfer(src, dst, path, streams=streams, fresh=fresh).seconds
        for _ in range(repeats)
    )


def per_file(
    bed: Testbed,
    src: str,
    dst: str,
    rate: float | None,
    datasets: list[tuple[int, int]],
    repeats: int,
) -> list[PerFileCost]:
    """rsync of ``count`` files of ``size`` against one file of the same total bytes.

    ``per_file_seconds = (seconds - baseline_seconds) / (count - 1)``, both the best of
    ``repeats`` runs: set-up and the bytes cancel out. Cases: first copy with 1 and (for
    ≥ 1000 files) 4 streams; a rescan, i.e. rsync over an up-to-date copy (the baseline is
    then a rescan of the single file).
    """
    rows = []
    for count, size in datasets:
        one = bed.make_files(src, f"one{count * size}", 1, count * size)
        many = bed.make_files(src, f"many{count}x{size}", count, size)
        base = {True: _best_seconds(bed, src, dst, one, repeats)}
        base[False] = _best_seconds(bed, src, dst, one, repeats, fresh=False)
        cases = [("first_copy", 1, True), ("rescan", 1, False)]
        if count >= 1000:
            cases.insert(1, ("first_copy", 4, True))
        for kind, streams, fresh in cases:
            if not fresh:
                bed.measure_transfer(src, dst, many)  # the up-to-date copy to rescan
            secs = _best_seconds(bed, src, dst, many, repeats, streams, fresh)
            rows.append(
                PerFileCost(
                    tool="rsync",
                    kind=kind,
                    files=count,
                    file_size_bytes=size,
                    link_rate_bits_per_second=rate,
                    streams=streams,
                    runs=repeats,
                    seconds=sig(secs),
                    baseline_seconds=sig(base[fresh]),
                    per_file_seconds=sig((secs - base[fresh]) / (count - 1)),
                )
            )
    return rows


def ciphers(bed: Testbed, host: str, size: int, repeats: int) -> list[CipherThroughput]:
    rows = []
    cases = [(c, 1) for c in CIPHERS] + [(CIPHERS[0], 2), (CIPHERS[2], 2)]
    for cipher, streams in cases:
        rates = [
            bed.measure_stream(host, f"{host}-lo", size, streams, cipher).rate_bits_per_second / 8
            for _ in range(repeats)
        ]
        rows.append(
            CipherThroughput(
                cipher=cipher,
                streams=streams,
                size_bytes=size,
                runs=repeats,
                bytes_per_second=sig(max(rates)),
            )
        )
    return rows


def parallel_streams(
    bed: Testbed, cases: list[tuple[str, float | None, int]], dst: str, counts: list[int]
) -> list[ParallelStreams]:
    """``cases``: (host, its port rate or None, bytes to send): ssh-cat over 1..N streams."""
    rows = []
    for host, rate, size in cases:
        path = bed.make_files(host, f"par{size}", 1, size)
        for streams in counts:
            result = bed.measure_transfer(host, dst, path, tool="ssh-cat", streams=streams)
            rows.append(
                ParallelStreams(
                    tool="ssh-cat",
                    link_rate_bits_per_second=rate,
                    streams=streams,
                    size_bytes=size,
                    seconds=sig(result.seconds),
                    rate_bits_per_second=sig(result.rate_bits_per_second),
                )
            )
    return rows


def shared_uplink(
    bed: Testbed, hosts: list[str], port: float, uplink: float, dst: str, size: int
) -> SharedUplink:
    jobs = [TransferJob(h, dst, bed.make_files(h, f"up{size}", 1, size)) for h in hosts]
    with bed.sample("router", "uplink") as sampler:
        results = bed.measure_transfers(jobs)
    wire = sum(r.interface_bytes or r.payload_bytes for r in results)
    payload = sum(r.payload_bytes for r in results)
    wall = max(r.end_monotonic for r in results) - min(r.start_monotonic for r in results)
    host_rates = [r.rate_bits_per_second for r in results]
    return SharedUplink(
        tool="rsync",
        hosts=len(hosts),
        port_rate_bits_per_second=port,
        uplink_rate_bits_per_second=uplink,
        size_bytes_per_host=size,
        seconds=sig(wall),
        aggregate_rate_bits_per_second=sig(aggregate_rate_bits_per_second(results)),
        steady_aggregate_rate_bits_per_second=sig(sampler.window_rate() * payload / wire),
        host_rate_min_bits_per_second=sig(min(host_rates)),
        host_rate_max_bits_per_second=sig(max(host_rates)),
    )


__all__ = ["CIPHERS", "MB", "MBIT", "sig"]
