"""Egress cost: AWS's tiered data-transfer-out prices per source region, and the exit waiver.

Tiers are cumulative per region within one month; the monthly free allowance is counted once per
account, against the region with the highest first-tier price (AWS does not say which region it
counts against; this is the reading that costs least, by at most the allowance x the price gap).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from planner.models.transfer_seeds import EgressSchedule, EgressSeeds


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
