"""Read plan and audit files for the report and write the report files (atomically).

Problems in an input file point at the line: ``plan.json:42: transfer.hosts[3].end_seconds:
missing (required by the output contract)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.errors import InputError
from planner.io.atomic import write_text
from planner.io.documents import Loc, line_of, parse_document, read_text
from planner.report.audit_views import AuditView
from planner.report.render import RenderedReport, read_view, render_report, render_views
from planner.report.views import PlanView


def _load(path: Path, model: type[PlanView] | type[AuditView], what: str) -> Any:
    text = read_text(path)
    try:
        doc = parse_document(text, path)
    except InputError as exc:
        raise InputError(f"{exc}{_hint(text, what)}") from None
    if not isinstance(doc, dict):
        raise InputError(f"{path}:1: not a {what} JSON document{_hint(text, what)}")

    def locate(loc: Loc) -> int | None:
        return line_of(text, loc)

    return read_view(model, doc, str(path), what, locate)


def _hint(text: str, what: str) -> str:
    """A hint when the file is the command's table or Markdown output, not its JSON."""
    first = text.lstrip()[:1]
    if first in ("{", "["):
        return ""
    command = "plan INVENTORY" if what == "plan" else "audit ..."
    return (
        f" (this looks like the {what}'s table or Markdown output: write the JSON with "
        f"`exitplan {command} --format json -o {what}.json`)"
    )


def build_report(
    plan_path: Path, audit_path: Path | None, generated_at: str | None = None
) -> RenderedReport:
    """Load, check and render; input problems raise :class:`~planner.errors.InputError`."""
    plan: PlanView = _load(plan_path, PlanView, "plan")
    audit: AuditView | None = _load(audit_path, AuditView, "audit") if audit_path else None
    return render_views(
        plan,
        audit,
        sources=(plan_path.name, audit_path.name if audit_path else None),
        generated_at=generated_at,
    )


def save_report(
    report: RenderedReport, html_path: Path | None, markdown_path: Path | None
) -> dict[str, Path]:
    """Write the HTML and/or Markdown files atomically; returns ``{"report.html": path, ...}``."""
    written: dict[str, Path] = {}
    if html_path is not None:
        written["report.html"] = write_text(html_path, report.html)
    if markdown_path is not None:
        written["report.md"] = write_text(markdown_path, report.markdown)
    return written


def write_report_files(
    out_dir: Path, plan: Any, audit: Any | None = None, generated_at: str | None = None
) -> dict[str, Path]:
    """Render parsed plan/audit documents into ``out_dir/report.html`` and ``report.md``.

    One call for a pipeline stage (e.g. the demo): returns ``{"report.html": ..., "report.md":
    ...}``. Documents that break the output contracts raise :class:`InputError`.
    """
    rendered = render_report(plan, audit, generated_at=generated_at)
    return save_report(rendered, out_dir / "report.html", out_dir / "report.md")
