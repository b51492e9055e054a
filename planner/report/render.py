"""One call from plan and audit documents to the HTML and Markdown report.

:func:`render_report` is what the CLI and the demo use: ``render_report(plan, audit)`` with the
parsed JSON documents returns a :class:`RenderedReport` (``html``, ``markdown``). Documents that
break the output contract raise :class:`~planner.errors.InputError` naming the document and key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from planner import __version__
from planner.errors import InputError
from planner.io.documents import Loc, format_loc
from planner.io.seeds import load_yaml_seed
from planner.report import charts
from planner.report.assemble import assemble
from planner.report.audit_views import AuditView
from planner.report.html import render_html
from planner.report.markdown import render_markdown
from planner.report.model import ReportData
from planner.report.regulation import SEED, RegulationSeed
from planner.report.views import PlanView, problems_of

V = TypeVar("V", bound=BaseModel)
Locate = Callable[[Loc], int | None]


@dataclass(frozen=True)
class RenderedReport:
    html: str
    markdown: str
    data: ReportData


def read_view(model: type[V], doc: Any, name: str, what: str, locate: Locate | None = None) -> V:
    """Validate ``doc`` against a view; problems become one :class:`InputError` for all."""
    if not isinstance(doc, dict):
        raise InputError(
            f"{name}: expected a JSON object (the output of `exitplan {what} --format json`), "
            f"got {type(doc).__name__}"
        )
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        messages = []
        for loc, problem in problems_of(exc.errors()):
            line = locate(loc) if locate else None
            where = f"{name}:{line}" if line else name
            messages.append(f"{where}: {format_loc(loc)}: {problem}")
        raise InputError(
            "\n".join(messages) + f"\n{name}: not a usable `exitplan {what}` document"
        ) from None


def render_views(
    plan: PlanView,
    audit: AuditView | None,
    *,
    sources: tuple[str, str | None] = ("plan", None),
    generated_at: str | None = None,
    seed: RegulationSeed | None = None,
) -> RenderedReport:
    seed = seed or load_yaml_seed(SEED, RegulationSeed)
    data = assemble(plan, audit, seed, sources)
    limits = charts.colors_for([s.name for s in data.breakdown.shares])
    drawn = {
        "gantt": charts.gantt(
            data.schedule.bars,
            data.schedule.deadline_seconds,
            data.schedule.lower_bound_seconds,
            f"Transfer schedule: {len(data.schedule.bars)} critical hosts"
            if data.schedule.hidden_hosts
            else f"Transfer schedule: all {len(data.schedule.bars)} hosts",
            limits,
        ),
        "waves": charts.gantt(
            data.schedule.waves,
            data.schedule.deadline_seconds,
            None,
            "Waves",
            legend_title=None,
        ),
        "progress": charts.progress(
            data.schedule.spans, data.schedule.deadline_seconds, data.schedule.lower_bound_seconds
        ),
        "bottlenecks": charts.shares(
            data.breakdown.shares,
            "Where the time goes: host-hours by bottleneck",
            "host_seconds",
            limits,
        ),
        "roles": charts.shares(data.data.roles or [], "Data by role"),
        "rounds": charts.rounds(data.cutover.rounds),
        "heat": charts.heat_map(data.lockin.heat if data.lockin else None),
    }
    meta = {"generator": f"exitplan {__version__}", "generated_at": generated_at}
    return RenderedReport(render_html(data, drawn, meta), render_markdown(data, meta), data)


def render_report(
    plan: Any,
    audit: Any | None = None,
    *,
    plan_name: str = "plan",
    audit_name: str = "audit",
    generated_at: str | None = None,
) -> RenderedReport:
    """Render parsed plan (and optional audit) JSON documents into HTML and Markdown."""
    plan_view = read_view(PlanView, plan, plan_name, "plan")
    audit_view = read_view(AuditView, audit, audit_name, "audit") if audit is not None else None
    return render_views(
        plan_view,
        audit_view,
        sources=(plan_name, audit_name if audit is not None else None),
        generated_at=generated_at,
    )
