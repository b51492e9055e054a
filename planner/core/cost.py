"""Egress cost: AWS's tiered data-transfer-out prices per source region, and the exit waiver.

Tiers are cumulative per region within one month; the monthly free allowance is counted once per
account, against the region with the highest first-tier price (AWS does not say which region it
counts against; this is the reading that costs least, by at most the allowance x the price gap).

Only items that leave the provider the seeds price (``seeds/transfer/egress_prices.yaml``:
``provider``) are priced: a server at GCP, Azure or on premises is not charged AWS list prices,
it is listed as egress unknown (``Cost.egress_unpriced_ids``). An item without a provider is
priced only when its region is one of the seeded region names. The waiver sentence uses the
exit's end-to-end time (provisioning + copy + cutover) that the deadline verdict uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from planner.models.plan import Cost, RegionCost, WaiverInfo
from planner.models.transfer_seeds import EgressSchedule, EgressSeeds
from planner.units import format_duration


@dataclass(frozen=True, slots=True)
class RegionEgress:
    region: str
    size_bytes: int
    usd: float
    schedule: str
    known_region: bool


def tiered_usd(gb: float, schedule: EgressSchedule, free_gb: float = 0.0) -> float:
    """Price of ``gb`` in one month under ``schedule``, the first ``free_gb`` free."""
    total = 0.0
    lower = 0.0
    for tier in schedule.tiers:
        upper = tier.up_to_gb if tier.up_to_gb is not None else float("inf")
        billable = min(gb, upper) - max(lower, free_gb)
        if billable > 0:
            total += billable * tier.usd_per_gb
        lower = upper
        if gb <= upper:
            break
    return total


def egress_by_region(bytes_by_region: Mapping[str, int], seeds: EgressSeeds) -> list[RegionEgress]:
    """Cost per source region (unknown regions use the fallback schedule, flagged)."""
    names = {r: seeds.regions.get(r, seeds.fallback_schedule) for r in bytes_by_region}
    payers = [r for r in bytes_by_region if bytes_by_region[r] > 0]
    free_region = max(
        payers, key=lambda r: (seeds.schedules[names[r]].tiers[0].usd_per_gb, r), default=None
    )
    out = []
    for region in sorted(bytes_by_region):
        size = bytes_by_region[region]
        schedule = seeds.schedules[names[region]]
        free = seeds.free_tier.gb if region == free_region else 0.0
        usd = tiered_usd(size / seeds.bytes_per_gb, schedule, free)
        out.append(RegionEgress(region, size, usd, names[region], region in seeds.regions))
    return out


@dataclass(frozen=True, slots=True)
class EgressItem:
    """One item leaving the source: where it is and how many bytes go over the wire."""

    id: str
    provider: str | None
    region: str | None
    wire_bytes: int


def priced(provider: str | None, region: str | None, seeds: EgressSeeds) -> bool:
    """Do the seeds' prices apply to an item at ``provider`` / ``region``?"""
    if provider is None or not provider.strip():
        return (region or "") in seeds.regions
    return provider.strip().lower() == seeds.provider.lower()


def waiver_info(seeds: EgressSeeds, completion_seconds: float, partial: bool = False) -> WaiverInfo:
    """The provider's exit waiver, judged against the exit's end-to-end time (``partial``: some
    items have unknown sizes, so the time is that of the items of known size)."""
    waiver = seeds.waiver
    fits = completion_seconds <= waiver.window_days * 86400
    takes = "the items of known size take" if partial else "this plan takes"
    reason = (
        f"needs {seeds.provider.upper()}'s approval before the move and a planned, complete exit"
        + (
            f" within {waiver.window_days} days ({takes} {format_duration(completion_seconds)})"
            if fits
            else f"; this plan takes longer than {waiver.window_days} days"
        )
        + ": a forced exit at short notice cannot count on it"
    )
    return WaiverInfo(
        name=waiver.name,
        applicable=fits,
        window_days=waiver.window_days,
        conditions=waiver.conditions,
        reason=reason,
    )


def plan_cost(
    items: Iterable[EgressItem],
    seeds: EgressSeeds,
    completion_seconds: float,
    target_monthly_usd: float | None = None,
    partial: bool = False,
) -> Cost:
    """Egress of the priced items by region, the unpriced ones listed, and the waiver."""
    by_region: dict[str, int] = {}
    unpriced: list[str] = []
    unpriced_bytes = 0
    for item in items:
        if priced(item.provider, item.region, seeds):
            region = item.region or "unknown"
            by_region[region] = by_region.get(region, 0) + item.wire_bytes
        else:
            unpriced.append(item.id)
            unpriced_bytes += item.wire_bytes
    regions = egress_by_region(by_region, seeds)
    known = bool(by_region) or not unpriced
    return Cost(
        egress_usd=round(sum(r.usd for r in regions), 2) if known else None,
        egress_usd_if_waived=0.0 if known else None,
        egress_provider=seeds.provider,
        egress_unpriced_ids=unpriced,
        egress_unpriced_bytes=unpriced_bytes,
        target_monthly_usd=target_monthly_usd,
        by_region=[
            RegionCost(
                region=r.region, bytes=r.size_bytes, usd=round(r.usd, 2), price_schedule=r.schedule
            )
            for r in regions
        ],
        waiver=waiver_info(seeds, completion_seconds, partial) if by_region else None,
    )
