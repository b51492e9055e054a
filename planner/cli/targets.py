"""``exitplan targets``: list, show and validate target catalogs (no network)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from planner.cli._app import console, fail, new_app
from planner.errors import ExitplanError
from planner.io.catalog import list_providers, load_provider, load_target, providers_dir
from planner.models.catalog import Catalog, Offering
from planner.units import format_duration, format_rate, format_size

app = new_app("List and inspect target catalogs: offerings, prices, limits (offline).")

CatalogDir = Annotated[
    Path | None,
    typer.Option(
        "--catalog-dir",
        help="Folder of provider folders (default: bundled seeds/providers, or EXITPLAN_SEEDS).",
    ),
]


class Format(StrEnum):
    table = "table"
    json = "json"


def _disks(o: Offering) -> str:
    if not o.disks:
        return "network only"
    return "+".join(f"{g.count}x{_short(g.size_bytes)} {g.type}" for g in o.disks)


def _short(size_bytes: float) -> str:
    return format_size(size_bytes, 1).replace(" ", "")


def _traffic(o: Offering) -> str:
    if o.traffic_unmetered:
        return "unmet."
    return _short(o.included_traffic_bytes) if o.included_traffic_bytes else "?"


@app.command("list")
def list_targets(
    catalog_dir: CatalogDir = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """List the providers in the catalog folder."""
    rows = []
    for provider in list_providers(catalog_dir):
        catalog = load_provider(provider, catalog_dir)
        rows.append(
            {
                "provider": provider,
                "title": catalog.limits.title,
                "kind": catalog.limits.kind,
                "offerings": len(catalog.offerings),
                "currency": catalog.limits.currency,
                "as_of": str(catalog.limits.as_of),
                "cheapest_monthly_usd": min(o.monthly_usd for o in catalog.offerings),
            }
        )
    if fmt == Format.json:
        typer.echo(json.dumps({"schema_version": 1, "providers": rows}, indent=2))
        return
    table = Table(title=f"target catalogs in {providers_dir(catalog_dir)}")
    for column in ("provider", "title", "kind", "offerings", "from USD/mo", "as of"):
        right = column in {"offerings", "from USD/mo"}
        wrap = column == "title"
        table.add_column(
            column,
            justify="right" if right else "left",
            no_wrap=not wrap,
            min_width=12 if wrap else None,
        )
    for row in rows:
        table.add_row(
            str(row["provider"]),
            str(row["title"]),
            str(row["kind"]),
            str(row["offerings"]),
            f"{row['cheapest_monthly_usd']:,.2f}",
            str(row["as_of"]),
        )
    console.print(table)
    console.print(
        "Private targets (Proxmox VE, OpenStack, MAAS): pass a target file, e.g. "
        "inventories/targets/proxmox.yaml",
        markup=False,
        highlight=False,
    )


def _show_table(catalog: Catalog) -> None:
    limits = catalog.limits
    table = Table(title=f"{limits.title} ({catalog.provider}), as of {limits.as_of}")
    columns = ["offering", "vCPU", "GiB", "disks", "port", "traffic", "USD/mo", "setup", "lead"]
    for column in [*columns, "conf."]:
        right = column in {"vCPU", "GiB", "USD/mo", "setup", "lead"}
        wrap = column == "disks"
        table.add_column(
            column,
            justify="right" if right else "left",
            no_wrap=not wrap,
            min_width=14 if wrap else None,
        )
    for o in sorted(catalog.offerings, key=lambda o: (o.monthly_usd, o.id)):
        table.add_row(
            o.id,
            str(o.vcpus),
            f"{o.memory_bytes / 2**30:g}",
            _disks(o),
            format_rate(o.nic_bits_per_second, 1).replace("bit/s", "")
            if o.nic_bits_per_second
            else "?",
            _traffic(o),
            f"{o.monthly_usd:,.2f}" if o.price_known else "?",
            "?" if o.setup_usd is None else f"{o.setup_usd:,.0f}",
            format_duration(o.lead_time_seconds).replace(" ", ""),
            o.confidence,
        )
    console.print(table)
    lines = [f"traffic: {limits.traffic.summary}"]
    api = limits.api_rate_limit
    if api.effective_requests:
        assumed = "" if api.requests is not None else " (assumed)"
        lines.append(
            f"API: {api.effective_requests} requests per {format_duration(api.per_seconds)}"
            f"{assumed}"
        )
    for name in ("servers_per_project", "servers_per_network", "servers_per_placement_group"):
        limit = getattr(limits, name)
        value = "unknown" if limit.effective is None else f"{limit.effective:g}"
        if limit.value is None and limit.assumed is not None:
            value += " (assumed)"
        lines.append(f"{name.replace('_', ' ')}: {value}")
    if limits.block_storage is not None:
        storage = limits.block_storage
        lines.append(
            "block storage: "
            + (
                f"{storage.usd_per_gb_month:g} USD/GB-month"
                if storage.price_known
                else "price unknown"
            )
            + ", up to "
            f"{storage.max_volumes_per_server} x {format_size(storage.max_volume_bytes)}"
        )
    lines.extend(limits.notes)
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


@app.command()
def show(
    target: Annotated[str, typer.Argument(help="Provider id, or a private target file.")],
    catalog_dir: CatalogDir = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Show a provider's offerings (cheapest first) and its limits."""
    catalog = load_target(target, catalog_dir)
    if fmt == Format.json:
        data = catalog.model_dump(mode="json")
        typer.echo(json.dumps({"schema_version": 1, **data}, indent=2, ensure_ascii=False))
        return
    _show_table(catalog)


@app.command()
def validate(
    targets: Annotated[
        list[str] | None, typer.Argument(help="Provider ids or target files (default: all).")
    ] = None,
    catalog_dir: CatalogDir = None,
) -> None:
    """Check catalogs and target files against their schemas (exit 2 on any problem)."""
    problems: list[str] = []
    for target in targets or list_providers(catalog_dir):
        try:
            catalog = load_target(target, catalog_dir)
        except ExitplanError as exc:
            problems.append(str(exc))
            continue
        console.print(
            f"ok: {target}: {len(catalog.offerings)} offerings, as of {catalog.limits.as_of}",
            markup=False,
            highlight=False,
        )
    if problems:
        fail("\n".join(problems), 2)
