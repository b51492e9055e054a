"""Assemble every section of the report from the plan and audit views. Pure."""

from __future__ import annotations

from planner.report import prepare, schedule, story
from planner.report.audit_views import AuditView
from planner.report.exit_plan import exit_plan
from planner.report.lockin import lockin
from planner.report.model import ReportData, Table, duration
from planner.report.regulation import RegulationSeed
from planner.report.verdict import verdict
from planner.report.views import PlanView


def blockers(plan: PlanView, audit: AuditView | None) -> Table:
    """Everything that stops an exit outright, from the audit, the capacity plan (severity
    ``blocker`` only: warnings stay in the capacity section) and the cutover. The verdict counts
    these rows (:func:`planner.report.story.blocker_count`)."""
    rows: list[tuple[str, ...]] = []
    for blocker in audit.blockers if audit else []:
        rows.append(("lock-in", blocker.service or "", blocker.text, blocker.workaround or ""))
    for item in story.capacity_blockers(plan):
        rows.append(("capacity", item.kind or "", item.text, item.suggestion or ""))
    return Table(("from", "what", "blocker", "workaround"), rows)


def assumptions(plan: PlanView) -> Table:
    return Table(
        ("assumption", "value", "source"),
        [(a.name, a.value or "", a.source or "NO SOURCE GIVEN") for a in plan.assumptions],
    )


def suggestions(plan: PlanView) -> tuple[Table | None, list[str]]:
    deadline = plan.deadline
    missed = deadline is not None and deadline.meets is False
    lines = []
    if missed and not plan.suggestions:
        lines.append("The deadline is missed and the plan names no change that would meet it.")
    elif missed:
        lines.append("Changes the planner computed that would meet the deadline (or come closest):")
    elif plan.suggestions and deadline is not None and deadline.meets:
        lines.append("The deadline is met; these changes would add margin:")
    elif plan.suggestions:
        lines.append("The plan does not show the deadline is met; changes the planner computed:")
    else:
        lines.append("The plan makes no suggestions.")
    if not plan.suggestions:
        return None, lines
    table = Table(
        ("change", "resulting time", "meets the deadline"),
        [
            (
                s.text,
                duration(s.seconds) if s.seconds is not None else "",
                {True: "yes", False: "no", None: ""}[s.meets],
            )
            for s in plan.suggestions
        ],
        (False, True, False),
    )
    return table, lines


def assemble(
    plan: PlanView,
    audit: AuditView | None,
    seed: RegulationSeed,
    sources: tuple[str, str | None] = ("plan", None),
) -> ReportData:
    """All sections; ``sources`` names the input documents for the subtitle."""
    plan_name, audit_name = sources
    subtitle = (
        f"{plan.inventory.servers} servers, "
        f"{story.size_text(plan).replace('unknown', 'data of unknown size')}. "
        f"From {plan_name}" + (f" and {audit_name}" if audit_name else "") + "."
    )
    suggestion_table, suggestion_lines = suggestions(plan)
    notes = [] if audit else ["No lock-in audit was given (--audit): lock-in sections are empty."]
    return ReportData(
        title="Exit report",
        subtitle=subtitle,
        verdict=verdict(plan, audit),
        schedule=schedule.schedule(plan),
        breakdown=schedule.breakdown(plan),
        data=prepare.data_by_role(plan),
        cutover=prepare.cutover(plan),
        capacity=prepare.capacity(plan),
        lockin=lockin(audit) if audit else None,
        blockers=blockers(plan, audit),
        assumptions=assumptions(plan),
        suggestions=suggestion_table,
        suggestion_lines=suggestion_lines,
        exit_plan=exit_plan(plan, audit, seed),
        notes=notes,
    )
