"""Limits, blockers, provisioning time and assumptions of a capacity plan.

Each check reads the allocated machines and the catalog's limits and says, in one sentence with
numbers, what stands in the way and what would fix it: project server limits and quota raises,
servers per private network, placement groups, stock, private-cluster capacity and quotas,
servers that fit nowhere, and the deadline. Every figure used is listed as an assumption with
its source. Pure.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from planner.models.capacity import (
    Blocker,
    Candidate,
    CapacityOptions,
    CapacityPlan,
    Provisioning,
    Requirement,
)
from planner.models.catalog import Catalog, HostPool, Limit, Offering
from planner.units import format_duration, format_size

GIB = 2**30


@dataclass
class Allocation:
    """One target machine: the servers it carries and the offering it is."""

    host: str
    reqs: list[Requirement]
    candidate: Candidate
    offering: Offering
    consolidated: bool
    in_stock: bool
    lead_seconds: float
    note: str | None
    extra_usd: float = 0.0


def source_text(catalog: Catalog, key: str) -> str:
    ref = catalog.limits.sources.get(key)
    if ref is None:
        return key
    return f"{ref.title} ({ref.url})" if ref.url else ref.title


def server_limit(catalog: Catalog, options: CapacityOptions) -> tuple[float | None, str]:
    if options.server_limit is not None:
        return float(options.server_limit), "--server-limit"
    limit = catalog.limits.servers_per_project
    if limit.value is not None:
        return limit.value, "target file" if catalog.limits.kind == "private" else "published"
    if limit.assumed is not None:
        return limit.assumed, "assumed"
    return None, "unknown"


def quota_raise(
    machines: int, catalog: Catalog, options: CapacityOptions
) -> tuple[float, str | None]:
    """Seconds of limit raise counted before the machines can be created, and why.

    Over a known limit: the raise time. A public provider whose limit is unknown (not
    published, not assumed, no --server-limit) may well be below the fleet, so its raise time
    is counted too (conservative): pass --server-limit N to state a limit that fits.
    """
    limits = catalog.limits
    raise_time = limits.quota_raise_seconds.effective
    limit, origin = server_limit(catalog, options)
    if not machines or raise_time is None:
        return 0.0, None
    if limit is not None and machines > limit:
        return float(raise_time), (
            f"{machines} machines exceed the {limit:.0f}-server limit ({origin}): a raise takes "
            f"about {format_duration(raise_time)}"
        )
    if limit is None and limits.kind != "private":
        return float(raise_time), (
            f"{limits.title}'s server limit is unknown: a raise to {machines} servers is "
            f"counted (about {format_duration(raise_time)}); pass --server-limit N if the "
            "project already allows them"
        )
    return 0.0, None


def provisioning(
    done: list[Allocation], catalog: Catalog, options: CapacityOptions
) -> Provisioning:
    limits = catalog.limits
    machines = len(done)
    quota, why = quota_raise(machines, catalog, options)
    per_server = limits.api_requests_per_server.effective or 1.0
    requests = math.ceil(machines * per_server)
    api_seconds = 0.0
    allowed = limits.api_rate_limit.effective_requests
    if allowed:
        burst = limits.api_rate_limit.burst if limits.api_rate_limit.burst is not None else allowed
        api_seconds = max(0, requests - burst) * limits.api_rate_limit.per_seconds / allowed
    return Provisioning(
        quota_raise_seconds=quota,
        quota_raise_reason=why,
        api_requests=requests,
        api_seconds=api_seconds,
        lead_time_seconds=max((a.lead_seconds for a in done), default=0.0),
        formula="quota raise (if over the server limit, or if a public provider's limit is "
        "unknown) + API time beyond the burst + the longest lead time",
    )


def _count_limit(limit: Limit) -> int | None:
    value = limit.effective
    return None if value is None else int(value)


def blockers(
    plan: CapacityPlan, done: list[Allocation], catalog: Catalog, options: CapacityOptions
) -> list[Blocker]:
    out: list[Blocker] = []
    limits = catalog.limits
    title = limits.title
    machines = len(done)
    deadline = options.deadline_seconds
    if plan.unplaced:
        examples = "; ".join(f"{u.id}: {u.reason}" for u in plan.unplaced[:3])
        out.append(
            Blocker(
                kind="unplaced",
                severity="blocker",
                message=f"{len(plan.unplaced)} servers have no target machine. {examples}",
                suggestion="see unplaced[] for every server's reason; split large data sets or "
                "pick another target",
            )
        )
    for row in plan.by_offering:
        if not row.restock:
            continue
        offering = catalog.offering(row.offering)
        wait = offering.lead_time_out_of_stock_seconds or 0.0
        late = deadline is not None and wait > deadline
        out.append(
            Blocker(
                kind="stock",
                severity="blocker" if late else "warning",
                message=f"{row.machines} x {row.name} needed; only {row.in_stock} typically "
                f"in stock (see assumptions); {row.restock} wait up to "
                f"{format_duration(wait)} for restock or a custom build",
                suggestion="allow more locations or models, order in waves"
                + (
                    ", consolidate small servers (--consolidate)"
                    if plan.consolidation is None
                    else ""
                )
                + ", or pass --stock N if you know the real stock",
            )
        )
    swapped = [a for a in done if a.note]
    if swapped:
        extra = sum(a.extra_usd for a in swapped)
        out.append(
            Blocker(
                kind="substitution",
                severity="info",
                message=f"{len(swapped)} machines use a dearer model because the cheapest "
                f"fitting one is out of typical stock or too slow for the deadline "
                f"(+{extra:,.2f} USD/month)",
            )
        )
    limit, origin = server_limit(catalog, options)
    if limit is None and limits.kind != "private" and machines:
        counted = plan.provisioning.quota_raise_seconds
        out.append(
            Blocker(
                kind="server-limit",
                severity="warning" if counted else "info",
                message=f"{title}'s server limit per project/account is not published: "
                f"{machines} machines may need a limit increase"
                + (
                    f" (counted in provisioning: {format_duration(counted)})"
                    if counted
                    else " (raise time unknown: not counted in provisioning)"
                ),
                suggestion="check the limit in the provider console and pass --server-limit N",
            )
        )
    elif limit is not None and machines > limit:
        raise_time = limits.quota_raise_seconds.effective
        late = deadline is not None and raise_time is not None and raise_time > deadline
        out.append(
            Blocker(
                kind="server-limit",
                severity="blocker" if late else "warning",
                message=f"{machines} machines exceed the {limit:.0f}-server limit ({origin}): "
                f"request a raise to {machines}"
                + (f" (about {format_duration(raise_time)})" if raise_time is not None else ""),
                suggestion="request the raise now, before anything else, or split across projects",
            )
        )
    per_network = _count_limit(limits.servers_per_network)
    if per_network and machines > per_network:
        networks = math.ceil(machines / per_network)
        out.append(
            Blocker(
                kind="network-limit",
                severity="warning",
                message=f"{machines} servers exceed the {per_network}-servers-per-network limit: "
                f"split into {networks} networks",
                suggestion="one network per role or per site, routed to each other",
            )
        )
    out.extend(_placement(done, catalog))
    out.extend(_pool(done, catalog))
    if deadline is not None and plan.provisioning_seconds > deadline:
        out.append(
            Blocker(
                kind="deadline",
                severity="blocker",
                message="getting the machines takes "
                f"{format_duration(plan.provisioning_seconds)}, more than the "
                f"{format_duration(deadline)} deadline",
                suggestion="order models in stock, raise limits in advance, or keep a warm standby",
            )
        )
    low = sum(1 for a in done if a.offering.confidence == "low")
    if low:
        out.append(
            Blocker(
                kind="price-confidence",
                severity="info",
                message=f"{low} of {machines} machines are priced from low-confidence catalog "
                "rows: verify prices before relying on the total",
            )
        )
    if plan.setup_unknown_machines:
        out.append(
            Blocker(
                kind="setup-fees",
                severity="info",
                message=f"setup fees unknown for {plan.setup_unknown_machines} machines: "
                "setup_usd covers the others only",
            )
        )
    return out


def _placement(done: list[Allocation], catalog: Catalog) -> list[Blocker]:
    per_group = _count_limit(catalog.limits.servers_per_placement_group)
    if not per_group or not done:
        return []
    roles = Counter(a.reqs[0].role for a in done)
    groups = sum(math.ceil(n / per_group) for n in roles.values())
    allowed = _count_limit(catalog.limits.placement_groups_per_project)
    if allowed is not None and groups > allowed:
        return [
            Blocker(
                kind="placement-groups",
                severity="warning",
                message=f"spreading each role over hosts needs {groups} placement groups of at "
                f"most {per_group} servers; the project allows {allowed}",
                suggestion="spread only the roles that need it (databases, quorum members)",
            )
        ]
    return [
        Blocker(
            kind="placement-groups",
            severity="info",
            message=f"spreading each role over hosts takes {groups} placement groups of at most "
            f"{per_group} servers",
        )
    ]


def _overcommit(vcpus: int, memory_bytes: int, pool: HostPool) -> str:
    """The overcommit ratios that would fit ``vcpus`` and ``memory_bytes`` on today's hosts."""
    parts = []
    if vcpus > pool.vcpus * pool.cpu_overcommit:
        parts.append(f"CPU {math.ceil(vcpus / pool.vcpus * 100) / 100:g}x")
    if memory_bytes > pool.memory_bytes * pool.memory_overcommit:
        parts.append(f"memory {math.ceil(memory_bytes / pool.memory_bytes * 100) / 100:g}x")
    return " and ".join(parts)


def _pool(done: list[Allocation], catalog: Catalog) -> list[Blocker]:
    out: list[Blocker] = []
    vcpus = sum(a.offering.vcpus for a in done)
    memory = sum(a.offering.memory_bytes for a in done)
    disk = sum(sum(g.count * g.size_bytes for g in a.offering.disks) for a in done)
    disk += sum(a.candidate.block_storage_bytes for a in done)
    pool = catalog.pool
    if pool is not None and pool.hosts:
        cpu_cap = pool.vcpus * pool.cpu_overcommit
        mem_cap = pool.memory_bytes * pool.memory_overcommit
        per_host = max(pool.vcpus * pool.cpu_overcommit / pool.hosts, 1.0)
        per_host_mem = max(pool.memory_bytes * pool.memory_overcommit / pool.hosts, 1.0)
        need_hosts = max(
            math.ceil((vcpus - cpu_cap) / per_host), math.ceil((memory - mem_cap) / per_host_mem)
        )
        if vcpus > cpu_cap or memory > mem_cap:
            out.append(
                Blocker(
                    kind="cluster-capacity",
                    severity="blocker",
                    message=f"needs {vcpus} vCPUs and {memory / GIB:,.0f} GiB; the cluster offers "
                    f"{cpu_cap:,.0f} vCPUs ({pool.vcpus} threads x {pool.cpu_overcommit:g}) and "
                    f"{mem_cap / GIB:,.0f} GiB ({pool.memory_overcommit:g} x "
                    f"{pool.memory_bytes / GIB:,.0f})",
                    suggestion=f"add about {need_hosts} hosts like the current ones, "
                    f"or raise overcommit to at least {_overcommit(vcpus, memory, pool)}",
                )
            )
        if pool.storage_bytes is not None and disk > pool.storage_bytes:
            out.append(
                Blocker(
                    kind="cluster-storage",
                    severity="blocker",
                    message=f"needs {format_size(disk)} of disk; the cluster has "
                    f"{format_size(pool.storage_bytes)}",
                    suggestion="add storage or use smaller flavors",
                )
            )
    quota = catalog.quota
    if quota is not None:
        over = []
        if quota.vcpus is not None and vcpus > quota.vcpus:
            over.append(("cores", "vCPUs", vcpus, quota.vcpus))
        if quota.memory_bytes is not None and memory > quota.memory_bytes:
            over.append(("ram", "MiB of RAM", memory // 2**20, quota.memory_bytes // 2**20))
        if quota.storage_bytes is not None and disk > quota.storage_bytes:
            over.append(
                ("gigabytes", "GB of disk", math.ceil(disk / 1e9), quota.storage_bytes // 10**9)
            )
        for name, unit, need, have in over:
            out.append(
                Blocker(
                    kind="quota",
                    severity="blocker",
                    message=f"needs {need:,} {unit}; the project quota is {have:,}",
                    suggestion=f"raise it (OpenStack: openstack quota set --{name} {need} PROJECT)",
                )
            )
    return out
