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
from planner.cli._app import console, err_console, fail, output_format, writable
from planner.io.atomic import write_text
from planner.models.audit import AuditReport
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
        AuditFormat | None,
        typer.Option(
            "--format",
            help="Output format [default: from -o's extension (.json, .md, .sarif), else table].",
            show_default=False,
        ),
    ] = None,
    fail_on: Annotated[
        FailLevel | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when the overall level (the higher of lock-in and suppliers) reaches "
            "this level.",
        ),
    ] = None,
    fail_on_lockin: Annotated[
        FailLevel | None,
        typer.Option(
            "--fail-on-lockin",
            help="Exit 1 when the lock-in dimension (proprietary AWS services) reaches this "
            "level; suppliers do not count.",
        ),
    ] = None,
    fail_on_suppliers: Annotated[
        FailLevel | None,
        typer.Option(
            "--fail-on-suppliers",
            help="Exit 1 when the suppliers dimension (single points of supplier failure) "
            "reaches this level.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="FILE", callback=writable, help="Write to this file."
        ),
    ] = None,
) -> None:
    """Audit lock-in and supplier exposure: services, suppliers, replacements, effort, blockers.

    Exit codes: 0 done; 1 a --fail-on, --fail-on-lockin or --fail-on-suppliers level is reached
    (the report is still printed and written); 2 bad usage or input.
    """
    fmt = output_format(fmt, output, AuditFormat.table)
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
    gates: list[tuple[str, str | None, FailLevel | None]] = [
        ("--fail-on", None, fail_on),
        ("--fail-on-lockin", "lock-in", fail_on_lockin),
        ("--fail-on-suppliers", "suppliers", fail_on_suppliers),
    ]
    failed = False
    for flag, dimension, threshold in gates:
        if threshold is None:
            continue
        name, level = _level(report, dimension)
        if LEVELS.index(level) >= LEVELS.index(threshold.value):  # type: ignore[arg-type]
            failed = True
            err_console.print(
                f"{name} level {level} reaches {flag} {threshold.value}",
                markup=False,
                highlight=False,
            )
    if failed:
        raise typer.Exit(1)


def _level(report: AuditReport, dimension: str | None) -> tuple[str, str]:
    """(name, level) of one dimension, or of the whole audit when ``dimension`` is None."""
    for d in report.dimensions:
        if d.id == dimension:
            return d.id, d.level
    return "audit", report.level
