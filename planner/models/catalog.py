"""Models of the target catalog: what a provider sells, at what price, and its limits.

One provider is a folder ``seeds/providers/<provider>/`` with ``offerings.csv`` (one
:class:`Offering` per row) and ``limits.yaml`` (:class:`ProviderLimits`). Prices are kept in the
provider's currency *and* normalised to USD with the rate in ``exchange_rates.yaml``
(:class:`ExchangeRates`); :class:`Catalog` checks that the two agree. Every row and every limit
names its source and an as-of date. ``None`` means *not published / unknown*, never zero; a limit
the planner needs but nobody publishes carries an explicit ``assumed`` value instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from planner.models.base import Model
from planner.models.seeds import SourceRef
from planner.units import DurationSeconds, RateBitsPerSecond, SizeBytes, parse_size

ID_PATTERN = r"^[a-z0-9][a-z0-9.+@_-]*$"
DiskType = Literal["nvme", "ssd", "hdd", "network"]
Confidence = Literal["high", "medium", "low"]
_DISK_RE = re.compile(r"^\s*(?:(\d+)\s*[x×]\s*)?([0-9.]+\s*[A-Za-z]*)\s+(nvme|ssd|hdd|network)\s*$")
_USD_TOLERANCE = 0.011  # relative; CSV USD columns are rounded


class DiskGroup(Model):
    """``count`` identical disks of ``size_bytes`` each."""

    count: int = Field(ge=1)
    size_bytes: SizeBytes
    type: DiskType


def parse_disks(value: object) -> object:
    """``2x512GB nvme + 4x22TB hdd`` -> disk groups; empty or ``none`` -> no local disk."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.lower() in {"", "none", "-"}:
        return []
    groups: list[dict[str, Any]] = []
    for part in text.split("+"):
        match = _DISK_RE.match(part)
        if match is None:
            raise ValueError(f"invalid disk spec {part.strip()!r} (example: 2x512GB nvme)")
        groups.append(
            {
                "count": int(match[1] or 1),
                "size_bytes": parse_size(match[2]),
                "type": match[3],
            }
        )
    return groups


def _split_words(value: object) -> object:
    if isinstance(value, str):
        return [w for w in re.split(r"[\s,;]+", value) if w]
    return value


Words = Annotated[list[str], BeforeValidator(_split_words)]
Disks = Annotated[list[DiskGroup], BeforeValidator(parse_disks)]


class Offering(Model):
    """One orderable server: a cloud server type or a dedicated/bare-metal model."""

    id: str = Field(pattern=ID_PATTERN, description="unique within the provider")
    name: str = Field(min_length=1, description="the provider's product name")
    kind: Literal["vm", "bare-metal"]
    architecture: Literal["x86_64", "arm64"] = "x86_64"
    cpu: str | None = None
    vcpus: int = Field(ge=1, description="vCPUs (VMs) or hardware threads (bare metal)")
    dedicated_cpu: bool
    memory_bytes: SizeBytes = Field(validation_alias="memory")
    disks: Disks = Field(default_factory=list)
    nic_bits_per_second: RateBitsPerSecond | None = Field(
        default=None, validation_alias="nic", description="public port speed; None = unpublished"
    )
    included_traffic_bytes: SizeBytes | None = Field(
        default=None, validation_alias="included_traffic"
    )
    traffic_unmetered: bool = False
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    monthly_price: float = Field(ge=0)
    hourly_price: float | None = Field(default=None, ge=0)
    setup_fee: float | None = Field(default=None, ge=0, description="None = unknown")
    monthly_usd: float = Field(ge=0)
    hourly_usd: float | None = Field(default=None, ge=0)
    setup_usd: float | None = Field(default=None, ge=0)
    locations: Words = Field(min_length=1)
    lead_time_seconds: DurationSeconds = Field(validation_alias="lead_time")
    lead_time_out_of_stock_seconds: DurationSeconds | None = Field(
        default=None,
        validation_alias="lead_time_out_of_stock",
        description="when stock runs out or the model is customised; None = cannot get more",
    )
    typical_stock: int | None = Field(
        default=None,
        ge=0,
        description="units typically available at once (all locations); None = unknown",
    )
    confidence: Confidence
    source: str = Field(min_length=1)
    as_of: dt.date
    note: str | None = None
    price_known: bool = Field(
        default=True,
        description="false: the source (a private target file) gives no price; the prices "
        "then stand at 0 for ranking only and the cost is unknown",
    )

    @model_validator(mode="before")
    @classmethod
    def _traffic_words(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if v is not None and v != ""}
            traffic = data.get("included_traffic", data.get("included_traffic_bytes"))
            if isinstance(traffic, str) and traffic.strip().lower() in {"unlimited", "unmetered"}:
                data.pop("included_traffic", None)
                data.pop("included_traffic_bytes", None)
                data["traffic_unmetered"] = True
        return data

    def usable_disk_bytes(self, mirror: bool) -> int:
        """Local disk usable for data; with ``mirror`` every group of 2+ disks keeps half."""
        total = 0
        for group in self.disks:
            usable = group.count // 2 if mirror and group.count >= 2 else group.count
            total += usable * group.size_bytes
        return total


class Limit(Model):
    """One published limit. ``value`` None = not published or not found; then ``assumed`` (if
    given) is what the planner uses, and it says so in its assumptions."""

    value: float | None = None
    assumed: float | None = None
    source: str = Field(description="key into the file's `sources`")
    as_of: dt.date
    note: str | None = None

    @property
    def effective(self) -> float | None:
        return self.value if self.value is not None else self.assumed


class DurationLimit(Limit):
    """A limit measured in seconds; input may be ``2d``, ``4h``, ..."""

    value: DurationSeconds | None = None
    assumed: DurationSeconds | None = None


class ApiRateLimit(Model):
    """A token-bucket style API limit: ``requests`` per ``per_seconds``, bursts up to ``burst``."""

    requests: int | None = Field(default=None, ge=1, description="None = not published")
    per_seconds: DurationSeconds = 3600.0
    burst: int | None = Field(default=None, ge=0, description="None = same as requests")
    assumed_requests: int | None = Field(default=None, ge=1)
    source: str
    as_of: dt.date
    note: str | None = None

    @property
    def effective_requests(self) -> int | None:
        return self.requests if self.requests is not None else self.assumed_requests


class PortSpeeds(Model):
    standard_bits_per_second: list[RateBitsPerSecond] = Field(default_factory=list)
    upgrades_bits_per_second: list[RateBitsPerSecond] = Field(default_factory=list)
    source: str
    as_of: dt.date
    note: str | None = None


class TrafficPolicy(Model):
    summary: str
    counts_inbound: bool | None = Field(default=None, description="None = unknown")
    overage_price_per_tb: float | None = Field(default=None, ge=0)
    source: str
    as_of: dt.date


class BlockStorage(Model):
    """Network volumes that can be attached to a server to add disk space."""

    price_per_gb_month: float = Field(ge=0, description="in the provider's currency")
    usd_per_gb_month: float = Field(ge=0)
    min_volume_bytes: SizeBytes = 0
    max_volume_bytes: SizeBytes
    max_volumes_per_server: int = Field(ge=1)
    confidence: Confidence
    source: str
    as_of: dt.date
    note: str | None = None
    price_known: bool = Field(
        default=True, description="false: no price given; usd_per_gb_month 0 means unknown"
    )


class ProviderLimits(Model):
    """``limits.yaml``: network, traffic, API and quota facts of one provider."""

    schema_version: Literal[1] = 1
    provider: str = Field(pattern=ID_PATTERN)
    title: str
    kind: Literal["cloud", "dedicated", "private"]
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    as_of: dt.date
    sources: dict[str, SourceRef] = Field(min_length=1)
    port_speeds: PortSpeeds
    traffic: TrafficPolicy
    api_rate_limit: ApiRateLimit
    api_requests_per_server: Limit
    servers_per_project: Limit
    servers_per_network: Limit
    servers_per_placement_group: Limit
    placement_groups_per_project: Limit
    quota_raise_seconds: DurationLimit
    typical_stock_per_offering: Limit
    block_storage: BlockStorage | None = None
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sources_exist(self) -> ProviderLimits:
        for name in type(self).model_fields:
            item = getattr(self, name)
            key = getattr(item, "source", None)
            if isinstance(key, str) and key not in self.sources:
                raise ValueError(f"{name}.source: {key!r} is not a key of `sources`")
        return self


class ExchangeRates(Model):
    """``exchange_rates.yaml``: how many US dollars one unit of each currency buys."""

    as_of: dt.date
    sources: list[SourceRef] = Field(min_length=1)
    usd_per_unit: dict[str, float] = Field(min_length=1)
    note: str | None = None


class HostPool(Model):
    """Aggregate capacity of a private cluster (hypervisors), with overcommit ratios."""

    hosts: int = Field(ge=0)
    vcpus: int = Field(ge=0, description="physical threads")
    memory_bytes: SizeBytes
    storage_bytes: SizeBytes | None = None
    cpu_overcommit: float = Field(default=1.0, gt=0)
    memory_overcommit: float = Field(default=1.0, gt=0)


class Quota(Model):
    """Project quotas of a private cloud (OpenStack-style); None = no quota."""

    instances: int | None = Field(default=None, ge=0)
    vcpus: int | None = Field(default=None, ge=0)
    memory_bytes: SizeBytes | None = Field(default=None, validation_alias="memory")
    storage_bytes: SizeBytes | None = Field(default=None, validation_alias="storage")


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_USD_TOLERANCE, abs_tol=0.011)


class Catalog(Model):
    """Everything the sizer and capacity planner know about one target."""

    provider: str
    origin: str = Field(description="where it was loaded from (for messages)")
    limits: ProviderLimits
    offerings: list[Offering] = Field(min_length=1)
    usd_per_unit: dict[str, float]
    usd_rate_source: str | None = Field(default=None, description="where the exchange rate is from")
    pool: HostPool | None = None
    quota: Quota | None = None
    private_kind: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Catalog:
        seen: set[str] = set()
        for row in self.offerings:
            if row.id in seen:
                raise ValueError(f"duplicate offering id {row.id!r}")
            seen.add(row.id)
            rate = self.usd_per_unit.get(row.currency)
            if rate is None:
                raise ValueError(f"{row.id}: no exchange rate for {row.currency}")
            pairs = [
                ("monthly", row.monthly_price, row.monthly_usd),
                ("hourly", row.hourly_price, row.hourly_usd),
                ("setup", row.setup_fee, row.setup_usd),
            ]
            for label, native, usd in pairs:
                if (native is None) != (usd is None):
                    raise ValueError(f"{row.id}: {label} price and its USD value must both be set")
                if native is not None and usd is not None and not _close(native * rate, usd):
                    raise ValueError(
                        f"{row.id}: {label}_usd {usd} does not match {native} {row.currency} "
                        f"x {rate} USD/{row.currency} = {native * rate:.4f}"
                    )
        storage = self.limits.block_storage
        if storage is not None:
            rate = self.usd_per_unit.get(self.limits.currency)
            expected = storage.price_per_gb_month * (rate or 0.0)
            if rate is None or not math.isclose(expected, storage.usd_per_gb_month, rel_tol=0.02):
                raise ValueError(
                    f"block_storage.usd_per_gb_month {storage.usd_per_gb_month} does not match "
                    f"{storage.price_per_gb_month} {self.limits.currency}"
                )
        return self

    def offering(self, offering_id: str) -> Offering:
        for row in self.offerings:
            if row.id == offering_id:
                return row
        raise KeyError(offering_id)
