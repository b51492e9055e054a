"""``exitplan discover``: build inventories from a cloud account (``aws``) or from hosts.

Other discovery commands register on the same group: ``discover.app.command("ssh")(...)``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from planner.cli import discover_ssh
from planner.cli._app import console, err_console, new_app, writable
from planner.discovery.aws import DiscoveryOptions, DiscoveryResult, discover_aws
from planner.io.inventory_file import dump_inventory, save_inventory
from planner.units import format_size

app = new_app("Discover an inventory: from a cloud account's APIs or from the hosts themselves.")
MAX_LISTED_ERRORS = 20


class SummaryFormat(StrEnum):
    table = "table"
    json = "json"


class RegionProgress:
    """A rich progress bar per region, showing the service that finished last."""

    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("{task.fields[region]:<16}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=False,
        )
        self._tasks: dict[str, Any] = {}
        self._left: dict[str, int] = {}

    def __enter__(self) -> RegionProgress:
        self._progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._progress.stop()

    def planned(self, region: str, tasks: int) -> None:
        self._tasks[region] = self._progress.add_task("", total=tasks, region=region)
        self._left[region] = tasks

    def finished(self, region: str, task: str) -> None:
        self._left[region] -= 1
        label = task if self._left[region] else "done"
        self._progress.update(self._tasks[region], advance=1, description=label)


@app.command("aws")
def aws(
    profile: Annotated[
        str | None, typer.Option(help="Profile from the AWS config files (default chain if unset).")
    ] = None,
    region: Annotated[
        list[str] | None, typer.Option("--region", help="Region to read (repeatable).")
    ] = None,
    all_regions: Annotated[
        bool, typer.Option("--all-regions", help="Read every region enabled for the account.")
    ] = False,
    endpoint_url: Annotated[
        str | None, typer.Option(help="Send every API call here (e.g. a local moto server).")
    ] = None,
    deep: Annotated[
        bool, typer.Option(help="List objects of buckets without CloudWatch size metrics (slow).")
    ] = False,
    concurrency: Annotated[int, typer.Option(help="Parallel API calls (1-64).")] = 8,
    max_attempts: Annotated[
        int, typer.Option(help="Attempts per call, adaptive retry mode (1-20).")
    ] = 10,
    fmt: Annotated[
        SummaryFormat, typer.Option("--format", help="Summary format.")
    ] = SummaryFormat.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            callback=writable,
            help="Write the inventory here (atomic); else stdout.",
        ),
    ] = None,
) -> None:
    """Read an AWS account with read-only API calls into an inventory.

    Servers (EC2 with instance-type limits, EBS volumes and snapshots), data stores (S3, RDS and
    Aurora, ElastiCache, EFS, DynamoDB) and a census of managed services as lock-in evidence.
    Errors per region and service are recorded in the inventory's metadata; the partial
    inventory is still written and the exit code is 1.
    """
    options = DiscoveryOptions(
        profile=profile,
        regions=tuple(region or ()),
        all_regions=all_regions,
        endpoint_url=endpoint_url,
        deep=deep,
        concurrency=concurrency,
        max_attempts=max_attempts,
    )
    with RegionProgress() as progress:
        result = discover_aws(options, progress=progress)
    if output is not None:
        save_inventory(result.inventory, output)
    else:
        typer.echo(dump_inventory(result.inventory), nl=False)
    summary = _summary(result, output)
    if fmt == SummaryFormat.json:
        text = json.dumps(summary, indent=2)
        if output is not None:
            typer.echo(text)
        else:
            err_console.print(text, markup=False, highlight=False, soft_wrap=True)
    else:
        _print_table(summary, console if output is not None else err_console)
    if not result.complete:
        raise typer.Exit(1)


def _summary(result: DiscoveryResult, output: Path | None) -> dict[str, Any]:
    meta = result.inventory.metadata["discovery"]
    return {
        "schema_version": 1,
        "output": str(output) if output is not None else None,
        "account": meta["account"],
        "regions": meta["regions"],
        "regions_not_enabled": meta["regions_not_enabled"],
        "duration_seconds": meta["duration_seconds"],
        "complete": meta["complete"],
        "counts": meta["counts"],
        "errors_summary": meta["errors_summary"],
        "errors": meta["errors"],
    }


def _print_table(summary: dict[str, Any], out: Any) -> None:
    counts = summary["counts"]
    table = Table(
        title=f"AWS account {summary['account'] or '?'}: {counts['servers']} servers, "
        f"{format_size(counts['total_bytes'])} known data, {summary['duration_seconds']:.1f} s"
    )
    for column in ("region", "servers", "volumes", "data stores", "managed resources", "errors"):
        table.add_column(column, justify="left" if column == "region" else "right")
    errors_by_region: dict[str, int] = {}
    for error in summary["errors"]:
        errors_by_region[error["region"]] = errors_by_region.get(error["region"], 0) + 1
    regions = sorted(set(counts["regions"]) | set(errors_by_region))
    for name in regions:
        row = counts["regions"].get(name, {})
        table.add_row(
            name,
            str(row.get("servers", 0)),
            str(row.get("volumes", 0)),
            str(row.get("data_stores", 0)),
            str(row.get("managed_resources", 0)),
            str(errors_by_region.get(name, 0)),
        )
    out.print(table)
    census = ", ".join(f"{k} {v}" for k, v in counts["census"].items())
    out.print(f"services in use: {census or 'none found'}", markup=False, highlight=False)
    if summary["output"]:
        out.print(f"wrote {summary['output']}", markup=False, highlight=False)
    if summary["errors"]:
        kinds = ", ".join(f"{k} {v}" for k, v in summary["errors_summary"]["by_kind"].items())
        err_console.print(
            f"incomplete: {len(summary['errors'])} calls failed ({kinds}); the skipped parts "
            "are listed under metadata.discovery.errors",
            markup=False,
            highlight=False,
        )
        for error in summary["errors"][:MAX_LISTED_ERRORS]:
            err_console.print(
                f"  {error['region']}/{error['service']} {error['operation']}: {error['code']}: "
                f"{error['message']}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        if len(summary["errors"]) > MAX_LISTED_ERRORS:
            err_console.print(f"  ... and {len(summary['errors']) - MAX_LISTED_ERRORS} more")


app.command("ssh")(discover_ssh.ssh)
