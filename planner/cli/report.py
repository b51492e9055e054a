"""``exitplan report``: turn a plan (and an audit) into an HTML page and a Markdown file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from planner.cli._app import console, err_console, writable


def report(
    plan: Annotated[
        Path, typer.Option("--plan", help="Plan JSON (`exitplan plan --format json`).")
    ],
    audit: Annotated[
        Path | None,
        typer.Option("--audit", help="Lock-in audit JSON (`exitplan audit --format json`)."),
    ] = None,
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", callback=writable, help="HTML file to write (self-contained)."
        ),
    ] = Path("report.html"),
    markdown: Annotated[
        Path | None,
        typer.Option("--markdown", callback=writable, help="Also write the report as Markdown."),
    ] = None,
) -> None:
    """Write a self-contained HTML report (charts, exit-plan draft) and optional Markdown."""
    from planner.report.files import build_report, save_report  # matplotlib: load on use only

    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with err_console.status("rendering the report", spinner="dots"):
        rendered = build_report(plan, audit, generated_at=stamp)
        written = save_report(rendered, output, markdown)
    console.print(rendered.data.verdict.headline, markup=False, highlight=False, soft_wrap=True)
    for name, path in written.items():
        console.print(f"{name}: {path}", markup=False, highlight=False, soft_wrap=True)
