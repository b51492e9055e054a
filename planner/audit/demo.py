"""Demo stage: audit the bundled scenario's inventory for lock-in (audit.json, audit.md)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from planner.audit.render import to_json, to_markdown, verdict
from planner.audit.run import run_audit
from planner.io.atomic import write_text

if TYPE_CHECKING:
    from planner.demo import DemoContext


def stage_audit(ctx: DemoContext) -> None:
    """Audit the inventory the earlier stage wrote; add the lock-in verdict line."""
    inventory_path = ctx.files.get("inventory")
    if ctx.inventory is None or inventory_path is None:
        return
    report = run_audit(inventory_path, loaded=ctx.inventory)
    document = to_json(report)
    ctx.files["audit"] = write_text(ctx.out_dir / "audit.json", document)
    ctx.files["audit_markdown"] = write_text(ctx.out_dir / "audit.md", to_markdown(report))
    ctx.results["audit"] = json.loads(document)  # the contract document, for the report stage
    ctx.verdict.append(verdict(report))
