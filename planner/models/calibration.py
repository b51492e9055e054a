"""The calibration file: what ``exitplan probe`` measured on one real path, for the planner.

``exitplan probe SRC DST`` writes it (JSON, ``schema_version: 1``); ``exitplan plan
--calibration FILE`` reads it. The raw measurements (``streams``, ``round_trip``, ``ciphers``)
stay in the file for people; the planner uses only the ``calibrated`` block, where ``None`` means
"not measured: keep the assumption". ``not_measured`` says what the probe could not measure and
why. Rates are bits per second of payload, cipher speeds bytes per second, times seconds; a file
written by hand may use unit strings (``95 Mbit/s``, ``12ms``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator

from planner.models.base import Model
from planner.units import BytesPerSecond, DurationSeconds, RateBitsPerSecond, SizeBytes

Side = Literal["src", "dst"]


class ProbeEndpoint(Model):
    """One end of the probed path, as the operator reached it."""

    id: str = Field(min_length=1, description="inventory id (or the host given on the command)")
    address: str
    port: int = Field(ge=1, le=65535)
    user: str
    host_key: str | None = Field(default=None, description="key type and SHA256 fingerprint")


class ProbeProvenance(Model):
    command: str
    started_at: dt.datetime
    finished_at: dt.datetime
    exitplan_version: str
    operator: str | None = Field(default=None, description="machine the probe ran from")
    src: ProbeEndpoint
    dst: ProbeEndpoint
    method: str = Field(description="how the path was measured, in words")


class StreamRun(Model):
    """``streams`` sessions SRC -> DST at once, each sending its share of ``size_bytes``.

    The same sessions also sent ``small_size_bytes``; the difference between the two runs is
    the data time alone (start-up, staggered starts and the first round trips cancel out).
    """

    streams: int = Field(gt=0)
    size_bytes: SizeBytes = Field(gt=0)
    seconds: DurationSeconds = Field(description="wall time of the sessions, start-up included")
    small_size_bytes: SizeBytes
    small_seconds: DurationSeconds
    rate_bits_per_second: RateBitsPerSecond = Field(
        gt=0,
        description="(size_bytes - small_size_bytes) x 8 / (seconds - small_seconds)",
    )


class RoundTrip(Model):
    method: str = Field(description="e.g. ping from SRC to DST")
    samples: int = Field(gt=0)
    min_seconds: DurationSeconds
    avg_seconds: DurationSeconds
    max_seconds: DurationSeconds


class CipherRun(Model):
    """``size_bytes`` through ssh over the host's own loopback: encrypt and decrypt there."""

    side: Side
    cipher: str
    size_bytes: SizeBytes = Field(gt=0)
    seconds: DurationSeconds
    small_size_bytes: SizeBytes
    small_seconds: DurationSeconds
    bytes_per_second: BytesPerSecond = Field(gt=0)


class Gap(Model):
    what: str
    reason: str


class Calibrated(Model):
    """The values ``plan --calibration`` uses in place of its assumptions (None: not measured)."""

    efficiency: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="payload rate / nominal_bits_per_second: replaces Ethernet goodput x "
        "protocol x transfer efficiency on every network limit",
    )
    nominal_bits_per_second: RateBitsPerSecond | None = Field(
        default=None, description="the path's nominal rate the efficiency is relative to"
    )
    nominal_source: str | None = Field(default=None, description="where the nominal rate is from")
    rtt_seconds: DurationSeconds | None = Field(default=None, gt=0)
    session_setup_seconds: DurationSeconds | None = Field(
        default=None, description="one ssh session SRC -> DST before data flows"
    )
    per_stream_bits_per_second: RateBitsPerSecond | None = Field(
        default=None,
        gt=0,
        description="set only when more streams gave proportionally more: a per-stream limit",
    )
    cipher_bytes_per_second: dict[str, BytesPerSecond] = Field(
        default_factory=dict, description="per core, the slower of the two sides"
    )


class Calibration(Model):
    schema_version: Literal[1] = 1
    provenance: ProbeProvenance
    streams: list[StreamRun] = Field(default_factory=list)
    round_trip: RoundTrip | None = None
    operator_round_trip_seconds: dict[str, DurationSeconds] = Field(
        default_factory=dict, description="operator -> SRC / DST over SSH (not the path)"
    )
    ciphers: list[CipherRun] = Field(default_factory=list)
    not_measured: list[Gap] = Field(default_factory=list)
    calibrated: Calibrated

    @field_validator("streams")
    @classmethod
    def _distinct_stream_counts(cls, runs: list[StreamRun]) -> list[StreamRun]:
        counts = [run.streams for run in runs]
        if len(set(counts)) != len(counts):
            raise ValueError("each stream count may appear once")
        return runs

    def path_rate(self, streams: int) -> tuple[int, float] | None:
        """The measured SRC -> DST rate with the most streams not above ``streams``."""
        runs = [run for run in self.streams if run.streams <= streams]
        if not runs:
            return None
        best = max(runs, key=lambda run: run.streams)
        return best.streams, best.rate_bits_per_second


class AppliedCalibration(Model):
    """A calibration the plan uses, with where it was read from (for ``assumptions[]``)."""

    file: str
    calibration: Calibration

    def cite(self) -> str:
        prov = self.calibration.provenance
        when = prov.finished_at.isoformat(timespec="seconds")
        return (
            f"calibration {self.file} (exitplan probe {prov.src.id} -> {prov.dst.id}, "
            f"measured at {when})"
        )
