"""``assumptions[]`` entries for the egress cost: the price schedules and waiver that were used,
and the items no seeded price applies to (another provider, on premises), named.
"""

from __future__ import annotations

from planner.core.cost import priced
from planner.core.evaluate import Evaluation, Item
from planner.models.plan import PlanAssumption
from planner.models.transfer_seeds import SeedRecord
from planner.units import format_size

SEED_FILE = "seeds/transfer/"


def _seed(name: str, value: str, record: SeedRecord) -> PlanAssumption:
    return PlanAssumption(
        name=name, value=value, source=f"{SEED_FILE}egress_prices.yaml: {record.cite()}"
    )


def egress_assumptions(ev: Evaluation) -> list[PlanAssumption]:
    """Egress prices of the priced items; the items no seeded price applies to, by name."""
    egress = ev.ctx.seeds.egress
    paid: list[Item] = []
    unpriced: list[Item] = []
    for it in ev.items:
        (paid if priced(it.source.source.provider, it.region, egress) else unpriced).append(it)
    out: list[PlanAssumption] = []
    for name in sorted(
        {egress.regions.get(it.region or "", egress.fallback_schedule) for it in paid}
    ):
        schedule = egress.schedules[name]
        tiers = ", ".join(
            f"{'rest' if t.up_to_gb is None else f'to {t.up_to_gb:g} GB'} ${t.usd_per_gb}/GB"
            for t in schedule.tiers
        )
        out.append(_seed(f"egress prices {name}", tiers, schedule))
    if paid:
        out.append(
            _seed(
                "egress free tier",
                f"{egress.free_tier.gb:g} GB per month",
                egress.free_tier,
            )
        )
        out.append(
            _seed(
                "exit waiver",
                "; ".join(egress.waiver.conditions),
                egress.waiver,
            )
        )
    unknown_region = sorted(
        {it.region or "unknown" for it in paid if (it.region or "") not in egress.regions}
    )
    if unknown_region:
        out.append(
            PlanAssumption(
                name="egress region",
                value=f"no prices for {', '.join(unknown_region)}: used {egress.fallback_schedule}",
                source=f"{SEED_FILE}egress_prices.yaml fallback_schedule",
            )
        )
    no_provider = sum(1 for it in paid if not (it.source.source.provider or "").strip())
    if no_provider:
        out.append(
            PlanAssumption(
                name="egress provider",
                value=f"{no_provider} item(s) name no source provider; their regions are "
                f"{egress.provider} region names, so {egress.provider} prices are used",
                source="inventory (source.provider missing); "
                f"{SEED_FILE}egress_prices.yaml regions",
            )
        )
    if unpriced:
        providers = sorted({it.source.source.provider or "none given" for it in unpriced})
        size = sum(it.size_bytes for it in unpriced)
        ids = ", ".join(it.id for it in unpriced[:10]) + (", ..." if len(unpriced) > 10 else "")
        out.append(
            PlanAssumption(
                name="egress unknown",
                value=f"{len(unpriced)} item(s) ({format_size(size)}) leave a source with no "
                "egress prices in the seeds (provider: "
                f"{', '.join(providers)}): not in the egress cost ({ids})",
                source=f"{SEED_FILE}egress_prices.yaml prices {egress.provider} only",
            )
        )
    return out
