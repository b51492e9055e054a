"""The verdict at the top of the report: headline, key figures and one line per finding. Pure."""

from __future__ import annotations

from planner.report.model import KeyFigure, Tone, Verdict, duration, money
from planner.report.views import AuditView, PlanView, RoundView
from planner.units import format_size

UNKNOWN = "unknown"


def verdict(plan: PlanView, audit: AuditView | None) -> Verdict:
    """The headline and the key figures at the top of the report."""
    bulk = plan.transfer.bulk_seconds
    deadline = plan.deadline
    tone: Tone = "neutral"
    if deadline is None or deadline.seconds is None:
        headline = f"No deadline set: moving all data takes {duration(bulk)}"
    elif deadline.meets is None:
        headline = f"Deadline {duration(deadline.seconds)}: the plan does not say if it is met"
    else:
        margin = abs(deadline.margin_seconds) if deadline.margin_seconds is not None else None
        if deadline.meets:
            tone = "good"
            headline = f"Deadline met with {duration(margin)} to spare"
        else:
            tone = "bad"
            headline = f"Deadline missed by {duration(margin)}"
    lines = [
        f"Moving {format_size(plan.inventory.total_bytes)} from {plan.inventory.servers} servers "
        f"takes {duration(bulk)} (lower bound {duration(plan.transfer.lower_bound_seconds)})"
        + (
            f" against a deadline of {duration(deadline.seconds)}."
            if deadline and deadline.seconds is not None
            else "."
        ),
        f"Bottleneck: {plan.transfer.bottleneck or UNKNOWN}.",
    ]
    cut = plan.cutover
    lines.append(
        f"Downtime at cutover: {duration(cut.downtime_seconds)}"
        + (f" after {_round_count(cut.rounds)} pre-copy rounds" if cut.rounds is not None else "")
        + ("" if cut.converges is not False else "; some hosts never converge")
        + "."
    )
    cost = plan.cost
    lines.append(
        f"Egress: {money(cost.egress_usd)} ({money(cost.egress_usd_if_waived)} with the "
        "provider's exit waiver, if granted)."
        + (
            f" Target: {money(cost.target_monthly_usd)} a month."
            if cost.target_monthly_usd is not None
            else ""
        )
    )
    if plan.capacity is not None and plan.capacity.provisioning_seconds is not None:
        lines.append(
            f"Provisioning {len(plan.capacity.servers)} target servers takes "
            f"{duration(plan.capacity.provisioning_seconds)}."
        )
    figures = [
        KeyFigure(
            "Time to move all data",
            duration(bulk),
            f"lower bound {duration(plan.transfer.lower_bound_seconds)}",
            tone,
        ),
        KeyFigure(
            "Deadline",
            "none" if deadline is None or deadline.seconds is None else duration(deadline.seconds),
            _deadline_note(plan),
            tone,
        ),
        KeyFigure("Bottleneck", plan.transfer.bottleneck or UNKNOWN),
        KeyFigure(
            "Downtime at cutover",
            duration(cut.downtime_seconds),
            "converges" if cut.converges else "does not converge" if cut.converges is False else "",
            "bad" if cut.converges is False else "neutral",
        ),
        KeyFigure(
            "Egress cost", money(cost.egress_usd), f"{money(cost.egress_usd_if_waived)} if waived"
        ),
    ]
    if cost.target_monthly_usd is not None:
        figures.append(KeyFigure("Target cost", money(cost.target_monthly_usd), "per month"))
    if audit is not None:
        level_tone: Tone = "bad" if audit.level in ("high", "very-high") else "neutral"
        figures.append(
            KeyFigure(
                "Lock-in",
                f"{audit.score:.0f}/100 ({audit.level})",
                f"{len(audit.blockers)} blockers",
                level_tone,
            )
        )
        lines.append(
            f"Lock-in score {audit.score:.0f}/100 ({audit.level}); {len(audit.blockers)} "
            "blockers stop an exit outright until they are dealt with."
        )
    return Verdict(headline, tone, lines, figures)


def _deadline_note(plan: PlanView) -> str:
    deadline = plan.deadline
    if deadline is None or deadline.meets is None:
        return ""
    margin = duration(abs(deadline.margin_seconds)) if deadline.margin_seconds is not None else ""
    return f"met, {margin} to spare" if deadline.meets else f"missed by {margin}"


def _round_count(rounds: int | list[RoundView] | None) -> int:
    return rounds if isinstance(rounds, int) else len(rounds or [])
