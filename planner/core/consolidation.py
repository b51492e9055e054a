"""Consolidation: pack several small servers onto one larger machine when that is cheaper.

Servers are grouped (by role, or all together) and, for every offering that could host at least
two of them, packed first-fit-decreasing on vCPUs, memory and local disk, keeping a reserve for
the hypervisor and honouring the overcommit ratios. A machine left with a single server is not a
consolidation: that server keeps its own cheapest offering. The packing with the lowest total
monthly cost wins, and only if it beats sizing each server on its own. Pure and deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from planner.core.sizing import arch_ok, offered
from planner.models.capacity import ConsolidatedHost, Fit, Requirement, SizingOptions
from planner.models.catalog import Catalog, Offering


@dataclass
class _Bin:
    vcpus: float
    memory: float
    disk: float
    items: list[Requirement] = field(default_factory=list)


@dataclass
class Packing:
    """The chosen hosts and which servers they carry."""

    hosts: list[ConsolidatedHost]
    host_of: dict[str, str]
    monthly_usd_without: float
    monthly_usd_with: float


def _capacity(o: Offering, options: SizingOptions) -> tuple[float, float, float]:
    vcpus = math.floor(o.vcpus * options.cpu_overcommit) - options.reserve_vcpus
    memory = o.memory_bytes * options.memory_overcommit - options.reserve_memory_bytes
    return vcpus, memory, float(o.usable_disk_bytes(options.mirror_disks))


def _fits(req: Requirement, vcpus: float, memory: float, disk: float) -> bool:
    return req.vcpus <= vcpus and req.memory_bytes <= memory and req.disk_bytes <= disk


def _ffd(items: list[Requirement], cap: tuple[float, float, float]) -> list[_Bin]:
    """First-fit decreasing on the dominant share; full hosts leave the search early."""
    v_cap, m_cap, d_cap = cap
    min_v = min(r.vcpus for r in items)
    min_m = min(r.memory_bytes for r in items)
    min_d = min(r.disk_bytes for r in items)

    def weight(r: Requirement) -> tuple[float, str]:
        disk = r.disk_bytes / d_cap if d_cap else 0.0
        return (-max(r.vcpus / v_cap, r.memory_bytes / m_cap, disk), r.id)

    bins: list[_Bin] = []
    open_bins: list[_Bin] = []
    for req in sorted(items, key=weight):
        for b in open_bins:
            if _fits(req, b.vcpus, b.memory, b.disk):
                break
        else:
            b = _Bin(v_cap, m_cap, d_cap)
            bins.append(b)
            open_bins.append(b)
        b.vcpus -= req.vcpus
        b.memory -= req.memory_bytes
        b.disk -= req.disk_bytes
        b.items.append(req)
        if b.vcpus < min_v or b.memory < min_m or b.disk < min_d:
            open_bins.remove(b)  # not even the smallest server fits any more
    return bins


def _group_key(req: Requirement, options: SizingOptions) -> tuple[str, str]:
    return (req.role if options.consolidate_by == "role" else "all", req.architecture)


def _lower_bound(
    members: list[Requirement],
    items: list[Requirement],
    cap: tuple[float, float, float],
    price: float,
    own: dict[str, float],
) -> float:
    """No packing onto this offering costs less. The servers on one host use at most all of
    each resource, so their mean share over the resources adds up to at most 1: a packed server
    costs at least its mean share of a host; a server left alone costs its own price."""
    inside = {r.id for r in items}
    total = sum(own[r.id] for r in members if r.id not in inside)
    v_cap, m_cap, d_cap = cap
    dims = 3 if d_cap else 2
    for r in items:
        share = r.vcpus / v_cap + r.memory_bytes / m_cap + (r.disk_bytes / d_cap if d_cap else 0)
        total += min(own[r.id], price * share / dims)
    return total


def _best_packing(
    members: list[Requirement],
    rows: list[Offering],
    own: dict[str, float],
    alone: float,
    options: SizingOptions,
    max_lead_seconds: float | None,
) -> tuple[float, str, list[_Bin]] | None:
    """The cheapest packing over all host offerings; offerings whose lower bound cannot beat
    the best so far are skipped (the result is the same, only faster)."""
    trials = []
    for offering in rows:
        if not arch_ok(offering, members[0], options):
            continue
        if max_lead_seconds is not None and offering.lead_time_seconds > max_lead_seconds:
            continue
        cap = _capacity(offering, options)
        if cap[0] <= 0 or cap[1] <= 0:
            continue
        items = [r for r in members if _fits(r, *cap)]
        if len(items) < 2:
            continue
        bound = _lower_bound(members, items, cap, offering.monthly_usd, own)
        trials.append((round(bound, 6), offering.id, offering, cap, items))
    trials.sort(key=lambda t: (t[0], t[1]))
    best: tuple[float, str, list[_Bin]] | None = None
    limit = round(alone - 0.005, 6)
    for bound, oid, offering, cap, items in trials:
        if bound > (limit if best is None else round(best[0], 6)):
            break
        bins = _ffd(items, cap)
        shared = [b for b in bins if len(b.items) > 1]
        if not shared:
            continue
        packed = {r.id for b in shared for r in b.items}
        cost = len(shared) * offering.monthly_usd
        cost += sum(own[r.id] for r in members if r.id not in packed)
        if best is None or (round(cost, 6), oid) < (round(best[0], 6), best[1]):
            best = (cost, oid, shared)
    return best


def consolidate(
    fits: list[Fit],
    catalog: Catalog,
    options: SizingOptions,
    max_lead_seconds: float | None = None,
) -> Packing:
    """Pick, per group, the host offering and packing with the lowest total monthly cost.

    With ``max_lead_seconds`` (a deadline) only offerings delivered in time can be hosts.
    """
    own = {f.requirement.id: f.candidates[0].monthly_usd for f in fits if f.candidates}
    groups: dict[tuple[str, str], list[Requirement]] = {}
    for fit in fits:
        if fit.candidates:
            groups.setdefault(_group_key(fit.requirement, options), []).append(fit.requirement)
    rows = offered(catalog, options)
    hosts: list[ConsolidatedHost] = []
    host_of: dict[str, str] = {}
    total_with = 0.0
    counters: dict[str, int] = {}
    for (group, _arch), members in sorted(groups.items()):
        alone = sum(own[r.id] for r in members)
        best = _best_packing(members, rows, own, alone, options, max_lead_seconds)
        if best is None or best[0] >= alone - 0.005:
            total_with += alone
            continue
        cost, offering_id, shared = best
        total_with += cost
        offering = catalog.offering(offering_id)
        for b in shared:
            counters[group] = counters.get(group, 0) + 1
            prefix = "host" if group == "all" else f"{group}-host"
            name = f"{prefix}-{counters[group]:03d}"
            ids = sorted(r.id for r in b.items)
            hosts.append(
                ConsolidatedHost(
                    host=name,
                    offering=offering_id,
                    group=group,
                    servers=ids,
                    monthly_usd=offering.monthly_usd,
                    vcpus_used=sum(r.vcpus for r in b.items),
                    memory_bytes_used=sum(r.memory_bytes for r in b.items),
                    disk_bytes_used=sum(r.disk_bytes for r in b.items),
                )
            )
            host_of.update(dict.fromkeys(ids, name))
    return Packing(
        hosts=hosts,
        host_of=host_of,
        monthly_usd_without=round(sum(own.values()), 2),
        monthly_usd_with=round(total_with, 2),
    )
