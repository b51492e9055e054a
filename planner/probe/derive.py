"""From raw probe measurements to the values the planner uses (pure: no I/O, no clock).

- :func:`parse_ping` reads the summary line of iputils or BusyBox ``ping``.
- :func:`nominal_path` finds the path's nominal rate in the inventory (the SRC server's
  bandwidth, links it belongs to, DST's bandwidth): the efficiency is measured against it.
- :func:`summarize` fills the ``calibrated`` block and lists what could not be derived.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping

from planner.models import Inventory
from planner.models.calibration import Calibrated, CipherRun, Gap, RoundTrip, StreamRun
from planner.models.seeds import AwsInstanceType
from planner.units import format_rate

SCALING = 1.5
"""Two streams at least this many times one stream's rate: each stream has its own limit."""
SATURATED = 0.9
"""Runs within this fraction of the best one saturated the path; their median is its rate."""

_RTT_RE = re.compile(
    r"(?:rtt|round-trip) min/avg/max(?:/mdev)? = "
    r"(?P<min>[\d.]+)/(?P<avg>[\d.]+)/(?P<max>[\d.]+)(?:/[\d.]+)? ms"
)
_RECEIVED_RE = re.compile(r"(?P<n>\d+) (?:packets )?received")


def parse_ping(output: str, address: str) -> RoundTrip | None:
    """The RTT summary of ``ping -q``; None if no reply came back."""
    match = _RTT_RE.search(output)
    received = _RECEIVED_RE.search(output)
    if match is None or received is None or int(received["n"]) == 0:
        return None
    return RoundTrip(
        method=f"ping from SRC to {address}",
        samples=int(received["n"]),
        min_seconds=round(float(match["min"]) / 1000, 9),
        avg_seconds=round(float(match["avg"]) / 1000, 9),
        max_seconds=round(float(match["max"]) / 1000, 9),
    )


def _server_rate(
    inventory: Inventory, server_id: str, catalog: Mapping[str, AwsInstanceType]
) -> tuple[float, str] | None:
    server = next((s for s in inventory.servers if s.id == server_id), None)
    if server is None:
        return None
    if server.network.baseline_bits_per_second:
        return server.network.baseline_bits_per_second, f"servers[{server_id}].network.baseline"
    spec = catalog.get(server.instance_type or "")
    if spec is not None and spec.baseline_gbps:
        return spec.baseline_gbps * 1e9, f"{server.instance_type} baseline (AWS catalog)"
    return None


def nominal_path(
    inventory: Inventory,
    src_id: str,
    dst_id: str,
    catalog: Mapping[str, AwsInstanceType] | None = None,
) -> tuple[float, str] | None:
    """The smallest nominal rate on SRC -> DST known to the inventory, and where it is from."""
    catalog = catalog or {}
    found: list[tuple[float, str]] = []
    for server_id in (src_id, dst_id):
        rate = _server_rate(inventory, server_id, catalog)
        if rate is not None:
            found.append(rate)
    for link in inventory.links:
        if any(member.id == src_id for member in inventory.link_members(link)):
            found.append((link.capacity_bits_per_second, f"link {link.name}"))
    return min(found, key=lambda f: f[0]) if found else None


def path_rate(streams: list[StreamRun]) -> float | None:
    """The rate the path carries: the median of the runs that came close to the best one."""
    if not streams:
        return None
    top = max(run.rate_bits_per_second for run in streams)
    return statistics.median(
        run.rate_bits_per_second for run in streams if run.rate_bits_per_second >= SATURATED * top
    )


def summarize(
    streams: list[StreamRun],
    round_trip: RoundTrip | None,
    ciphers: list[CipherRun],
    session_setup_seconds: float | None,
    nominal: tuple[float, str] | None,
) -> tuple[Calibrated, list[Gap]]:
    """The ``calibrated`` block, and the values that could not be derived (with why)."""
    gaps: list[Gap] = []
    best = path_rate(streams)
    efficiency: float | None = None
    if best is not None and nominal is None:
        gaps.append(
            Gap(
                what="efficiency",
                reason="no nominal rate for the path in the inventory (give SRC a "
                "network.baseline, a link, or pass --nominal): the plan keeps its assumed "
                "efficiency",
            )
        )
    elif best is not None and nominal is not None:
        if best <= nominal[0]:
            efficiency = round(best / nominal[0], 4)
        else:
            gaps.append(
                Gap(
                    what="efficiency",
                    reason=f"the path carried {format_rate(best)}, more than its nominal "
                    f"{format_rate(nominal[0])} ({nominal[1]}): check the inventory",
                )
            )
    by_count = {run.streams: run.rate_bits_per_second for run in streams}
    per_stream: float | None = None
    if 1 in by_count and 2 in by_count and by_count[2] >= SCALING * by_count[1]:
        per_stream = by_count[1]
    rates: dict[str, float] = {}
    for run in ciphers:
        rates[run.cipher] = min(rates.get(run.cipher, run.bytes_per_second), run.bytes_per_second)
    calibrated = Calibrated(
        efficiency=efficiency,
        nominal_bits_per_second=nominal[0] if nominal else None,
        nominal_source=nominal[1] if nominal else None,
        rtt_seconds=round_trip.avg_seconds if round_trip and round_trip.avg_seconds > 0 else None,
        session_setup_seconds=session_setup_seconds,
        per_stream_bits_per_second=per_stream,
        cipher_bytes_per_second=rates,
    )
    return calibrated, gaps
