"""Data that does not live on a server: buckets, managed databases, file systems, caches."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AliasChoices, Field

from planner.models.base import Model, Provenance
from planner.models.server import LockinEvidence, Source
from planner.units import BytesPerSecond, SizeBytes


class DataStoreKind(StrEnum):
    OBJECT_STORAGE = "object-storage"
    DATABASE = "database"
    FILE_SYSTEM = "file-system"
    CACHE = "cache"
    OTHER = "other"


class DataStore(Model):
    """A managed data store; ``service`` is a lock-in service id (``s3``, ``rds-postgresql``)."""

    id: str = Field(min_length=1)
    kind: DataStoreKind
    service: str | None = None
    engine: str | None = None
    engine_version: str | None = None
    instance_class: str | None = None
    source: Source = Field(default_factory=Source)
    role: str = "unknown"
    tags: dict[str, str] = Field(default_factory=dict)
    size_bytes: SizeBytes | None = Field(
        default=None,
        validation_alias=AliasChoices("size_bytes", "size"),
        description="allocated size (databases, file systems)",
    )
    used_bytes: SizeBytes | None = Field(
        default=None,
        validation_alias=AliasChoices("used_bytes", "used"),
        description="bytes stored: what must be copied",
    )
    object_count: int | None = Field(default=None, ge=0)
    change_rate_bytes_per_second: BytesPerSecond | None = Field(
        default=None, validation_alias=AliasChoices("change_rate_bytes_per_second", "change_rate")
    )
    throughput_bytes_per_second: BytesPerSecond | None = Field(
        default=None, validation_alias=AliasChoices("throughput_bytes_per_second", "throughput")
    )
    dependencies: list[str] = Field(default_factory=list)
    lockin: list[LockinEvidence] = Field(default_factory=list)
    monthly_cost_usd: float | None = Field(default=None, ge=0)
    provenance: dict[str, Provenance] = Field(default_factory=dict)
