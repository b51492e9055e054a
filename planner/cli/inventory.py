"""``exitplan inventory``: validate, show, schema and generate inventories."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from planner.cli._app import console, fail, new_app, writable
from planner.core.generate import generate_fleet
from planner.errors import InputError, InventoryError, UnitError
from planner.io.inventory_file import dump_inventory, load_inventory, save_inventory
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.models import Inventory
from planner.models.seeds import FleetProfile
from planner.summary import summarize_inventory
from planner.units import format_size, parse_size

app = new_app("Validate, show, describe and generate inventories.")


class ShowFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Inventory files (YAML or JSON).")],
) -> None:
    """Check inventories against the schema and cross-record rules (exit 2 on any problem)."""
    problems: list[str] = []
    for file in files:
        try:
            inventory = load_inventory(file)
        except InventoryError as exc:
            problems.extend(exc.problems)
            continue
        except InputError as exc:
            problems.append(str(exc))
            continue
        unknown = sum(1 for item in inventory.items() if item.used_bytes is None)
        console.print(
            f"ok: {file}: {len(inventory.servers)} servers, {len(inventory.data_stores)} data "
            f"stores, {format_size(inventory.total_bytes)}"
            + (f" + {unknown} of unknown size" if unknown else ""),
            markup=False,
            highlight=False,
        )
    if problems:
        fail("\n".join(problems), 2)


@app.command()
def show(
    file: Annotated[Path, typer.Argument(help="Inventory file.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", help="Output format.")] = ShowFormat.table,
) -> None:
    """Summarise an inventory: servers and data by role, data stores, links."""
    inventory = load_inventory(file)
    summary = summarize_inventory(inventory)
    if fmt == ShowFormat.json:
        typer.echo(json.dumps({"schema_version": 1, **summary}, indent=2))
        return
    unknown = summary["unknown_size"]
    title = f"{file}: {summary['servers']} servers, {format_size(summary['total_bytes'])}"
    table = Table(title=title + (f" + {len(unknown)} of unknown size" if unknown else ""))
    for column in ("role", "servers", "vCPUs", "data", "files", "largest host"):
        table.add_column(column, justify="left" if column in {"role", "largest host"} else "right")
    for role in summary["roles"]:
        table.add_row(
            role["role"],
            str(role["servers"]),
            _known(role["vcpus"], role["unknown_vcpus"], str),
            _known(role["used_bytes"], role["unknown_size"], format_size),
            _known(role["file_count"], role["unknown_file_count"], "{:,}".format),
            role["largest_id"] or "",
        )
    console.print(table)
    if summary["data_stores"]:
        stores = Table(title="data stores")
        for column in ("id", "kind", "service", "data"):
            stores.add_column(column)
        for store in summary["data_stores"]:
            stores.add_row(
                store["id"],
                store["kind"],
                store["service"] or "",
                "unknown" if store["used_bytes"] is None else format_size(store["used_bytes"]),
            )
        console.print(stores)
    for link in inventory.links:
        console.print(
            f"link {link.name}: {len(inventory.link_members(link))} members", markup=False
        )


def _known(total: int | None, unknown: int, fmt: Callable[[int], str]) -> str:
    """``12 GB``, ``unknown`` (no value known) or ``12 GB + 3 unknown`` (some servers lack it)."""
    if total is None:
        return "unknown"
    return fmt(total) + (f" + {unknown} unknown" if unknown else "")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the inventory format."""
    typer.echo(json.dumps(Inventory.model_json_schema(by_alias=False), indent=2))


def _size_option(value: str) -> int:
    try:
        return parse_size(value)
    except UnitError as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command()
def generate(
    servers: Annotated[int, typer.Option(min=1, help="Number of servers.")],
    data: Annotated[str, typer.Option(help="Total data to spread over the fleet.")] = "20TB",
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same fleet.")] = 1,
    region: Annotated[list[str] | None, typer.Option(help="Source region (repeatable).")] = None,
    profile: Annotated[
        Path | None, typer.Option(help="Fleet profile YAML (default: bundled).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", callback=writable, help="Write here (atomic)."),
    ] = None,
) -> None:
    """Make a realistic synthetic fleet, deterministic for a given --seed."""
    data_bytes = _size_option(data)
    fleet_profile = load_yaml_seed(profile or "generator/fleet_profile.yaml", FleetProfile)
    inventory = generate_fleet(
        fleet_profile,
        aws_instance_types(),
        servers=servers,
        data_bytes=data_bytes,
        seed=seed,
        regions=region or None,
    )
    if output is None:
        typer.echo(dump_inventory(inventory), nl=False)
        return
    save_inventory(inventory, output)
    console.print(
        f"wrote {output}: {servers} servers, {format_size(inventory.total_bytes)}",
        markup=False,
        highlight=False,
    )
