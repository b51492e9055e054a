"""A user-written private target: a Proxmox VE cluster, an OpenStack project or a MAAS pool.

Public providers are described by bundled seed data; a private target is described by its owner
in one small YAML file (examples in ``inventories/targets/``): the sizes you allow (``flavors``;
for MAAS, machine classes with the ``count`` of machines that are Ready), the hypervisors behind
them (``hosts``, with overcommit ratios), project quotas and how fast servers can be built.
:meth:`PrivateTarget.to_catalog` turns it into the same :class:`~planner.models.catalog.Catalog`
the public providers use, so sizing and capacity planning treat both alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from planner.models.base import Model
from planner.models.catalog import (
    ID_PATTERN,
    ApiRateLimit,
    BlockStorage,
    Catalog,
    Disks,
    DurationLimit,
    HostPool,
    Limit,
    Offering,
    PortSpeeds,
    ProviderLimits,
    Quota,
    TrafficPolicy,
)
from planner.models.seeds import SourceRef
from planner.units import DurationSeconds, RateBitsPerSecond, SizeBytes

OWNER_SOURCE = "owner"


class PrivateFlavor(Model):
    """A size you allow: an OpenStack flavor, a Proxmox VM template or a MAAS machine class."""

    name: str = Field(pattern=ID_PATTERN)
    vcpus: int = Field(ge=1)
    memory_bytes: SizeBytes = Field(validation_alias="memory")
    disks: Disks = Field(default_factory=list, description="e.g. '1x80GB ssd'")
    nic_bits_per_second: RateBitsPerSecond | None = Field(default=None, validation_alias="nic")
    architecture: Literal["x86_64", "arm64"] = "x86_64"
    monthly_usd: float | None = Field(
        default=None,
        ge=0,
        description="internal charge-back per month; 0 = not charged; absent = unknown",
    )
    count: int | None = Field(
        default=None, ge=0, description="units available (MAAS: Ready machines); None = pooled"
    )
    note: str | None = None


class PrivateHost(Model):
    """A hypervisor (or a group of ``count`` identical ones)."""

    name: str
    count: int = Field(default=1, ge=1)
    vcpus: int = Field(ge=1, description="hardware threads")
    memory_bytes: SizeBytes = Field(validation_alias="memory")
    storage_bytes: SizeBytes | None = Field(default=None, validation_alias="storage")
    nic_bits_per_second: RateBitsPerSecond | None = Field(default=None, validation_alias="nic")


class Overcommit(Model):
    cpu: float = Field(default=1.0, gt=0)
    memory: float = Field(default=1.0, gt=0)


class Provisioning(Model):
    """How fast the platform builds servers."""

    lead_time_seconds: DurationSeconds = Field(
        validation_alias="lead_time", description="time to build one server (clone, deploy)"
    )
    requests_per_hour: int | None = Field(
        default=None, ge=1, description="API or orchestration throttle; None = unlimited"
    )
    requests_per_server: int = Field(default=1, ge=1)


class PrivateBlockStorage(Model):
    """Network volumes (Cinder, Ceph RBD) that can be attached to a VM for more disk."""

    max_volume_bytes: SizeBytes = Field(validation_alias="max_volume")
    max_volumes_per_server: int = Field(ge=1)
    usd_per_gb_month: float | None = Field(
        default=None, ge=0, description="0 = not charged; absent = unknown"
    )


class PrivateTarget(Model):
    """The whole private target file."""

    schema_version: Literal[1] = 1
    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["proxmox", "openstack", "maas"]
    title: str
    as_of: dt.date
    source: str = Field(
        default="written by the target's owner", description="who wrote the numbers, and how"
    )
    locations: list[str] = Field(default_factory=lambda: ["default"], min_length=1)
    flavors: list[PrivateFlavor] = Field(min_length=1)
    hosts: list[PrivateHost] = Field(default_factory=list)
    overcommit: Overcommit = Field(default_factory=Overcommit)
    quota: Quota = Field(default_factory=Quota)
    servers_per_network: int | None = Field(default=None, ge=1)
    quota_raise_seconds: DurationSeconds | None = Field(
        default=None, validation_alias="quota_raise"
    )
    provisioning: Provisioning
    block_storage: PrivateBlockStorage | None = None
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_flavors(self) -> PrivateTarget:
        names = [f.name for f in self.flavors]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate flavor names: {', '.join(duplicates)}")
        return self

    def pool(self) -> HostPool | None:
        if not self.hosts:
            return None
        storage = [h.storage_bytes for h in self.hosts]
        return HostPool(
            hosts=sum(h.count for h in self.hosts),
            vcpus=sum(h.vcpus * h.count for h in self.hosts),
            memory_bytes=sum(h.memory_bytes * h.count for h in self.hosts),
            storage_bytes=None
            if any(s is None for s in storage)
            else sum((h.storage_bytes or 0) * h.count for h in self.hosts),
            cpu_overcommit=self.overcommit.cpu,
            memory_overcommit=self.overcommit.memory,
        )

    def to_catalog(self, origin: str) -> Catalog:
        """The same catalog shape as a public provider; limits come from this file."""
        as_of = self.as_of
        owner = {"source": OWNER_SOURCE, "as_of": as_of}
        bare_metal = self.kind == "maas"
        offerings = [
            Offering(
                id=f.name,
                name=f.name,
                kind="bare-metal" if bare_metal else "vm",
                architecture=f.architecture,
                vcpus=f.vcpus,
                dedicated_cpu=bare_metal,
                memory_bytes=f.memory_bytes,
                disks=f.disks,
                nic_bits_per_second=f.nic_bits_per_second,
                traffic_unmetered=True,
                currency="USD",
                monthly_price=f.monthly_usd or 0.0,
                setup_fee=0.0,
                monthly_usd=f.monthly_usd or 0.0,
                price_known=f.monthly_usd is not None,
                setup_usd=0.0,
                locations=self.locations,
                lead_time_seconds=self.provisioning.lead_time_seconds,
                lead_time_out_of_stock_seconds=None,
                typical_stock=f.count,
                confidence="high" if f.monthly_usd is not None else "low",
                source=self.source,
                as_of=as_of,
                note=f.note,
            )
            for f in self.flavors
        ]
        nics = sorted({f.nic_bits_per_second for f in self.flavors if f.nic_bits_per_second})
        limits = ProviderLimits(
            provider=self.id,
            title=self.title,
            kind="private",
            currency="USD",
            as_of=as_of,
            sources={OWNER_SOURCE: SourceRef(title=self.source, date=str(as_of))},
            port_speeds=PortSpeeds(standard_bits_per_second=nics, **owner),
            traffic=TrafficPolicy(summary="own network: no traffic charges", **owner),
            api_rate_limit=ApiRateLimit(
                requests=self.provisioning.requests_per_hour, per_seconds=3600, **owner
            ),
            api_requests_per_server=Limit(value=self.provisioning.requests_per_server, **owner),
            servers_per_project=Limit(
                value=None if self.quota.instances is None else self.quota.instances, **owner
            ),
            servers_per_network=Limit(value=self.servers_per_network, **owner),
            servers_per_placement_group=Limit(**owner),
            placement_groups_per_project=Limit(**owner),
            quota_raise_seconds=DurationLimit(value=self.quota_raise_seconds, **owner),
            typical_stock_per_offering=Limit(**owner),
            block_storage=None
            if self.block_storage is None
            else BlockStorage(
                price_per_gb_month=self.block_storage.usd_per_gb_month or 0.0,
                usd_per_gb_month=self.block_storage.usd_per_gb_month or 0.0,
                price_known=self.block_storage.usd_per_gb_month is not None,
                max_volume_bytes=self.block_storage.max_volume_bytes,
                max_volumes_per_server=self.block_storage.max_volumes_per_server,
                confidence="high" if self.block_storage.usd_per_gb_month is not None else "low",
                **owner,
            ),
            notes=self.notes,
        )
        return Catalog(
            provider=self.id,
            origin=origin,
            limits=limits,
            offerings=offerings,
            usd_per_unit={"USD": 1.0},
            pool=self.pool(),
            quota=self.quota,
            private_kind=self.kind,
        )
