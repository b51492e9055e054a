"""The raw material of a discovery run: API responses as plain dicts, grouped by region.

Collectors fill a :class:`Harvest`; the pure mapping functions turn it into an inventory. Keeping
the two apart lets the mapping be tested on recorded responses without any AWS endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Raw = dict[str, Any]


@dataclass(frozen=True)
class CensusHit:
    """One managed-service resource found in the account."""

    service: str  # lock-in service id (research/lockin_knowledge.md §1)
    signal: str  # "client:Operation" that found it
    arn: str


@dataclass
class RegionHarvest:
    """What was read in one region. Lists stay empty when a call failed (see the issue log)."""

    region: str
    instances: list[Raw] = field(default_factory=list)
    volumes: list[Raw] = field(default_factory=list)
    snapshots: list[Raw] = field(default_factory=list)
    db_instances: list[Raw] = field(default_factory=list)
    db_clusters: list[Raw] = field(default_factory=list)
    cache_clusters: list[Raw] = field(default_factory=list)
    file_systems: list[Raw] = field(default_factory=list)
    tables: list[Raw] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    census: list[CensusHit] = field(default_factory=list)


@dataclass
class Bucket:
    """An S3 bucket with its region and, when known, its size and object count."""

    name: str
    region: str | None = None
    size_bytes: int | None = None
    object_count: int | None = None
    size_from: str | None = None  # "metrics" or "listing"


@dataclass
class Harvest:
    """Everything one run read from the account."""

    account: str | None = None
    partition: str = "aws"
    caller_arn: str | None = None
    regions: dict[str, RegionHarvest] = field(default_factory=dict)
    regions_not_enabled: list[str] = field(default_factory=list)
    instance_types: dict[str, Raw] = field(default_factory=dict)
    assumed_instance_types: set[str] = field(default_factory=set)
    buckets: list[Bucket] = field(default_factory=list)
    buckets_elsewhere: int = 0  # buckets in regions outside the run
    global_census: list[CensusHit] = field(default_factory=list)

    def region(self, name: str) -> RegionHarvest:
        found = self.regions.get(name)
        if found is None:
            found = self.regions[name] = RegionHarvest(name)
        return found


def metric_key(metric: str, dimension: str, value: str) -> str:
    """Key of one latest metric value in :attr:`RegionHarvest.metrics`."""
    return f"{metric}/{dimension}={value}"
