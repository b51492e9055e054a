"""Models of the transfer planner's seed data (``seeds/transfer/*.yaml``).

Every record carries its ``source`` and ``as_of`` date, and can describe itself as one line for
the plan's ``assumptions[]`` (:meth:`SeedRecord.describe`). Rates are bits per second, byte rates
bytes per second, durations seconds; the YAML may use unit strings (``125 MiB/s``, ``5Gbps``).
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from planner.models.base import Model
from planner.models.calibration import AppliedCalibration
from planner.models.seeds import SourceRef
from planner.units import BytesPerSecond, DurationSeconds, RateBitsPerSecond, SizeBytes


class SeedRecord(Model):
    """One fact (or a small group of related facts) with where it came from."""

    source: SourceRef
    as_of: dt.date

    def describe(self) -> str:
        """The record's values as ``key=value`` pairs (without source and date)."""
        data = self.model_dump(exclude={"source", "as_of"}, mode="json")
        return ", ".join(f"{k}={v}" for k, v in data.items())

    def cite(self) -> str:
        """A one-line citation: title, publisher, URL."""
        parts = [self.source.title]
        if self.source.publisher:
            parts.append(self.source.publisher)
        if self.source.url:
            parts.append(self.source.url)
        return "; ".join(parts) + f" (as of {self.as_of})"


# --- EBS -------------------------------------------------------------------------------------


class SizeTier(Model):
    up_to: SizeBytes | None = Field(default=None, description="largest size in this tier")
    throughput: BytesPerSecond = Field(description="sustained throughput")
    burst_throughput: BytesPerSecond | None = None


class PerTib(Model):
    baseline: BytesPerSecond
    burst: BytesPerSecond
    cap: BytesPerSecond
    bucket_per_tib: SizeBytes = Field(description="burst credits per TiB of volume size")


class EbsVolumeType(SeedRecord):
    """Throughput of one EBS volume type: fixed/provisioned, size tiers, or per TiB with burst."""

    default_throughput: BytesPerSecond | None = None
    max_throughput: BytesPerSecond | None = None
    size_tiers: list[SizeTier] = Field(default_factory=list)
    per_tib: PerTib | None = None

    @model_validator(mode="after")
    def _one_model(self) -> EbsVolumeType:
        models = [self.default_throughput is not None, bool(self.size_tiers), self.per_tib]
        if sum(bool(m) for m in models) != 1:
            raise ValueError("give exactly one of default_throughput, size_tiers, per_tib")
        return self

    def describe_short(self) -> str:
        """The throughput model in words, e.g. ``125-2000 MiB/s provisioned``."""
        mib = 2**20
        if self.default_throughput is not None:
            top = self.max_throughput or self.default_throughput
            return f"{self.default_throughput / mib:g} MiB/s default, up to {top / mib:g} MiB/s"
        if self.size_tiers:
            parts = [
                f"{'rest' if t.up_to is None else f'<= {t.up_to / 2**30:g} GiB'}: "
                f"{t.throughput / mib:g} MiB/s"
                for t in self.size_tiers
            ]
            return "; ".join(parts) + " (sustained)"
        assert self.per_tib is not None
        p = self.per_tib
        return (
            f"{p.baseline / mib:g} MiB/s per TiB baseline, {p.burst / mib:g} MiB/s per TiB burst "
            f"while {p.bucket_per_tib / 2**40:g} TiB of credits per TiB last, "
            f"cap {p.cap / mib:g} MiB/s"
        )


class EbsSeeds(Model):
    as_of: dt.date
    volume_types: dict[str, EbsVolumeType] = Field(min_length=1)


# --- network ---------------------------------------------------------------------------------


class InternetGatewayRule(SeedRecord):
    vcpu_threshold: int = Field(gt=0)
    small_instance_cap: RateBitsPerSecond
    large_instance_fraction: float = Field(gt=0, le=1)
    large_instance_floor: RateBitsPerSecond


class SingleFlowRule(SeedRecord):
    rate: RateBitsPerSecond = Field(gt=0)


class BurstRule(SeedRecord):
    min_duration: DurationSeconds
    max_duration: DurationSeconds


class Fraction(SeedRecord):
    fraction: float = Field(gt=0, le=1)


class TargetPortRule(SeedRecord):
    default: RateBitsPerSecond = Field(gt=0)
    options: list[RateBitsPerSecond] = Field(min_length=1)


class NetworkSeeds(Model):
    as_of: dt.date
    internet_gateway: InternetGatewayRule
    single_flow: SingleFlowRule
    burst: BurstRule
    ethernet_goodput: Fraction
    protocol_efficiency: Fraction
    transfer_efficiency: Fraction
    target_port: TargetPortRule


# --- egress ----------------------------------------------------------------------------------


class PriceTier(Model):
    up_to_gb: float | None = Field(default=None, gt=0, description="cumulative GB; None = rest")
    usd_per_gb: float = Field(ge=0)


class EgressSchedule(SeedRecord):
    tiers: list[PriceTier] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> EgressSchedule:
        limits = [t.up_to_gb for t in self.tiers]
        if limits[-1] is not None or any(x is None for x in limits[:-1]):
            raise ValueError("only the last tier may (and must) be open-ended")
        bounded = [x for x in limits if x is not None]
        if bounded != sorted(bounded):
            raise ValueError("tiers must be in increasing order")
        return self


class FreeTier(SeedRecord):
    gb: float = Field(ge=0)


class Waiver(SeedRecord):
    name: str
    window_days: int = Field(gt=0)
    conditions: list[str] = Field(min_length=1)


class EgressSeeds(Model):
    provider: str = Field(description="the source provider these list prices belong to")
    as_of: dt.date
    bytes_per_gb: int = Field(gt=0)
    free_tier: FreeTier
    schedules: dict[str, EgressSchedule] = Field(min_length=1)
    regions: dict[str, str]
    fallback_schedule: str
    waiver: Waiver

    @model_validator(mode="after")
    def _known(self) -> EgressSeeds:
        for name in [*self.regions.values(), self.fallback_schedule]:
            if name not in self.schedules:
                raise ValueError(f"unknown price schedule {name!r}")
        return self


# --- tools -----------------------------------------------------------------------------------


class SshWindow(SeedRecord):
    window: SizeBytes = Field(gt=0)


class Ciphers(SeedRecord):
    default: str
    per_core: dict[str, BytesPerSecond] = Field(min_length=1)

    @model_validator(mode="after")
    def _default_known(self) -> Ciphers:
        if self.default not in self.per_core:
            raise ValueError(f"default cipher {self.default!r} has no rate")
        return self


class Compression(SeedRecord):
    per_stream: BytesPerSecond = Field(gt=0)


class PerFile(SeedRecord):
    first_copy: DurationSeconds
    rescan: DurationSeconds


class SessionSetup(SeedRecord):
    """Fixed start-up of one session before data flows, at a sub-millisecond RTT (CPU time)."""

    rsync_seconds: DurationSeconds
    ssh_seconds: DurationSeconds = Field(description="a bare ssh session, as exitplan probe sees")


class Handshake(SeedRecord):
    """Round trips a new rsync-over-ssh session waits before data flows."""

    round_trips: int = Field(ge=0)


class SlowStart(SeedRecord):
    initial_window_segments: int = Field(gt=0)


class Mathis(SeedRecord):
    constant: float = Field(gt=0)
    mss: int = Field(gt=0)


class PathDefaults(SeedRecord):
    rtt: DurationSeconds = Field(gt=0)
    loss: float = Field(ge=0, lt=1)


class Streams(SeedRecord):
    default: int = Field(gt=0)
    ladder: list[int] = Field(min_length=1)


class ToolSeeds(Model):
    as_of: dt.date
    ssh_window: SshWindow
    ciphers: Ciphers
    compression: Compression
    per_file: PerFile
    session_setup: SessionSetup
    handshake: Handshake
    slow_start: SlowStart
    mathis: Mathis
    path: PathDefaults
    streams: Streams


# --- S3, databases, cutover -------------------------------------------------------------------


class S3Requests(SeedRecord):
    latency: DurationSeconds = Field(gt=0)
    max_per_request: BytesPerSecond = Field(gt=0)


class S3GetRate(SeedRecord):
    per_prefix: float = Field(gt=0)
    default_partitions: int = Field(gt=0)


class S3Listing(SeedRecord):
    keys_per_page: int = Field(gt=0)
    page_latency: DurationSeconds = Field(gt=0)


class S3Concurrency(SeedRecord):
    default: int = Field(gt=0)


class S3Seeds(Model):
    as_of: dt.date
    requests: S3Requests
    get_rate: S3GetRate
    listing: S3Listing
    concurrency: S3Concurrency


class Replication(SeedRecord):
    streams: int = Field(gt=0)
    cutover: DurationSeconds
    engines: dict[str, str] = Field(default_factory=dict)


class DatabaseSeeds(Model):
    as_of: dt.date
    replication: Replication


class PreCopy(SeedRecord):
    final_round: DurationSeconds = Field(gt=0)
    max_rounds: int = Field(gt=0)
    min_shrink: float = Field(ge=0, lt=1)
    switch_over: DurationSeconds


class CutoverSeeds(Model):
    as_of: dt.date
    pre_copy: PreCopy


class TransferSeeds(Model):
    """All transfer seed files together: what the pure planner core needs.

    ``calibration`` (from ``exitplan probe``, via ``plan --calibration``) replaces assumed
    values with measured ones where it has them; see :mod:`planner.core.calibrate`.
    """

    ebs: EbsSeeds
    network: NetworkSeeds
    egress: EgressSeeds
    tools: ToolSeeds
    s3: S3Seeds
    databases: DatabaseSeeds
    cutover: CutoverSeeds
    calibration: AppliedCalibration | None = None
