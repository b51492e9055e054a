"""The demo's report stage: render the plan (and the audit, when there is one) to HTML and MD."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.demo import DemoContext


def stage_report(ctx: DemoContext) -> None:
    """Write ``report.html`` and ``report.md`` from the JSON documents earlier stages produced."""
    from planner.report.files import write_report_files  # matplotlib loads only when used

    plan = ctx.results.get("plan")
    if plan is None:
        raise RuntimeError("the report stage needs the plan stage first")
    audit = ctx.results.get("audit")
    if audit is not None and not isinstance(audit, dict):
        audit = audit.model_dump(mode="json")
    written = write_report_files(ctx.out_dir, plan.model_dump(mode="json"), audit)
    ctx.files["report_html"] = written["report.html"]
    ctx.files["report_markdown"] = written["report.md"]
