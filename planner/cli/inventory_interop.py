"""``exitplan inventory import|export|merge``: other tools' formats in, out and together.

Registered on :data:`planner.cli.inventory.app`. Exit codes: 0 all used; 1 done, but rows or
values were skipped (or merge problems); 2 unreadable input or bad usage.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from planner.cli._app import console, err_console, writable
from planner.cli.inventory import app
from planner.io.atomic import write_json, write_text
from planner.io.interop_files import export_file, import_file, merge_files
from planner.io.inventory_file import dump_inventory, save_inventory

MAX_PRINTED = 100


class ImportFormat(StrEnum):
    ads_csv = "ads-csv"
    azure_migrate_csv = "azure-migrate-csv"
    ansible = "ansible"
    terraform_state = "terraform-state"


class ExportFormat(StrEnum):
    ansible = "ansible"
    ads_csv = "ads-csv"


def _say(lines: list[str], prefix: str = "") -> None:
    for line in lines[:MAX_PRINTED]:
        err_console.print(f"{prefix}{line}", markup=False, highlight=False, soft_wrap=True)
    if len(lines) > MAX_PRINTED:
        err_console.print(f"{prefix}... and {len(lines) - MAX_PRINTED} more", markup=False)


OutputOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", callback=writable, help="Write here (atomic); default: stdout."),
]
ReportOption = Annotated[
    Path | None,
    typer.Option("--report", callback=writable, help="Also write the full report as JSON here."),
]


@app.command("import")
def import_(
    fmt: Annotated[ImportFormat, typer.Argument(metavar="FORMAT", help="Input format.")],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="File to import.")],
    output: OutputOption = None,
    report: ReportOption = None,
) -> None:
    """Import an ADS or Azure Migrate CSV, an Ansible inventory or a Terraform state."""
    result = import_file(fmt.value, file)
    if output is None:
        typer.echo(dump_inventory(result.inventory), nl=False)
    else:
        save_inventory(result.inventory, output)
    problems = result.rendered_problems()
    _say(problems)
    _say(result.notes, "note: ")
    if report is not None:
        write_json(
            report,
            {
                "schema_version": 1,
                "format": result.format,
                "source": result.source,
                "records": result.records,
                "servers": len(result.inventory.servers),
                "data_stores": len(result.inventory.data_stores),
                "problems": [dict(vars(p), text=p.render(result.source)) for p in result.problems],
                "notes": result.notes,
            },
        )
    summary = result.summary() + (f"; wrote {output}" if output else "")
    err_console.print(summary, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(result.exit_code)


@app.command("export")
def export(
    fmt: Annotated[ExportFormat, typer.Argument(metavar="FORMAT", help="Output format.")],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Inventory file (YAML or JSON).")],
    output: OutputOption = None,
) -> None:
    """Write an inventory as an Ansible YAML inventory (grouped by role) or an ADS CSV."""
    result = export_file(fmt.value, file)
    if output is None:
        typer.echo(result.text, nl=False)
    else:
        write_text(output, result.text)
        console.print(
            f"wrote {output}: {result.records} servers ({result.format})",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    _say([p.render(str(file)) for p in result.problems])
    _say(result.notes, "note: ")
    raise typer.Exit(result.exit_code)


@app.command("merge")
def merge(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="Inventories, earliest (most trusted) first."),
    ],
    output: OutputOption = None,
    report: ReportOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when sources disagree on any value.")
    ] = False,
) -> None:
    """Join inventories on instance id, hostname, then address; report every conflict."""
    result = merge_files(list(files))
    if output is None:
        typer.echo(dump_inventory(result.inventory), nl=False)
    else:
        save_inventory(result.inventory, output)
    if report is not None:
        write_json(report, result.report())
    matched = len({(m.merged_id) for m in result.matches})
    into = f" into {output}" if output is not None else ""
    (console if output is not None else err_console).print(
        f"merged {len(files)} inventories{into}: {len(result.inventory.servers)} servers, "
        f"{len(result.inventory.data_stores)} data stores; {matched} records joined across "
        f"sources, {len(result.conflicts)} conflicts",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    _say([f"conflict: {c.render()}" for c in result.conflicts])
    _say(result.notes, "note: ")
    _say(result.problems, "problem: ")
    failed = bool(result.problems) or (strict and bool(result.conflicts))
    raise typer.Exit(1 if failed else 0)
