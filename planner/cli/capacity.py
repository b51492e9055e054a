"""``exitplan capacity``: right-size a fleet onto a target and plan getting the machines."""

from __future__ import annotations

import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from planner.cli._app import console, output_format, writable
from planner.cli.targets import CatalogDir
from planner.core.capacity import plan_capacity
from planner.core.suggest_target import monthly_text
from planner.errors import InputError, UnitError
from planner.io.atomic import write_text
from planner.io.catalog import load_sizing_defaults, load_target
from planner.io.inventory_file import load_inventory
from planner.io.seeds import aws_instance_types
from planner.models.capacity import CapacityOptions, CapacityPlan, SizingOptions
from planner.units import format_duration, format_size, parse_duration, parse_rate

GIB = 2**30


class Format(StrEnum):
    table = "table"
    json = "json"


class GroupBy(StrEnum):
    role = "role"
    all = "all"


def _parsed(value: str | None, parser: type | object, name: str) -> float | None:
    if value is None:
        return None
    try:
        return parser(value)  # type: ignore[operator, no-any-return]
    except UnitError as exc:
        raise InputError(f"{name}: {exc}") from None


def _duration_with_unit(text: str) -> float:
    return parse_duration(text, require_unit=True)


def _setup(plan: CapacityPlan) -> str:
    if plan.machines and plan.setup_unknown_machines == plan.machines:
        return "setup fees unknown"
    unknown = plan.setup_unknown_machines
    return f"setup {plan.setup_usd:,.2f} USD" + (f" (+{unknown} unknown)" if unknown else "")


def render_table(
    plan: CapacityPlan, width: int | None = None, file: io.StringIO | None = None
) -> None:
    """Print the plan for people: verdict, machines by offering, blockers, unplaced servers."""
    out = Console(file=file, width=width) if file is not None else console
    t = plan.target
    out.print(f"Target: {t.title} ({t.provider}), catalog as of {t.catalog_as_of}", markup=False)
    source = (
        f"; source today {plan.source_monthly_usd:,.2f} USD/month for "
        f"{plan.source_servers_with_cost} servers (those at target: "
        f"{plan.target_monthly_usd_for_costed:,.2f})"
        if plan.source_monthly_usd is not None and plan.target_monthly_usd_for_costed is not None
        else "; source spend unknown"
    )
    placed = len(plan.servers)
    out.print(
        f"{placed} servers on {plan.machines} machines: {monthly_text(plan)}, "
        + _setup(plan)
        + source,
        markup=False,
        highlight=False,
    )
    prov = plan.provisioning
    verdict = ""
    if plan.meets_deadline is not None:
        verdict = " - meets the deadline" if plan.meets_deadline else " - MISSES the deadline"
    out.print(
        f"Provisioning: {format_duration(plan.provisioning_seconds)} (quota raise "
        f"{format_duration(prov.quota_raise_seconds)}, API {format_duration(prov.api_seconds)} "
        f"for {prov.api_requests} requests, lead time {format_duration(prov.lead_time_seconds)})"
        f"{verdict}",
        markup=False,
        highlight=False,
    )
    if plan.consolidation is not None:
        c = plan.consolidation
        out.print(
            f"Consolidation: {c.machines_without} -> {c.machines_with} machines, "
            f"{c.monthly_usd_without:,.2f} -> {c.monthly_usd_with:,.2f} USD/month "
            f"(saves {c.saving_usd:,.2f}, {c.saving_ratio:.0%})",
            markup=False,
            highlight=False,
        )
    table = Table(title="machines by offering")
    for column in (
        "offering",
        "machines",
        "in stock",
        "restock",
        "USD/month",
        "lead time",
        "conf.",
    ):
        table.add_column(column, justify="left" if column in {"offering", "conf."} else "right")
    for row in plan.by_offering:
        table.add_row(
            f"{row.offering} ({row.name})",
            str(row.machines),
            str(row.in_stock),
            str(row.restock),
            f"{row.monthly_usd:,.2f}",
            format_duration(row.lead_time_seconds),
            row.confidence,
        )
    out.print(table)
    for b in plan.blockers:
        line = f"[{b.severity}] {b.kind}: {b.message}"
        if b.suggestion:
            line += f" -> {b.suggestion}"
        out.print(line, markup=False, highlight=False, soft_wrap=True)
    for u in plan.unplaced[:10]:
        out.print(
            f"unplaced {u.id} ({u.vcpus} vCPU, {u.memory_bytes / GIB:g} GiB, "
            f"{format_size(u.disk_bytes)}): {u.reason}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if len(plan.unplaced) > 10:
        out.print(f"... and {len(plan.unplaced) - 10} more unplaced (see --format json)")


def capacity(
    inventory: Annotated[Path, typer.Argument(help="Inventory file (YAML or JSON).")],
    target: Annotated[str, typer.Option("--target", help="Provider id or private target file.")],
    catalog_dir: CatalogDir = None,
    consolidate: Annotated[
        bool, typer.Option("--consolidate", help="Pack small servers onto larger machines.")
    ] = False,
    consolidate_by: Annotated[
        GroupBy, typer.Option("--consolidate-by", help="Pack within each role, or all together.")
    ] = GroupBy.role,
    disk_headroom: Annotated[
        float | None, typer.Option(min=1.0, help="Disk needed = used x this (default: seeds).")
    ] = None,
    min_port: Annotated[
        str | None, typer.Option("--min-port", help="Minimum public port speed, e.g. 1Gbps.")
    ] = None,
    location: Annotated[
        list[str] | None, typer.Option("--location", help="Allowed location (repeatable).")
    ] = None,
    allow_arch_change: Annotated[
        bool, typer.Option("--allow-arch-change", help="Allow Arm offerings for x86 servers.")
    ] = False,
    no_block_storage: Annotated[
        bool, typer.Option("--no-block-storage", help="Local disks only, no network volumes.")
    ] = False,
    no_mirror: Annotated[
        bool, typer.Option("--no-mirror", help="Count all raw disk as usable (no RAID 1).")
    ] = False,
    server_limit: Annotated[
        int | None, typer.Option("--server-limit", min=0, help="Servers allowed per project.")
    ] = None,
    stock: Annotated[
        int | None, typer.Option("--stock", min=0, help="Machines of one model in stock.")
    ] = None,
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="Time available, e.g. 24h.")
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            help="Output format [default: from -o's extension (.json), else table].",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", callback=writable, help="Write the report here (atomic)."),
    ] = None,
) -> None:
    """Map each server to the cheapest fitting offering and plan getting the machines."""
    fleet = load_inventory(inventory)
    catalog = load_target(target, catalog_dir)
    sizing = SizingOptions.from_defaults(
        load_sizing_defaults(),
        disk_headroom=disk_headroom,
        min_port_bits_per_second=_parsed(min_port, parse_rate, "--min-port"),
        locations=location or None,
        allow_architecture_change=allow_arch_change or None,
        allow_block_storage=False if no_block_storage else None,
        mirror_disks=False if no_mirror else None,
        consolidate=consolidate or None,
        consolidate_by=consolidate_by.value,
    )
    options = CapacityOptions(
        sizing=sizing,
        server_limit=server_limit,
        typical_stock=stock,
        deadline_seconds=_parsed(deadline, _duration_with_unit, "--deadline"),
    )
    plan = plan_capacity(fleet, catalog, options, aws_instance_types())
    as_json = output_format(fmt, output, Format.table) == Format.json
    if as_json:
        text = json.dumps({"schema_version": 1, **plan.model_dump(mode="json")}, indent=2) + "\n"
    else:
        buffer = io.StringIO()
        render_table(plan, width=140, file=buffer)
        text = buffer.getvalue()
    if output is not None:
        write_text(output, text)
        console.print(
            f"wrote {output}: {plan.machines} machines, {monthly_text(plan)}, "
            f"{len(plan.blockers)} findings",
            markup=False,
            highlight=False,
        )
    elif as_json:
        typer.echo(text, nl=False)
    else:
        render_table(plan)
