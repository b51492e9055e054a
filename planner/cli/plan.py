"""``exitplan plan``: how long, what limits it, what it costs, and what would meet the deadline."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from planner.cli._app import console, err_console, output_format, writable
from planner.cli.targets import CatalogDir
from planner.core.plan import build_plan
from planner.errors import InputError, UnitError
from planner.io.atomic import write_text
from planner.io.calibration_file import load_calibration
from planner.io.inventory_file import load_inventory
from planner.io.seeds import aws_instance_types
from planner.io.transfer_seeds import transfer_seeds
from planner.models import Link
from planner.models.plan import Plan, PlanOptions
from planner.plan_text import slowest_hosts, to_markdown, verdict_lines
from planner.targeted import plan_with_target
from planner.units import format_duration, format_rate, format_size, parse_duration, parse_rate


class PlanFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def parse_link(text: str) -> Link:
    """``NAME=RATE`` -> a link shared by every host (``dc-uplink=10Gbps``)."""
    name, sep, rate = text.partition("=")
    if not sep or not name.strip() or not rate.strip():
        raise InputError(f"invalid --link {text!r}: expected NAME=RATE (e.g. dc-uplink=10Gbps)")
    try:
        capacity = parse_rate(rate)
    except UnitError as exc:
        raise InputError(f"invalid --link {text!r}: {exc}") from None
    if capacity <= 0:
        raise InputError(f"invalid --link {text!r}: the rate must be above zero")
    return Link(name=name.strip(), capacity_bits_per_second=capacity)


def _parsed(kind: str, flag: str, text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = parse_duration(text, require_unit=True) if kind == "duration" else parse_rate(text)
    except UnitError as exc:
        raise InputError(f"invalid {flag} {text!r}: {exc}") from None
    if value <= 0:
        raise InputError(f"invalid {flag} {text!r}: must be above zero")
    return value


def plan(
    inventory: Annotated[Path, typer.Argument(help="Inventory file (YAML or JSON).")],
    deadline: Annotated[
        str | None,
        typer.Option(
            help="Deadline, e.g. 24h, 3d, 90m. Exit code 1 when the plan misses it or cannot "
            "show it is met.",
            show_default=False,
        ),
    ] = None,
    link: Annotated[
        list[str] | None,
        typer.Option(
            help="Shared link NAME=RATE used by every host, e.g. uplink=10Gbps or uplink=1GB/s "
            "(repeatable).",
            show_default=False,
        ),
    ] = None,
    streams: Annotated[int | None, typer.Option(min=1, help="Parallel streams per host.")] = None,
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="Hosts copying at once (default: all).")
    ] = None,
    target_port: Annotated[
        str | None,
        typer.Option(
            "--target-port", help="Target server port speed with a unit, e.g. 10Gbps, 1250MB/s."
        ),
    ] = None,
    rtt: Annotated[
        str | None,
        typer.Option(help="Round-trip time to the target with a unit, e.g. 35ms (not 35)."),
    ] = None,
    loss: Annotated[
        float | None, typer.Option(min=0.0, max=0.5, help="Packet loss rate, e.g. 1e-5.")
    ] = None,
    cipher: Annotated[str | None, typer.Option(help="SSH cipher (default from seeds).")] = None,
    calibration: Annotated[
        Path | None,
        typer.Option(
            help="Calibration file from exitplan probe: measured values replace assumed ones.",
            show_default=False,
        ),
    ] = None,
    compression: Annotated[
        float, typer.Option(min=1.0, help="Compression ratio (source/wire bytes); >1 enables it.")
    ] = 1.0,
    target: Annotated[
        str | None,
        typer.Option(help="Plan the machines too: provider id or private target file."),
    ] = None,
    catalog_dir: CatalogDir = None,
    consolidate: Annotated[
        bool, typer.Option("--consolidate", help="With --target: pack small servers together.")
    ] = False,
    server_limit: Annotated[
        int | None, typer.Option("--server-limit", min=0, help="With --target: project limit.")
    ] = None,
    stock: Annotated[
        int | None, typer.Option("--stock", min=0, help="With --target: machines per model.")
    ] = None,
    fmt: Annotated[
        PlanFormat | None,
        typer.Option(
            "--format",
            help="Output format [default: from -o's extension (.json, .md), else table].",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", callback=writable, help="Write the output here (atomic)."),
    ] = None,
) -> None:
    """Plan the move: bulk copy time, bottleneck, cutover downtime, egress cost, suggestions.

    Exit codes: 0 done; 1 a --deadline is missed or not shown to be met (the plan is still
    printed and written); 2 bad usage or input.
    """
    fmt = output_format(fmt, output, PlanFormat.table)
    seeds = transfer_seeds()
    if calibration is not None:
        seeds = seeds.model_copy(update={"calibration": load_calibration(calibration)})
    ciphers = set(seeds.tools.ciphers.per_core)
    if seeds.calibration is not None:
        ciphers |= set(seeds.calibration.calibration.calibrated.cipher_bytes_per_second)
    if cipher is not None and cipher not in ciphers:
        known = ", ".join(sorted(ciphers))
        raise InputError(f"unknown --cipher {cipher!r} (known: {known})")
    options = PlanOptions(
        deadline_seconds=_parsed("duration", "--deadline", deadline),
        links=[parse_link(x) for x in link or []],
        streams=streams,
        concurrency=concurrency,
        target_port_bits_per_second=_parsed("rate", "--target-port", target_port),
        rtt_seconds=_parsed("duration", "--rtt", rtt),
        loss_rate=loss,
        cipher=cipher,
        compression_ratio=compression,
    )
    inv = load_inventory(inventory)
    if not inv.servers and not inv.data_stores:
        raise InputError(
            f"{inventory}: nothing to plan: the inventory has no servers and no data stores"
        )
    if target is None:
        if consolidate or server_limit is not None or stock is not None:
            raise InputError("--consolidate, --server-limit and --stock need --target")
        result = build_plan(inv, seeds, options, aws_instance_types())
    else:
        result = plan_with_target(
            inv,
            seeds,
            options,
            target,
            catalog_dir,
            consolidate=consolidate,
            server_limit=server_limit,
            typical_stock=stock,
        )
    text = render(result, fmt, title=f"Transfer plan for {inventory.name}")
    if output is not None:
        write_text(output, text)
        console.print(f"wrote {output}", markup=False, highlight=False)
    if fmt == PlanFormat.table:
        _print_table(result, inventory)
    elif output is None:
        typer.echo(text, nl=False)
    _deadline_gate(result)


def _deadline_gate(result: Plan) -> None:
    """Exit 1 when a deadline was given and the plan does not show it is met."""
    deadline = result.deadline
    if deadline is None or deadline.seconds is None or deadline.meets is True:
        return
    why = "missed" if deadline.meets is False else "not shown to be met"
    err_console.print(
        f"deadline {format_duration(deadline.seconds)} {why}: exit code 1",
        markup=False,
        highlight=False,
    )
    raise typer.Exit(1)


def render(result: Plan, fmt: PlanFormat, title: str = "Transfer plan") -> str:
    if fmt == PlanFormat.json:
        return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    if fmt == PlanFormat.markdown:
        return to_markdown(result, title)
    return "\n".join(verdict_lines(result)) + "\n"


def _print_table(result: Plan, inventory: Path) -> None:
    inv = result.inventory
    table = Table(
        title=f"{inventory}: {inv.servers} servers, {inv.data_stores} data stores, "
        f"{'size unknown' if inv.total_bytes is None else format_size(inv.total_bytes)}"
        + (f" + {len(inv.unknown_size)} of unknown size" if inv.unknown_size else "")
        + " - slowest hosts"
    )
    for column in ("host", "kind", "data", "start", "end", "rate", "limited by", "downtime"):
        table.add_column(
            column, justify="left" if column in {"host", "kind", "limited by"} else "right"
        )
    cutover = {h.id: h for h in result.cutover.hosts}
    for i in slowest_hosts(result, 15):
        h = result.transfer.hosts[i]
        table.add_row(
            h.id,
            h.kind,
            format_size(h.bytes),
            format_duration(h.start_seconds),
            format_duration(h.end_seconds),
            format_rate(h.rate_bits_per_second),
            h.limited_by,
            format_duration(cutover[h.id].downtime_seconds),
        )
    if result.transfer.hosts:
        console.print(table)
    counts = ", ".join(f"{k} {v}" for k, v in result.transfer.limited_by_counts.items())
    if counts:
        console.print(f"hosts by limit: {counts}", markup=False, highlight=False)
    console.rule("verdict")
    for line in verdict_lines(result):
        console.print(line, markup=False, highlight=False)
