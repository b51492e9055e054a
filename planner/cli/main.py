"""Entry point: assembles the command groups into the ``exitplan`` command."""

from __future__ import annotations

from typing import Annotated

import typer

import planner.cli.inventory_interop  # noqa: F401  (adds inventory import/export/merge)
from planner import __version__
from planner.cli import (
    audit,
    capacity,
    demo,
    discover,
    inventory,
    plan,
    probe,
    report,
    stacks,
    targets,
)
from planner.cli._app import new_app

app = new_app("Could you leave your cloud tomorrow? Inventory, plan, audit and exit stacks.")
app.add_typer(inventory.app, name="inventory")
app.add_typer(discover.app, name="discover")
app.command("demo")(demo.demo)
app.add_typer(targets.app, name="targets")
app.command("plan")(plan.plan)
app.command("capacity")(capacity.capacity)
app.command("audit")(audit.audit)
app.command("report")(report.report)
app.add_typer(stacks.app, name="stacks")
app.command("probe")(probe.probe_command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"exitplan {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """exitplan: inventory a fleet, plan the data move, audit lock-in, stand up the exit."""


def run() -> None:
    """Console-script entry point."""
    app(prog_name="exitplan")
