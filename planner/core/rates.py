"""Per-host achievable rate: the minimum over named constraints, each from seed data.

A server's bulk copy (rsync over SSH, ``streams`` in parallel) is limited by its EBS volumes, the
instance's EBS-optimized limit, its sustained network bandwidth, AWS's internet-gateway cap and
single-flow limit, the SSH channel window and TCP loss (Mathis) per stream, cipher speed per core,
the per-file cost of many small files, and the target server's port; with a calibration file
also by what ``exitplan probe`` measured (``probed-path`` for the probed host, a per-stream limit
for all). Every rate here is bits per second of *source* payload: with compression, network-side
limits carry more source bytes. Unknown inputs (``None``) drop their constraint and are
reported, never treated as zero. The per-file cost is a rate too: rsync pipelines its per-file
work with the byte stream (the accuracy benchmark shows 5,000 files of 8 KB taking no longer
than their bytes on a 200 Mbit/s port), so the slower of the two sets the time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from planner.core.calibrate import Measured, probed_rate
from planner.models import DataStore, Server, Volume
from planner.models.plan import HostOverride
from planner.models.seeds import AwsInstanceType
from planner.models.transfer_seeds import EbsVolumeType, TransferSeeds

TIB = 2**40
PER_FILE = "per-file-cost"


@dataclass(frozen=True, slots=True)
class RateContext:
    """Resolved options (defaults filled from seeds) shared by every host."""

    seeds: TransferSeeds
    streams: int
    rtt_seconds: float
    loss_rate: float
    cipher: str
    target_port_bits_per_second: float
    compression_ratio: float
    catalog: dict[str, AwsInstanceType]
    measured: Measured

    @property
    def efficiency(self) -> float:
        """Payload per nominal bit on a network path (seeded, or measured by a probe)."""
        return self.measured.efficiency


def volume_read_rate(
    volume: Volume, types: dict[str, EbsVolumeType], override: float | None = None
) -> float | None:
    """Sustained read rate of one volume in bytes/s for copying its used bytes; None = unknown."""
    if override is not None:
        return override
    kind = (volume.volume_type or "").lower()
    spec = types.get(kind)
    if spec is None:
        return volume.throughput_bytes_per_second
    if spec.default_throughput is not None:
        rate = volume.throughput_bytes_per_second or spec.default_throughput
        return min(rate, spec.max_throughput or rate)
    if spec.size_tiers:
        size = volume.size_bytes or volume.used_bytes or 0
        for tier in spec.size_tiers:
            if tier.up_to is None or size <= tier.up_to:
                return tier.throughput
        return spec.size_tiers[-1].throughput
    assert spec.per_tib is not None
    return _bucket_rate(volume, spec)


def _bucket_rate(volume: Volume, spec: EbsVolumeType) -> float:
    """HDD volumes: burst while the credit bucket lasts (full at start), then baseline."""
    assert spec.per_tib is not None
    per = spec.per_tib
    size_tib = (volume.size_bytes or volume.used_bytes or 0) / TIB
    baseline = min(per.cap, per.baseline * size_tib)
    burst = min(per.cap, per.burst * size_tib)
    used = volume.used_bytes or 0
    if baseline <= 0:
        return 0.0
    if burst <= baseline or used <= 0:
        return baseline
    burst_seconds = per.bucket_per_tib * size_tib / (burst - baseline)
    burst_bytes = burst * burst_seconds
    if used <= burst_bytes:
        return burst
    return used / (burst_seconds + (used - burst_bytes) / baseline)


def tool_constraints(ctx: RateContext, streams: int, vcpus: int | None) -> dict[str, float]:
    """Limits of rsync over OpenSSH with ``streams`` parallel connections (bits/s of source)."""
    tools = ctx.seeds.tools
    ratio = ctx.compression_ratio
    per_core = ctx.measured.cipher_rates[ctx.cipher]
    out = {
        "ssh-window": streams * tools.ssh_window.window * 8 / ctx.rtt_seconds * ratio,
        "cipher": min(streams, vcpus or streams) * per_core * 8 * ratio,
    }
    per_stream = ctx.measured.per_stream_bits_per_second
    if per_stream is not None:
        out["probed-stream-limit"] = streams * per_stream * ratio
    if ctx.loss_rate > 0:
        per_stream = (
            tools.mathis.mss
            * 8
            / ctx.rtt_seconds
            * tools.mathis.constant
            / math.sqrt(ctx.loss_rate)
        )
        out["tcp-loss"] = streams * per_stream * ratio
    if ratio > 1:
        out["compression"] = streams * tools.compression.per_stream * 8
    return out


def _per_file(
    ctx: RateContext, size: int, files: int | None, streams: int, vcpus: int | None = None
) -> dict[str, float]:
    """Per-file work as the rate it alone would allow; parallel only up to the cores."""
    if not files or size <= 0:
        return {}
    seconds = files * ctx.seeds.tools.per_file.first_copy / min(streams, vcpus or streams)
    return {PER_FILE: size * 8 / seconds} if seconds > 0 else {}


def server_constraints(
    server: Server,
    ctx: RateContext,
    override: HostOverride | None = None,
    used_bytes: int | None = None,
) -> dict[str, float]:
    """Every known limit of one server's bulk copy, in bits/s of source payload."""
    override = override or HostOverride()
    seeds = ctx.seeds
    streams = override.streams or ctx.streams
    ratio = ctx.compression_ratio
    eff = ctx.efficiency
    catalog = ctx.catalog.get(server.instance_type or "")
    size = (used_bytes if used_bytes is not None else server.used_bytes) or 0
    out: dict[str, float] = {}

    worst = 0.0
    for volume in server.volumes:
        used = volume.used_bytes or 0
        if used <= 0:
            continue
        vol_override = override.volume_throughput_bytes_per_second
        rate = volume_read_rate(volume, seeds.ebs.volume_types, vol_override)
        if rate is not None and rate > 0:
            worst = max(worst, used / rate)
        elif rate is not None:
            worst = math.inf
    if worst > 0:
        out["source-disk"] = size * 8 / worst if math.isfinite(worst) else 0.0

    ebs = server.storage.baseline_bytes_per_second
    if ebs is None and catalog is not None and catalog.ebs_baseline_mbytes_per_second:
        ebs = catalog.ebs_baseline_mbytes_per_second * 1e6
    if ebs:
        out["ebs-instance-limit"] = ebs * 8

    baseline = server.network.baseline_bits_per_second
    burst = server.network.burst_bits_per_second
    if baseline is None and catalog is not None and catalog.baseline_gbps:
        baseline = catalog.baseline_gbps * 1e9
        burst = burst or (catalog.peak_gbps or 0) * 1e9 or None
    vcpus = server.vcpus or (catalog.vcpus if catalog else None)
    if baseline:
        sustained = baseline
        short = seeds.network.burst.min_duration
        if burst and burst > baseline and size * 8 / (burst * eff * ratio) <= short:
            sustained = burst  # the whole copy fits in the shortest documented burst
        out["instance-network"] = sustained * eff * ratio

    igw = seeds.network.internet_gateway
    cap = igw.small_instance_cap
    if vcpus is not None and vcpus >= igw.vcpu_threshold and baseline:
        cap = max(igw.large_instance_floor, igw.large_instance_fraction * baseline)
    out["internet-gateway-cap"] = cap * eff * ratio
    out["single-flow-limit"] = streams * seeds.network.single_flow.rate * eff * ratio
    out.update(tool_constraints(ctx, streams, vcpus))
    out.update(_per_file(ctx, size, server.file_count, streams, vcpus))
    port = override.target_port_bits_per_second or ctx.target_port_bits_per_second
    out["target-port"] = port * eff * ratio
    if server.id == ctx.measured.probed_host:
        probed = probed_rate(ctx.measured.probed_runs, streams)
        if probed is not None:
            out["probed-path"] = probed * ratio
    return out


def store_constraints(
    store: DataStore, ctx: RateContext, override: HostOverride | None = None
) -> dict[str, float]:
    """Limits for a data store: S3 request model, database replication, or a file copy."""
    override = override or HostOverride()
    seeds = ctx.seeds
    eff = ctx.efficiency
    ratio = ctx.compression_ratio
    size = store.used_bytes or 0
    port = override.target_port_bits_per_second or ctx.target_port_bits_per_second
    out: dict[str, float] = {"target-port": port * eff * ratio}
    if store.throughput_bytes_per_second:
        out["source-throughput"] = store.throughput_bytes_per_second * 8
    kind = str(store.kind)
    if kind == "object-storage":
        s3 = seeds.s3
        concurrency = s3.concurrency.default
        if store.object_count:
            mean = size / store.object_count
            per_request = min(s3.requests.max_per_request, mean / s3.requests.latency)
            out["s3-get-rate"] = s3.get_rate.per_prefix * s3.get_rate.default_partitions * mean * 8
            listing = s3.listing.keys_per_page / s3.listing.page_latency
            out["s3-listing"] = listing * mean * 8
        else:
            per_request = s3.requests.max_per_request
        out["s3-request-throughput"] = concurrency * per_request * 8
    elif kind == "database":
        streams = seeds.databases.replication.streams
        out["single-flow-limit"] = streams * seeds.network.single_flow.rate * eff * ratio
        tools = tool_constraints(ctx, streams, None)
        if "tcp-loss" in tools:
            out["tcp-loss"] = tools["tcp-loss"]
    else:
        streams = override.streams or ctx.streams
        out.update(tool_constraints(ctx, streams, None))
        out.update(_per_file(ctx, size, store.object_count, streams))
    return out


def binding(constraints: dict[str, float]) -> tuple[str, float]:
    """The tightest constraint: ``(name, bits/s)``; ties go to the first name in order."""
    name = min(constraints, key=lambda k: constraints[k])
    return name, constraints[name]
