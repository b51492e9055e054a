"""``exitplan demo``: the whole pipeline on the bundled 2021 scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

from planner.cli._app import console
from planner.demo import run_demo
from planner.io.atomic import ensure_dir


def demo(
    out: Annotated[Path, typer.Option("--out", help="Output folder (created if missing).")] = Path(
        "exitplan-demo"
    ),
) -> None:
    """Run every stage on the bundled forced-exit scenario and print the verdict.

    Exit code 0 when every stage ran, whatever the verdict says (a missed deadline is a
    finding of the demo, not a failure); 2 when the output folder cannot be written.
    """
    ensure_dir(out)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True
    ) as progress:
        task = progress.add_task("starting", total=None)
        ctx = run_demo(out, on_stage=lambda name: progress.update(task, description=name))
    console.rule("exitplan demo: verdict")
    for line in ctx.verdict:
        console.print(line, markup=False, highlight=False)
    console.print()
    for name, path in ctx.files.items():
        console.print(f"{name}: {path}", markup=False, highlight=False, soft_wrap=True)
