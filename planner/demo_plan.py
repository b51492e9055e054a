"""The demo's plan stage: plan the scenario's fleet against its deadline; JSON and Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.core.plan import build_plan
from planner.io.atomic import write_json, write_text
from planner.io.seeds import aws_instance_types
from planner.io.transfer_seeds import transfer_seeds
from planner.models.plan import PlanOptions
from planner.plan_text import to_markdown, verdict_lines
from planner.targeted import plan_with_target

if TYPE_CHECKING:
    from planner.demo import DemoContext


def stage_plan(ctx: DemoContext) -> None:
    """Plan the inventory of the earlier stage with the scenario's deadline."""
    if ctx.inventory is None:
        raise RuntimeError("the plan stage needs the inventory stage first")
    options = PlanOptions(deadline_seconds=ctx.scenario.deadline_seconds)
    if ctx.scenario.target is None:
        plan = build_plan(ctx.inventory, transfer_seeds(), options, aws_instance_types())
    else:
        plan = plan_with_target(ctx.inventory, transfer_seeds(), options, ctx.scenario.target)
    ctx.results["plan"] = plan
    ctx.files["plan"] = write_json(ctx.out_dir / "plan.json", plan.model_dump(mode="json"))
    ctx.files["plan_markdown"] = write_text(
        ctx.out_dir / "plan.md", to_markdown(plan, f"Transfer plan: {ctx.scenario.title}")
    )
    ctx.verdict.extend(
        f"Plan: {line}" if i == 0 else line for i, line in enumerate(verdict_lines(plan))
    )
