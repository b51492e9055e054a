"""The demo pipeline: every stage that exists, run on the bundled 2021 scenario.

Each stage reads what earlier stages left in the :class:`DemoContext`, writes its files into the
output folder (atomically) and adds lines to the verdict. New stages append to :data:`STAGES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.audit.demo import stage_audit
from planner.core.generate import generate_fleet
from planner.demo_plan import stage_plan
from planner.demo_report import stage_report
from planner.demo_stacks import stage_stacks
from planner.io.atomic import write_json
from planner.io.inventory_file import load_inventory, save_inventory
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.models import Inventory
from planner.models.seeds import FleetProfile, Scenario
from planner.summary import summarize_inventory
from planner.units import format_duration, format_size

SCENARIO = "scenarios/forced-exit-2021.yaml"


@dataclass
class DemoContext:
    out_dir: Path
    scenario: Scenario
    inventory: Inventory | None = None
    files: dict[str, Path] = field(default_factory=dict)
    verdict: list[str] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)


Stage = Callable[[DemoContext], None]


def stage_inventory(ctx: DemoContext) -> None:
    """Generate the scenario's fleet, write it, and read it back through the validator."""
    fleet = ctx.scenario.fleet
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    inventory = generate_fleet(
        profile,
        aws_instance_types(),
        servers=fleet.servers,
        data_bytes=fleet.data_bytes,
        seed=fleet.seed,
        regions=fleet.regions,
        provider=fleet.provider,
    )
    inventory.metadata["scenario"] = ctx.scenario.id
    path = save_inventory(inventory, ctx.out_dir / "inventory.yaml")
    ctx.inventory = load_inventory(path)
    ctx.files["inventory"] = path
    summary = summarize_inventory(ctx.inventory)
    ctx.results["inventory"] = summary
    top = summary["roles"][0]
    ctx.verdict.append(
        f"Fleet: {summary['servers']} servers holding {format_size(summary['total_bytes'])}; "
        f"{top['role']} hosts hold {format_size(top['used_bytes'])} "
        f"({top['used_bytes'] / max(summary['total_bytes'], 1):.0%})."
    )


STAGES: list[tuple[str, Stage]] = [
    ("inventory", stage_inventory),
    ("plan", stage_plan),
    ("stacks", stage_stacks),
    ("audit", stage_audit),
    ("report", stage_report),
]


def run_demo(out_dir: Path, on_stage: Callable[[str], None] | None = None) -> DemoContext:
    """Run every stage into ``out_dir`` and return the context with verdict and files."""
    scenario = load_yaml_seed(SCENARIO, Scenario)
    ctx = DemoContext(out_dir=out_dir, scenario=scenario)
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx.verdict.append(
        f"Scenario: {scenario.title}. Deadline {format_duration(scenario.deadline_seconds)}."
    )
    for name, stage in STAGES:
        if on_stage is not None:
            on_stage(name)
        stage(ctx)
    ctx.files["summary"] = write_json(
        out_dir / "summary.json",
        {
            "schema_version": 1,
            "scenario": scenario.id,
            "verdict": ctx.verdict,
            "files": {name: str(path) for name, path in ctx.files.items()},
        },
    )
    return ctx
