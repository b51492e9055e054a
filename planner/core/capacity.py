"""Capacity plan: which target machine replaces each source server, what it costs, how long it
takes to get them all and what stands in the way.

:func:`plan_capacity` sizes every server (:mod:`planner.core.sizing`), optionally consolidates
small ones (:mod:`planner.core.consolidation`), then allocates machines against typical stock
(taking the next-cheapest model in stock, or waiting for restock), and adds up provisioning time
as ``quota raise + API time beyond the burst + the longest lead time`` (allocation in
:mod:`planner.core.allocation`). Limits and blockers are checked in
:mod:`planner.core.capacity_checks`. Pure: models in, a :class:`CapacityPlan` out.
"""

from __future__ import annotations

from collections.abc import Mapping

from planner.core.allocation import allocate, machines_for, stock_limited, unplaced_entry
from planner.core.capacity_assumptions import assumptions
from planner.core.capacity_checks import Allocation, blockers, provisioning
from planner.core.consolidation import Packing, consolidate
from planner.core.sizing import requirements, size_servers
from planner.models import Inventory
from planner.models.capacity import (
    CapacityOptions,
    CapacityPlan,
    Consolidation,
    OfferingCount,
    ServerPlacement,
    TargetInfo,
)
from planner.models.catalog import Catalog, Offering
from planner.models.seeds import AwsInstanceType


def _location(offering: Offering, wanted: list[str]) -> str:
    return next((loc for loc in offering.locations if loc in wanted), offering.locations[0])


def _placements(done: list[Allocation], options: CapacityOptions) -> list[ServerPlacement]:
    out: list[ServerPlacement] = []
    for a in done:
        share = a.candidate.monthly_usd / len(a.reqs)
        setup = None if a.candidate.setup_usd is None else a.candidate.setup_usd / len(a.reqs)
        for r in a.reqs:
            out.append(
                ServerPlacement(
                    id=r.id,
                    role=r.role,
                    offering=a.offering.id,
                    offering_name=a.offering.name,
                    host=a.host,
                    consolidated=a.consolidated,
                    location=_location(a.offering, options.sizing.locations),
                    vcpus=r.vcpus,
                    memory_bytes=r.memory_bytes,
                    disk_bytes=r.disk_bytes,
                    block_storage_bytes=a.candidate.block_storage_bytes,
                    monthly_usd=round(share, 2),
                    setup_usd=None if setup is None else round(setup, 2),
                    lead_time_seconds=a.lead_seconds,
                    in_stock=a.in_stock,
                    assumed=r.assumed,
                    note=a.note,
                )
            )
    return sorted(out, key=lambda p: p.id)


def _by_offering(done: list[Allocation]) -> list[OfferingCount]:
    rows: dict[str, OfferingCount] = {}
    for a in done:
        row = rows.get(a.offering.id) or OfferingCount(
            offering=a.offering.id,
            name=a.offering.name,
            machines=0,
            in_stock=0,
            restock=0,
            monthly_usd=0.0,
            setup_usd=0.0,
            lead_time_seconds=0.0,
            confidence=a.offering.confidence,
        )
        row.machines += 1
        row.in_stock += int(a.in_stock)
        row.restock += int(not a.in_stock)
        row.monthly_usd = round(row.monthly_usd + a.candidate.monthly_usd, 2)
        if row.setup_usd is not None and a.candidate.setup_usd is not None:
            row.setup_usd = round(row.setup_usd + a.candidate.setup_usd, 2)
        else:
            row.setup_usd = None
        row.lead_time_seconds = max(row.lead_time_seconds, a.lead_seconds)
        rows[a.offering.id] = row
    return sorted(rows.values(), key=lambda r: (-r.machines, r.offering))


def plan_capacity(
    inventory: Inventory,
    catalog: Catalog,
    options: CapacityOptions | None = None,
    instance_types: Mapping[str, AwsInstanceType] | None = None,
) -> CapacityPlan:
    """The capacity plan for moving ``inventory`` onto ``catalog``'s target."""
    options = options or CapacityOptions()
    sizing = options.sizing
    deadline = options.deadline_seconds
    slow = deadline is not None and any(o.lead_time_seconds > deadline for o in catalog.offerings)
    if slow or stock_limited(catalog, options):
        # keep every fitting offering so stock and deadline can pick beyond the cheapest few
        # (without either, every machine takes its cheapest: a few candidates are enough)
        sizing = sizing.model_copy(update={"alternatives": len(catalog.offerings)})
    reqs = requirements(inventory, sizing, instance_types)
    fits = size_servers(reqs, catalog, sizing)
    fits_by_id = {f.requirement.id: f.candidates for f in fits}
    unplaced = [unplaced_entry(f.requirement, f.reason or "") for f in fits if not f.candidates]
    done, out_of_stock = allocate(machines_for(fits_by_id, reqs, None, catalog), catalog, options)
    consolidation = None
    if sizing.consolidate:
        packing = consolidate(fits, catalog, sizing, options.deadline_seconds)
        packed, packed_oos = allocate(
            machines_for(fits_by_id, reqs, packing, catalog), catalog, options
        )
        consolidation = _consolidation(packing, done, packed, len(packed_oos) <= len(out_of_stock))
        if consolidation.enabled:
            done, out_of_stock = packed, packed_oos
    unplaced = sorted(unplaced + out_of_stock, key=lambda u: u.id)
    monthly = round(sum(a.candidate.monthly_usd for a in done), 2)
    storage = catalog.limits.block_storage
    storage_priced = storage is None or storage.price_known
    unpriced = [
        a
        for a in done
        if not a.offering.price_known or (a.candidate.block_storage_bytes and not storage_priced)
    ]
    known_setup = [a.candidate.setup_usd for a in done if a.candidate.setup_usd is not None]
    placements = _placements(done, options)
    source_cost = {r.id: r.monthly_cost_usd for r in reqs}
    costed = [p for p in placements if source_cost.get(p.id) is not None]
    source_costs = [r.monthly_cost_usd for r in reqs if r.monthly_cost_usd is not None]
    prov = provisioning(done, catalog, options)
    seconds = prov.quota_raise_seconds + prov.api_seconds + prov.lead_time_seconds
    deadline = options.deadline_seconds
    plan = CapacityPlan(
        target=TargetInfo(
            provider=catalog.provider,
            title=catalog.limits.title,
            kind=catalog.limits.kind,
            catalog_as_of=str(catalog.limits.as_of),
            origin=catalog.origin,
        ),
        servers=placements,
        machines=len(done),
        by_offering=_by_offering(done),
        provisioning_seconds=seconds,
        provisioning=prov,
        blockers=[],
        monthly_usd=monthly,
        unpriced_machines=len(unpriced),
        setup_usd=round(sum(known_setup), 2),
        setup_unknown_machines=len(done) - len(known_setup),
        source_monthly_usd=round(sum(source_costs), 2) if source_costs else None,
        source_servers_with_cost=len(source_costs),
        target_monthly_usd_for_costed=round(sum(p.monthly_usd for p in costed), 2)
        if costed
        else None,
        consolidation=consolidation,
        unplaced=unplaced,
        deadline_seconds=deadline,
        meets_deadline=None if deadline is None else seconds <= deadline and not unplaced,
        assumptions=[],
    )
    plan.blockers = blockers(plan, done, catalog, options)
    if deadline is not None and any(b.severity == "blocker" for b in plan.blockers):
        plan.meets_deadline = False
    plan.assumptions = assumptions(plan, done, reqs, catalog, options)
    return plan


def _total(done: list[Allocation]) -> float:
    return round(sum(a.candidate.monthly_usd for a in done), 2)


def _consolidation(
    packing: Packing, alone: list[Allocation], packed: list[Allocation], no_worse: bool
) -> Consolidation:
    """Compare the allocated plans with and without packing; keep packing only if cheaper."""
    without, with_ = _total(alone), _total(packed)
    enabled = bool(packing.hosts) and no_worse and with_ < without
    if not enabled:
        with_ = without
    return Consolidation(
        enabled=enabled,
        monthly_usd_without=without,
        monthly_usd_with=with_,
        saving_usd=round(without - with_, 2),
        saving_ratio=round((without - with_) / without, 4) if without else 0.0,
        machines_without=len(alone),
        machines_with=len(packed) if enabled else len(alone),
        hosts=packing.hosts if enabled else [],
    )
