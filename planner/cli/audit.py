"""``exitplan audit``: the proprietary AWS services each workload depends on, what replaces them,
and the outside suppliers (DNS, CDN, e-mail, SMS, payments, stores ...) that could cut it off."""

from __future__ import annotations

import io
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from planner.audit.render import to_json, to_markdown, to_table, verdict
from planner.audit.run import run_audit
from planner.audit.sarif import to_sarif_text
from planner.cli._app import console, err_console, fail
from planner.io.atomic import write_text
from planner.models.lockin import LEVELS


class AuditFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    sarif = "sarif"


class FailLevel(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
    very_high = "very-high"


def audit(
    inventory: Annotated[
        Path | None,
        typer.Argument(metavar="INVENTORY", help="Inventory file (YAML or JSON), optional."),
    ] = None,
    iac: Annotated[
        list[Path] | None,
        typer.Option(
            "--iac",
            metavar="PATH",
            help="Terraform/CloudFormation/SAM/Serverless/Amplify path (repeat).",
        ),
    ] = None,
    code: Annotated[
        list[Path] | None,
        typer.Option("--code", metavar="PATH", help="Application code path (repeatable)."),
    ] = None,
    dns: Annotated[
        list[Path] | None,
        typer.Option(
            "--dns",
            metavar="FILE",
            help="DNS zone file (BIND) or Route 53 JSON export (repeatable).",
        ),
    ] = None,
    fmt: Annotated[
        AuditFormat, typer.Option("--format", help="Output format.")
    ] = AuditFormat.table,
    fail_on: Annotated[
        FailLevel | None,
        typer.Option("--fail-on", help="Exit 1 when the overall level reaches this level."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="FILE", help="Write to this file.")
    ] = None,
) -> None:
    """Audit lock-in and supplier exposure: services, suppliers, replacements, effort, blockers."""
    if inventory is None and not iac and not code and not dns:
        fail("nothing to audit: give an INVENTORY, --iac PATH, --code PATH or --dns FILE", 2)
    if inventory is not None and not inventory.exists():
        fail(f"{inventory}: no such file", 2)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), console=err_console, transient=True
    ) as progress:
        task = progress.add_task("reading", total=None)
        count = [0]

        def on_file(path: str) -> None:
            count[0] += 1
            if count[0] % 25 == 0:
                progress.update(task, description=f"{count[0]} files: {path}")

        report = run_audit(
            inventory, list(iac or []), list(code or []), on_file=on_file, dns=list(dns or [])
        )
    if fmt is AuditFormat.table:
        if output is not None:
            buffer = Console(record=True, width=140, file=io.StringIO())
            to_table(report, buffer)
            write_text(output, buffer.export_text())
        else:
            to_table(report, console)
    else:
        text = {
            AuditFormat.json: to_json,
            AuditFormat.markdown: to_markdown,
            AuditFormat.sarif: to_sarif_text,
        }[fmt](report)
        if output is not None:
            write_text(output, text)
        else:
            typer.echo(text, nl=False)
    if output is not None:
        err_console.print(f"{verdict(report)} Written to {output}.", markup=False, highlight=False)
    if fail_on is not None:
        reached = LEVELS.index(report.level) >= LEVELS.index(fail_on.value)  # type: ignore[arg-type]
        if reached:
            err_console.print(
                f"audit level {report.level} reaches --fail-on {fail_on.value}",
                markup=False,
                highlight=False,
            )
            raise typer.Exit(1)
