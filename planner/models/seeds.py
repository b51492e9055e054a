"""Models of bundled reference data (``seeds/``): every record says where it came from."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from planner.models.base import Model
from planner.units import DurationSeconds, SizeBytes


def _as_text(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


DateText = Annotated[str, BeforeValidator(_as_text)]


class SourceRef(Model):
    """A citation: who said it, where and when."""

    title: str
    publisher: str | None = None
    date: DateText | None = None
    url: str | None = None
    claim: str | None = Field(default=None, description="what this source supports")


class Assumption(Model):
    name: str
    value: str
    why: str


class AwsInstanceType(Model):
    """One row of ``seeds/aws/instance_types.csv`` (DescribeInstanceTypes fields)."""

    instance_type: str
    vcpus: int = Field(ge=0)
    memory_mib: int = Field(ge=0)
    network_performance: str
    baseline_gbps: float | None = None
    peak_gbps: float | None = None
    network_cards: int = 1
    ebs_baseline_mbytes_per_second: float | None = None
    ebs_maximum_mbytes_per_second: float | None = None
    ebs_baseline_iops: int | None = None
    ebs_maximum_iops: int | None = None
    current_generation: bool
    source: str = Field(min_length=1)
    as_of: dt.date


class Range(Model):
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        return self


class OutboundProfile(Model):
    """An outside endpoint some hosts of a role keep a connection to (generator input)."""

    remote_address: str
    remote_port: int = Field(ge=1, le=65535)
    remote_host: str | None = None
    process: str | None = None
    every: int = Field(default=1, ge=1, description="one host in this many of the role")
    why: str = Field(description="what the connection stands for (an assumption)")


class MailRelayProfile(Model):
    """A mail relay some hosts of a role hand their outgoing mail to (generator input)."""

    host: str
    port: int | None = Field(default=None, ge=1, le=65535)
    agent: str
    path: str | None = None
    every: int = Field(default=1, ge=1, description="one host in this many of the role")
    why: str = Field(description="what the relay stands for (an assumption)")


class RoleProfile(Model):
    """How one server role looks in a typical fleet (generator input)."""

    share: float = Field(gt=0, description="relative share of servers")
    data_weight: float = Field(ge=0, description="relative share of the fleet's data")
    instance_types: list[str] = Field(min_length=1)
    data_volume_types: list[str] = Field(min_length=1)
    root_size: SizeBytes
    mean_file_size: SizeBytes = Field(description="average file size on data volumes")
    change_rate_bytes_per_second: Range
    ports: list[int] = Field(default_factory=list)
    outbound: list[OutboundProfile] = Field(default_factory=list)
    mail_relays: list[MailRelayProfile] = Field(default_factory=list)


class FleetProfile(Model):
    """Generator profile: role mix, data skew and OS mix, with sources for the choices."""

    as_of: dt.date
    sources: list[SourceRef] = Field(min_length=1)
    pareto_alpha: float = Field(gt=0, description="tail index of per-host data (smaller = heavier)")
    fill_ratio: Range = Field(description="used / size of data volumes")
    os_mix: dict[str, float]
    roles: dict[str, RoleProfile] = Field(min_length=1)


class ScenarioFleet(Model):
    servers: int = Field(gt=0)
    data_bytes: SizeBytes
    seed: int
    provider: str = "aws"
    regions: list[str] = Field(min_length=1)


class Scenario(Model):
    """A bundled scenario: the facts of a case, its sources and what we had to assume."""

    id: str
    title: str
    as_of: dt.date
    summary: str
    deadline_seconds: DurationSeconds
    fleet: ScenarioFleet
    target: str | None = Field(default=None, description="provider id the demo plans onto")
    facts: list[str] = Field(min_length=1)
    sources: list[SourceRef] = Field(min_length=1)
    assumptions: list[Assumption] = Field(default_factory=list)
