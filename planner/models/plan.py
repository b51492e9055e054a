"""The plan: its options (what the user chose) and its output (the ``plan`` JSON contract).

Output keys follow ``PRODUCT.md`` exactly; extra keys add detail but never replace a contract key.
``capacity`` is filled by the target-capacity work (``--target``): any pydantic model or mapping
plugs in there and is serialised as it is.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from planner.models.base import Model
from planner.models.inventory import Link


class HostOverride(Model):
    """Per-host changes (from a suggestion or the user): more streams, a faster port, a disk."""

    streams: int | None = Field(default=None, gt=0)
    target_port_bits_per_second: float | None = Field(default=None, gt=0)
    volume_throughput_bytes_per_second: float | None = Field(
        default=None, gt=0, description="re-provision every data volume as gp3 at this throughput"
    )


class PlanOptions(Model):
    """Everything the user can choose; ``None`` means the seeded default."""

    deadline_seconds: float | None = Field(default=None, gt=0)
    links: list[Link] = Field(
        default_factory=list, description="extra links; a name already in the inventory replaces it"
    )
    streams: int | None = Field(default=None, gt=0, description="parallel streams per host")
    concurrency: int | None = Field(default=None, gt=0, description="hosts copying at once")
    target_port_bits_per_second: float | None = Field(default=None, gt=0)
    rtt_seconds: float | None = Field(default=None, gt=0)
    loss_rate: float | None = Field(default=None, ge=0, lt=1)
    cipher: str | None = None
    compression_ratio: float = Field(default=1.0, ge=1.0, description="source bytes per wire byte")
    host_overrides: dict[str, HostOverride] = Field(default_factory=dict)
    target_monthly_usd: float | None = Field(default=None, ge=0)


# --- output ----------------------------------------------------------------------------------


class PlanInventory(Model):
    servers: int
    data_stores: int
    total_bytes: int | None = Field(
        description="bytes of the items of known size; null when no item's size is known"
    )
    unknown_size: list[str] = Field(
        default_factory=list, description="ids whose size is unknown (not planned)"
    )


class DeadlineReason(Model):
    """One thing that keeps the exit from meeting its deadline."""

    kind: Literal["late", "unplaced", "capacity"] = Field(
        description="late: provisioning + copy + cutover take longer than the deadline; "
        "unplaced: servers with no machine at the target; capacity: a blocker at the target "
        "(cluster capacity, quota, ...)"
    )
    message: str
    ids: list[str] = Field(default_factory=list, description="the servers concerned, if any")
    seconds: float | None = Field(default=None, description="late: by how much")


class Deadline(Model):
    """The verdict. ``meets`` is true only when ``reasons`` is empty; ``margin_seconds`` is the
    time margin alone, so it can be positive while ``meets`` is false (``time_fits`` true and a
    reason such as ``unplaced`` in ``reasons``)."""

    seconds: float | None = None
    meets: bool | None = None
    margin_seconds: float | None = Field(
        default=None,
        description="time margin: deadline minus completion_seconds (negative = late); it says "
        "nothing about servers without a machine or capacity blockers (see reasons); null "
        "without a deadline or when items of unknown size are left out of the plan",
    )
    time_fits: bool | None = Field(
        default=None,
        description="completion_seconds <= deadline; null without a deadline, or when it fits "
        "but items of unknown size are left out (a plan late without them is late: false)",
    )
    reasons: list[DeadlineReason] = Field(
        default_factory=list, description="why the deadline is not met (empty when met)"
    )
    provisioning_seconds: float | None = Field(
        default=None, description="time to get the target machines (with --target), before copy"
    )
    completion_seconds: float | None = Field(
        default=None, description="provisioning + copy + cutover: when the exit is done"
    )


class HostTransfer(Model):
    """One host's (or data store's) bulk copy: when, how fast on average, and what limits it."""

    id: str
    kind: str = Field(description="server, object-storage, database, file-system, ...")
    role: str | None = Field(default=None, description="the role in the inventory (web, db, ...)")
    bytes: int
    start_seconds: float
    end_seconds: float
    rate_bits_per_second: float = Field(description="average rate over start..end")
    limited_by: str = Field(description="the constraint that held this host back most")
    cap_bits_per_second: float = Field(description="the host's own limit (min of constraints)")
    constraints_bits_per_second: dict[str, float] = Field(default_factory=dict)
    confidence: str = Field(description="provenance of the host's size: measured ... assumed")


class LowerBound(Model):
    name: str
    seconds: float


class Transfer(Model):
    bulk_seconds: float
    lower_bound_seconds: float
    lower_bound_terms: list[LowerBound] = Field(default_factory=list)
    bottleneck: str = Field(description="constraint id: target-port, link:NAME, concurrency, ...")
    bottleneck_detail: str
    limited_by_counts: dict[str, int] = Field(default_factory=dict)
    streams: int
    concurrency: int | None
    hosts: list[HostTransfer] = Field(default_factory=list)


class HostCutover(Model):
    id: str
    method: str = Field(description="pre-copy, replication or offline")
    rounds: int
    converges: bool
    downtime_seconds: float
    completion_seconds: float
    reason: str | None = None


class Cutover(Model):
    downtime_seconds: float
    rounds: int
    converges: bool
    completion_seconds: float = Field(description="when the last host runs on the target")
    critical_id: str | None = Field(default=None, description="the host with the longest downtime")
    non_converging: list[HostCutover] = Field(default_factory=list)
    hosts: list[HostCutover] = Field(default_factory=list)


class RegionCost(Model):
    region: str
    bytes: int
    usd: float
    price_schedule: str


class WaiverInfo(Model):
    name: str
    applicable: bool
    window_days: int
    conditions: list[str]
    reason: str


class Cost(Model):
    egress_usd: float | None = Field(
        description="egress of the priced items at list prices; null when none could be priced"
    )
    egress_usd_if_waived: float | None = Field(
        description="the same with the provider's exit waiver; null when none could be priced"
    )
    egress_provider: str | None = Field(
        default=None, description="the source provider whose list prices are used"
    )
    egress_unpriced_ids: list[str] = Field(
        default_factory=list,
        description="items whose source provider has no egress prices in the seeds (not in "
        "egress_usd: their egress cost is unknown)",
    )
    egress_unpriced_bytes: int = 0
    target_monthly_usd: float | None = None
    target_not_costed: list[str] = Field(
        default_factory=list,
        description="ids left out of target_monthly_usd: data stores the target does not size "
        "and servers with no machine there (their cost at the target is unknown)",
    )
    by_region: list[RegionCost] = Field(default_factory=list)
    waiver: WaiverInfo | None = None


class Suggestion(Model):
    """A computed change: applying ``overrides`` and re-planning gives ``resulting_*``."""

    action: str = Field(description="target-port, streams, disk, link, concurrency")
    summary: str
    targets: list[str] = Field(default_factory=list)
    resulting_bulk_seconds: float
    resulting_completion_seconds: float
    meets: bool | None = Field(
        description="true if the deadline is met after the change; null when not proven: items "
        "of unknown size are left out of the plan, or it rests on ``condition``"
    )
    condition: str | None = Field(
        default=None,
        description="what must be done before the exit starts, in a time the plan does not "
        "count (e.g. adding cluster hosts); set, ``meets`` is null rather than true",
    )
    cumulative: bool = Field(
        description="true if the result includes the suggestions above it; false for an "
        "alternative (e.g. another target) that stands on its own"
    )
    resolves: list[str] = Field(
        default_factory=list,
        description="deadline reason kinds (unplaced, capacity) this change removes, assuming "
        "it is carried out as described",
    )
    options: PlanOptions = Field(description="the options that produce the result")


class PlanAssumption(Model):
    name: str
    value: str
    source: str


class Confidence(Model):
    level: Literal["low", "medium", "high"]
    measured_bytes_fraction: float = Field(description="share of bytes measured or discovered")
    bytes_by_provenance: dict[str, int]
    notes: list[str] = Field(default_factory=list)


class Plan(Model):
    schema_version: Literal[1] = 1
    inventory: PlanInventory
    deadline: Deadline
    transfer: Transfer
    cutover: Cutover
    cost: Cost
    capacity: Any | None = Field(
        default=None, description="target capacity section (with --target); null otherwise"
    )
    suggestions: list[Suggestion] = Field(default_factory=list)
    assumptions: list[PlanAssumption] = Field(default_factory=list)
    confidence: Confidence
    warnings: list[str] = Field(default_factory=list)
