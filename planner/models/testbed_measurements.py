"""Transfer figures measured on the namespace testbed (``seeds/transfer/measured_testbed.yaml``).

Written by ``python -m benchmarks.testbed_transfer --write-seed`` from real rsync/ssh runs
between network namespaces limited with ``tc tbf``: rates are medians of ``runs``, CPU-bound
figures (set-up, per-file costs, cipher speed) the best of ``runs``. ``provenance`` says how,
when and on what machine. The ``calibration`` block condenses them into the planner's terms
(per-file costs, session set-up, efficiency against the configured link rate, cipher speed).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from planner.models.base import Model
from planner.models.seeds import SourceRef
from planner.units import BytesPerSecond, DurationSeconds, RateBitsPerSecond, SizeBytes

Tool = Literal["rsync", "ssh-cat", "ssh-zero"]


class MeasurementProvenance(Model):
    command: str
    date: dt.date
    machine: str
    software: str
    setup: str
    load_average: list[float] = Field(description="1-minute load average at start and end")
    cpu_busy_before: float | None = Field(
        default=None, ge=0, le=1, description="fraction of CPU time other work used just before"
    )
    notes: list[str] = Field(default_factory=list)


class LinkEfficiency(Model):
    """One big file through a host port limited to ``configured_rate``."""

    tool: Tool
    configured_rate_bits_per_second: RateBitsPerSecond = Field(gt=0)
    size_bytes: SizeBytes
    runs: int = Field(gt=0)
    seconds: DurationSeconds
    end_to_end_efficiency: float = Field(gt=0, description="payload rate incl. set-up / configured")
    steady_efficiency: float = Field(gt=0, description="payload rate once running / configured")


class SessionSetup(Model):
    """Time for a transfer that moves nothing: ssh handshake, remote start, file list."""

    tool: Literal["rsync", "ssh-cat", "ssh"]
    runs: int = Field(gt=0)
    seconds: DurationSeconds


class RampUpPoint(Model):
    tool: Tool
    configured_rate_bits_per_second: RateBitsPerSecond = Field(gt=0)
    size_bytes: SizeBytes
    seconds: DurationSeconds
    end_to_end_efficiency: float = Field(gt=0)


class RampUp(Model):
    """``seconds ≈ fixed + size × 8 / rate`` fitted over the points, plus the observed RTT."""

    points: list[RampUpPoint] = Field(min_length=2)
    fitted_fixed_seconds: DurationSeconds
    fitted_rate_bits_per_second: RateBitsPerSecond
    seconds_to_90_percent_of_steady_rate: DurationSeconds
    rtt_idle_seconds: DurationSeconds | None = None
    rtt_loaded_seconds: DurationSeconds | None = None


class PerFileCost(Model):
    """Many files against one file of the same total size: ``(seconds - baseline) / (files - 1)``.

    ``rescan`` is rsync over an up-to-date copy (only the file lists are compared).
    """

    tool: Tool
    kind: Literal["first_copy", "rescan"]
    files: int = Field(gt=0)
    file_size_bytes: SizeBytes
    link_rate_bits_per_second: RateBitsPerSecond | None = Field(description="None = no limit")
    streams: int = Field(gt=0)
    runs: int = Field(gt=0)
    seconds: DurationSeconds
    baseline_seconds: DurationSeconds = Field(description="the same bytes as one file")
    per_file_seconds: float = Field(description="may be slightly negative within noise")


class CipherThroughput(Model):
    """``head -c N /dev/zero | ssh -c CIPHER host-lo 'wc -c'`` inside one namespace."""

    cipher: str
    streams: int = Field(gt=0)
    size_bytes: SizeBytes
    runs: int = Field(gt=0)
    bytes_per_second: BytesPerSecond


class ParallelStreams(Model):
    tool: Tool
    link_rate_bits_per_second: RateBitsPerSecond | None
    streams: int = Field(gt=0)
    size_bytes: SizeBytes
    seconds: DurationSeconds
    rate_bits_per_second: RateBitsPerSecond


class SharedUplink(Model):
    """Several hosts copying at once through one uplink."""

    tool: Tool
    hosts: int = Field(gt=0)
    port_rate_bits_per_second: RateBitsPerSecond
    uplink_rate_bits_per_second: RateBitsPerSecond
    size_bytes_per_host: SizeBytes
    seconds: DurationSeconds
    aggregate_rate_bits_per_second: RateBitsPerSecond
    steady_aggregate_rate_bits_per_second: RateBitsPerSecond
    host_rate_min_bits_per_second: RateBitsPerSecond
    host_rate_max_bits_per_second: RateBitsPerSecond


class Calibration(Model):
    """The measurements condensed into the planner's parameters.

    tbf charges whole frames, so TCP payload can reach at most ``tcp_goodput_in_testbed`` of
    the configured rate ((1500 - 52) / (1500 + 14) on veth, which has no preamble, FCS or
    inter-frame gap; on real Ethernet the same formula gives 0.941). ``protocol_efficiency`` is
    what rsync/ssh achieve relative to that TCP ceiling, so on a real port:
    ``rate = port × ethernet_goodput × protocol_efficiency``.
    """

    tcp_goodput_in_testbed: float = Field(gt=0, le=1)
    steady_efficiency_rsync: float = Field(gt=0, description="steady rsync payload / configured")
    steady_efficiency_ssh: float = Field(gt=0, description="steady ssh-cat payload / configured")
    protocol_efficiency_rsync: float = Field(gt=0)
    protocol_efficiency_ssh: float = Field(gt=0)
    session_setup_rsync_seconds: DurationSeconds
    session_setup_ssh_seconds: DurationSeconds
    per_file_first_copy_seconds: DurationSeconds = Field(
        description="median per-file cost, first copy, one stream, ≥ 1000 small files"
    )
    per_file_rescan_seconds: DurationSeconds = Field(
        description="median per-file cost of a rescan of an up-to-date copy, ≥ 1000 files"
    )
    cipher_bytes_per_second: dict[str, BytesPerSecond] = Field(min_length=1)


class MeasuredTestbed(Model):
    as_of: dt.date
    provenance: MeasurementProvenance
    sources: list[SourceRef] = Field(default_factory=list)
    link_efficiency: list[LinkEfficiency] = Field(min_length=1)
    session_setup: list[SessionSetup] = Field(min_length=1)
    ramp_up: RampUp
    per_file: list[PerFileCost] = Field(min_length=1)
    ciphers: list[CipherThroughput] = Field(min_length=1)
    parallel_streams: list[ParallelStreams] = Field(default_factory=list)
    shared_uplink: list[SharedUplink] = Field(default_factory=list)
    calibration: Calibration
