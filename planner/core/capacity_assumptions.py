"""The assumptions behind a capacity plan: every figure it used, with its source.

Sizing policy, exchange rates, each offering's price and lead time, stock, limits, API budget and
the servers whose size was partly unknown. Pure.
"""

from __future__ import annotations

from collections import Counter

from planner.core.capacity_checks import Allocation, server_limit, source_text
from planner.models.capacity import CapacityOptions, CapacityPlan, Requirement
from planner.models.catalog import Catalog
from planner.models.plan import PlanAssumption
from planner.units import format_duration

SIZING_SOURCE = "exitplan sizing policy (seeds/sizing/defaults.yaml) or a command-line option"


def _offering_lines(done: list[Allocation]) -> list[PlanAssumption]:
    out = []
    for offering in sorted({a.offering.id: a.offering for a in done}.values(), key=lambda o: o.id):
        lead = format_duration(offering.lead_time_seconds)
        restock = offering.lead_time_out_of_stock_seconds
        stock = "" if restock is None else f", {format_duration(restock)} out of stock"
        price = (
            f"{offering.monthly_price:g} {offering.currency}/month ({offering.monthly_usd:g} USD)"
            if offering.price_known
            else "price unknown (none given)"
        )
        out.append(
            PlanAssumption(
                name=f"offering {offering.id}",
                value=f"{price}, lead time {lead}{stock}, "
                f"confidence {offering.confidence}, as of {offering.as_of}",
                source=offering.source,
            )
        )
    return out


def _block_storage(done: list[Allocation], catalog: Catalog) -> list[PlanAssumption]:
    """The volume price, when machines carry network volumes beyond their local disk."""
    storage = catalog.limits.block_storage
    with_volumes = [a for a in done if a.candidate.block_storage_bytes > 0]
    if storage is None or not with_volumes:
        return []
    size_gb = sum(a.candidate.block_storage_bytes for a in with_volumes) / 10**9
    added = sum(a.candidate.monthly_usd - a.offering.monthly_usd for a in with_volumes)
    if not storage.price_known:
        return [
            PlanAssumption(
                name="block storage price",
                value=f"unknown (none given): {size_gb:,.0f} GB of volumes on "
                f"{len(with_volumes)} machines are not in the monthly cost",
                source=source_text(catalog, storage.source),
            )
        ]
    return [
        PlanAssumption(
            name="block storage price",
            value=f"{storage.price_per_gb_month:g} {catalog.limits.currency}/GB-month "
            f"({storage.usd_per_gb_month:g} USD): {size_gb:,.0f} GB of volumes on "
            f"{len(with_volumes)} machines add {added:,.2f} USD/month to their offering prices; "
            f"confidence {storage.confidence}, as of {storage.as_of}",
            source=source_text(catalog, storage.source),
        )
    ]


def assumptions(
    plan: CapacityPlan,
    done: list[Allocation],
    reqs: list[Requirement],
    catalog: Catalog,
    options: CapacityOptions,
) -> list[PlanAssumption]:
    limits = catalog.limits
    sizing = options.sizing
    out = [
        PlanAssumption(
            name="disk headroom",
            value=f"{sizing.disk_headroom:g} x used bytes",
            source=SIZING_SOURCE,
        ),
        PlanAssumption(
            name="disk mirroring",
            value="multi-disk groups mirrored (half usable)"
            if sizing.mirror_disks
            else "all raw disk usable",
            source=SIZING_SOURCE,
        ),
        PlanAssumption(
            name="architecture",
            value=f"unknown = {sizing.default_architecture}; change allowed: "
            f"{sizing.allow_architecture_change}",
            source=SIZING_SOURCE,
        ),
        PlanAssumption(
            name="traffic policy",
            value=limits.traffic.summary,
            source=source_text(catalog, limits.traffic.source),
        ),
    ]
    rates = {c: r for c, r in catalog.usd_per_unit.items() if c != "USD"}
    used_currencies = {a.offering.currency for a in done} - {"USD"}
    for currency in sorted(used_currencies):
        out.append(
            PlanAssumption(
                name="exchange rate",
                value=f"1 {currency} = {rates[currency]:g} USD",
                source=catalog.usd_rate_source or "catalog exchange rates",
            )
        )
    out.extend(_offering_lines(done))
    out.extend(_block_storage(done, catalog))
    stock_limit = limits.typical_stock_per_offering
    if options.typical_stock is not None:
        out.append(
            PlanAssumption(
                name="typical stock", value=f"{options.typical_stock} per model", source="--stock"
            )
        )
    elif stock_limit.effective is not None:
        out.append(
            PlanAssumption(
                name="typical stock",
                value=f"{stock_limit.effective:g} per model "
                f"({'published' if stock_limit.value is not None else 'assumed'})",
                source=source_text(catalog, stock_limit.source),
            )
        )
    limit, origin = server_limit(catalog, options)
    out.append(
        PlanAssumption(
            name="server limit",
            value="unknown" if limit is None else f"{limit:g} ({origin})",
            source=source_text(catalog, limits.servers_per_project.source),
        )
    )
    raise_time = limits.quota_raise_seconds.effective
    out.append(
        PlanAssumption(
            name="quota raise time",
            value="unknown" if raise_time is None else format_duration(raise_time),
            source=source_text(catalog, limits.quota_raise_seconds.source),
        )
    )
    api = limits.api_rate_limit
    allowed = api.effective_requests
    out.append(
        PlanAssumption(
            name="API rate limit",
            value="none published"
            if allowed is None
            else f"{allowed} requests per {format_duration(api.per_seconds)}"
            f"{'' if api.requests is not None else ' (assumed)'}",
            source=source_text(catalog, api.source),
        )
    )
    per_server = limits.api_requests_per_server.effective
    out.append(
        PlanAssumption(
            name="API requests per server",
            value="1" if per_server is None else f"{per_server:g}",
            source=source_text(catalog, limits.api_requests_per_server.source),
        )
    )
    assumed = Counter(field for r in reqs for field in r.assumed)
    for field, count in sorted(assumed.items()):
        out.append(
            PlanAssumption(name=f"unknown {field}", value=f"{count} servers", source=SIZING_SOURCE)
        )
    return out
