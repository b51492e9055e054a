"""Inputs and output of right-sizing and capacity planning.

:class:`SizingDefaults` is the seed file ``seeds/sizing/defaults.yaml``; :class:`SizingOptions`
and :class:`CapacityOptions` are one run's choices; :class:`CapacityPlan` is the result that
``exitplan capacity --format json`` prints and that the transfer plan embeds as ``capacity``:
``servers[]`` (source id -> offering, price, location), ``provisioning_seconds``, ``blockers[]``,
totals, consolidation, unplaced servers and the assumptions behind every number.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from planner.models.base import Model
from planner.models.plan import PlanAssumption
from planner.models.seeds import SourceRef
from planner.units import DurationSeconds, RateBitsPerSecond, SizeBytes

Architecture = Literal["x86_64", "arm64"]


class SizingDefaults(Model):
    """``seeds/sizing/defaults.yaml``: the sizing policy, each choice with its reason."""

    as_of: dt.date
    sources: list[SourceRef] = Field(min_length=1)
    disk_headroom: float = Field(ge=1.0)
    disk_headroom_why: str
    mirror_disks: bool
    mirror_disks_why: str
    default_architecture: Architecture
    default_architecture_why: str
    unknown_vcpus: int = Field(ge=1)
    unknown_memory_bytes: SizeBytes = Field(validation_alias="unknown_memory")
    unknown_why: str
    consolidation_reserve_vcpus: int = Field(ge=0)
    consolidation_reserve_memory_bytes: SizeBytes = Field(
        validation_alias="consolidation_reserve_memory"
    )
    consolidation_why: str


class SizingOptions(Model):
    """How to match source servers to offerings (defaults come from :class:`SizingDefaults`)."""

    disk_headroom: float = Field(default=1.25, ge=1.0)
    mirror_disks: bool = True
    default_architecture: Architecture = "x86_64"
    allow_architecture_change: bool = False
    allow_block_storage: bool = True
    min_port_bits_per_second: RateBitsPerSecond | None = None
    locations: list[str] = Field(default_factory=list, description="empty = any location")
    unknown_vcpus: int = Field(default=1, ge=1)
    unknown_memory_bytes: SizeBytes = 2**30
    alternatives: int = Field(default=5, ge=1, description="ranked candidates kept per server")
    consolidate: bool = False
    consolidate_by: Literal["role", "all"] = "role"
    cpu_overcommit: float = Field(default=1.0, gt=0)
    memory_overcommit: float = Field(default=1.0, gt=0)
    reserve_vcpus: int = Field(default=1, ge=0)
    reserve_memory_bytes: SizeBytes = 2 * 2**30

    @classmethod
    def from_defaults(cls, defaults: SizingDefaults, **overrides: object) -> SizingOptions:
        base: dict[str, object] = {
            "disk_headroom": defaults.disk_headroom,
            "mirror_disks": defaults.mirror_disks,
            "default_architecture": defaults.default_architecture,
            "unknown_vcpus": defaults.unknown_vcpus,
            "unknown_memory_bytes": defaults.unknown_memory_bytes,
            "reserve_vcpus": defaults.consolidation_reserve_vcpus,
            "reserve_memory_bytes": defaults.consolidation_reserve_memory_bytes,
        }
        base.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(base)


class CapacityOptions(Model):
    sizing: SizingOptions = Field(default_factory=SizingOptions)
    server_limit: int | None = Field(
        default=None, ge=0, description="servers allowed per project/account (overrides seeds)"
    )
    typical_stock: int | None = Field(
        default=None, ge=0, description="units of one model available at once (overrides seeds)"
    )
    prefer_in_stock: bool = Field(
        default=True, description="use a dearer offering in stock rather than wait for restock"
    )
    deadline_seconds: DurationSeconds | None = None


class Requirement(Model):
    """What one source server needs at the target."""

    id: str
    role: str
    vcpus: int = Field(ge=0)
    memory_bytes: int = Field(ge=0)
    disk_bytes: int = Field(ge=0, description="data to hold: used bytes x headroom")
    used_bytes: int | None = None
    architecture: Architecture
    assumed: list[str] = Field(default_factory=list, description="fields filled by assumption")
    monthly_cost_usd: float | None = None


class Candidate(Model):
    """One offering that fits a requirement, with what it costs for that server."""

    offering: str
    monthly_usd: float
    setup_usd: float | None
    block_storage_bytes: int = 0
    block_volumes: int = 0


class Fit(Model):
    """Sizing result for one server: ranked candidates (cheapest first) or why none fits."""

    requirement: Requirement
    candidates: list[Candidate] = Field(default_factory=list)
    reason: str | None = None


class ServerPlacement(Model):
    id: str = Field(description="source server id")
    role: str = Field(default="unknown", description="the source server's role")
    offering: str
    offering_name: str
    host: str = Field(description="target machine; several servers share it when consolidated")
    consolidated: bool = False
    location: str
    vcpus: int
    memory_bytes: int
    disk_bytes: int
    block_storage_bytes: int = 0
    monthly_usd: float = Field(description="this server's share of the target cost")
    setup_usd: float | None
    lead_time_seconds: float
    in_stock: bool = True
    assumed: list[str] = Field(default_factory=list)
    note: str | None = None


class OfferingCount(Model):
    offering: str
    name: str
    machines: int
    in_stock: int
    restock: int = Field(description="machines that wait for restock or customisation")
    monthly_usd: float
    setup_usd: float | None
    lead_time_seconds: float
    confidence: str


class Blocker(Model):
    kind: str
    severity: Literal["blocker", "warning", "info"]
    message: str
    suggestion: str | None = None


class Unplaced(Model):
    id: str
    reason: str
    kind: Literal["no-fit", "out-of-stock"] = Field(
        default="no-fit",
        description="no-fit: no offering is big enough; out-of-stock: one fits, none is left",
    )
    vcpus: int
    memory_bytes: int
    disk_bytes: int


class ConsolidatedHost(Model):
    host: str
    offering: str
    group: str
    servers: list[str]
    monthly_usd: float
    vcpus_used: int
    memory_bytes_used: int
    disk_bytes_used: int


class Consolidation(Model):
    enabled: bool
    monthly_usd_without: float
    monthly_usd_with: float
    saving_usd: float
    saving_ratio: float
    machines_without: int
    machines_with: int
    hosts: list[ConsolidatedHost] = Field(default_factory=list)


class Provisioning(Model):
    quota_raise_seconds: float
    quota_raise_reason: str | None = Field(
        default=None, description="why a limit raise is counted (over the limit, or unknown)"
    )
    api_requests: int
    api_seconds: float
    lead_time_seconds: float
    formula: str


class TargetInfo(Model):
    provider: str
    title: str
    kind: str
    catalog_as_of: str
    origin: str


class CapacityPlan(Model):
    """Where each source server goes, what it costs, how long it takes, what is in the way."""

    target: TargetInfo
    servers: list[ServerPlacement]
    machines: int
    by_offering: list[OfferingCount]
    provisioning_seconds: float
    provisioning: Provisioning
    blockers: list[Blocker]
    monthly_usd: float
    unpriced_machines: int = Field(
        default=0,
        description="machines (or their volumes) with no price at the target: monthly_usd "
        "counts them as 0, so the monthly cost is unknown when this is above 0",
    )
    setup_usd: float
    setup_unknown_machines: int
    source_monthly_usd: float | None
    source_servers_with_cost: int
    target_monthly_usd_for_costed: float | None = Field(
        description="target cost of the servers whose source cost is known (like for like)"
    )
    consolidation: Consolidation | None
    unplaced: list[Unplaced]
    deadline_seconds: float | None
    meets_deadline: bool | None
    assumptions: list[PlanAssumption]
