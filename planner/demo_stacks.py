"""The demo's stacks stage: preview a one-server-per-role test stack at the plan's target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.io.atomic import write_json
from planner.stacks.files import stack_catalog
from planner.stacks.preview import PreviewError
from planner.stacks.session import preview_report

if TYPE_CHECKING:
    from planner.demo import DemoContext


def stage_stacks(ctx: DemoContext) -> None:
    """Run the real Pulumi program for the target offline (mocks) and write its resource tree."""
    plan = ctx.results.get("plan")
    capacity = getattr(plan, "capacity", None)
    if capacity is None:
        return
    provider = stack_catalog().target_for(capacity.target.provider, None)
    if provider is None:
        ctx.verdict.append(f"Stacks: no Pulumi stack serves {capacity.target.provider} yet.")
        return
    try:
        report, _ = preview_report(
            capacity, provider, test_stack=True, inventory=ctx.files.get("inventory")
        )
    except PreviewError as exc:
        first = str(exc).splitlines()[-1]
        ctx.verdict.append(f"Stacks: test stack not previewed ({first}).")
        return
    ctx.files["stacks_preview"] = write_json(
        ctx.out_dir / "stacks-preview.json", {"schema_version": 1, **report}
    )
    servers = report["outputs"].get("servers", "?")
    ctx.verdict.append(
        f"Stacks: a test stack at {capacity.target.title} ({servers} servers, one per role; "
        f"{report['total']} resources) runs offline under Pulumi's mocks; "
        f"`exitplan stacks config plan.json --provider {provider} --test-stack` writes it."
    )
