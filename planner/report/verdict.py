"""The verdict at the top of the report: headline, key figures and one line per finding. Pure.

The headline restates the plan's own verdict: its ``deadline.meets`` and ``margin_seconds``
(deadline minus the end-to-end time to exit). A positive margin next to ``meets: false`` means
the time fits but something else fails; the headline then says what (see
:func:`planner.report.story.miss_reasons`) instead of "missed by".
"""

from __future__ import annotations

from planner.report import story
from planner.report.audit_views import AuditView
from planner.report.model import KeyFigure, Tone, Verdict, duration, money
from planner.report.story import (
    BlockerCount,
    audit_text,
    blocker_count,
    confidence_text,
    dimension,
    exit_seconds,
    miss_reasons,
    plural,
    provisioning_seconds,
    score_text,
    suppliers_text,
)
from planner.report.views import PlanView, RoundView

UNKNOWN = "unknown"
HEADLINE_REASONS_CHARS = 120
CONFIDENCE_TONE: dict[str, Tone] = {"low": "warn", "high": "good"}


def headline(plan: PlanView, blockers: BlockerCount) -> tuple[str, Tone]:
    """The plan's verdict in one line, and its tone."""
    deadline = plan.deadline
    if deadline is None or deadline.seconds is None:
        total = exit_seconds(plan)
        if total is None:
            return "No deadline set; the time to exit is unknown", "neutral"
        return f"No deadline set: the exit takes {duration(total)}", "neutral"
    if deadline.meets is None and story.incomplete(plan):
        return (
            f"Deadline {duration(deadline.seconds)} not shown to be met: "
            + story.unknown_note(plan),
            "warn",
        )
    if deadline.meets is None:
        return (
            f"Deadline {duration(deadline.seconds)}: the plan does not say if it is met",
            "neutral",
        )
    margin = story.margin_known(plan) if deadline.meets is not False else deadline.margin_seconds
    if deadline.meets:
        if margin is None:
            return f"Deadline {duration(deadline.seconds)} met", "good"
        text = f"Deadline met with {duration(margin)} to spare"
        if blockers.total:
            return f"{text}; {blockers.text()} to resolve first", "warn"
        return text, "good"
    if margin is None:
        return "Deadline missed", "bad"
    if margin < 0:
        return f"Deadline missed by {duration(-margin)}", "bad"
    reasons = "; ".join(miss_reasons(plan))
    if not reasons or len(reasons) > HEADLINE_REASONS_CHARS:
        why = "" if not reasons else " for the reasons below"
    else:
        why = f" because {reasons}"
    return f"Deadline missed{why} (the time fits, with {duration(margin)} to spare)", "bad"


def time_line(plan: PlanView) -> str:
    """How the time to exit is made up, and the margin against the deadline."""
    total = exit_seconds(plan)
    provisioning = provisioning_seconds(plan)
    bulk = plan.transfer.bulk_seconds
    parts = []
    if provisioning:
        parts.append(f"target machines ready after {duration(provisioning)}")
    parts.append(f"the bulk copy takes {story.time_text(plan, bulk)}")
    if total is not None and bulk is not None and not story.incomplete(plan):
        tail = total - (provisioning or 0.0) - bulk
        parts.append(f"pre-copy rounds and switch-over add {duration(tail)}")
    text = (
        f"Time to exit: {story.time_text(plan, total)}, the plan's end-to-end figure "
        f"({', '.join(parts)})"
    )
    deadline = plan.deadline
    if story.incomplete(plan):
        against = (
            f", against a deadline of {duration(deadline.seconds)}"
            if deadline is not None and deadline.seconds is not None
            else ""
        )
        return f"{text}{against}: not proven, because {story.unknown_note(plan)}."
    if deadline is None or deadline.seconds is None or deadline.margin_seconds is None:
        return text + "."
    margin = deadline.margin_seconds
    return (
        text
        + f", against a deadline of {duration(deadline.seconds)}: "
        + (f"{duration(margin)} to spare" if margin >= 0 else f"{duration(-margin)} over")
        + " (margin = deadline minus time to exit)."
    )


def _deadline_note(plan: PlanView) -> str:
    deadline = plan.deadline
    if deadline is None or deadline.meets is None:
        return "not proven" if story.incomplete(plan) else ""
    margin = story.margin_known(plan) if deadline.meets else deadline.margin_seconds
    if margin is None:
        return "met" if deadline.meets else "missed"
    if deadline.meets:
        return f"met, {duration(margin)} to spare"
    if margin >= 0:
        return f"missed: the time fits ({duration(margin)} to spare)"
    return f"missed by {duration(-margin)}"


def _figures(
    plan: PlanView, audit: AuditView | None, blockers: BlockerCount, tone: Tone
) -> list[KeyFigure]:
    deadline = plan.deadline
    cut, cost, transfer = plan.cutover, plan.cost, plan.transfer
    figures = [
        KeyFigure(
            "Time to exit",
            story.time_text(plan, exit_seconds(plan)),
            "provisioning, copy, cutover" if provisioning_seconds(plan) else "copy, cutover",
            tone,
        ),
        KeyFigure(
            "Deadline",
            "none" if deadline is None or deadline.seconds is None else duration(deadline.seconds),
            _deadline_note(plan),
            tone,
        ),
    ]
    conf = plan.confidence
    if conf is not None and conf.level:
        fraction = conf.measured_bytes_fraction
        figures.append(
            KeyFigure(
                "Confidence",
                conf.level,
                f"{fraction:.0%} of bytes measured" if fraction is not None else "",
                CONFIDENCE_TONE.get(conf.level, "neutral"),
            )
        )
    figures += [
        KeyFigure(
            "Bulk copy",
            story.time_text(plan, transfer.bulk_seconds),
            f"lower bound {story.time_text(plan, transfer.lower_bound_seconds)}",
        ),
        KeyFigure("Bottleneck", transfer.bottleneck or UNKNOWN),
        KeyFigure(
            "Downtime at cutover",
            story.time_text(plan, cut.downtime_seconds),
            ""
            if story.incomplete(plan)
            else "converges"
            if cut.converges
            else "does not converge"
            if cut.converges is False
            else "",
            "bad" if cut.converges is False else "neutral",
        ),
        KeyFigure(
            "Egress cost",
            story.money_text(plan, cost.egress_usd),
            f"{story.money_text(plan, cost.egress_usd_if_waived)} if waived",
        ),
    ]
    if cost.target_monthly_usd is not None:
        figures.append(KeyFigure("Target cost", money(cost.target_monthly_usd), "per month"))
    figures.append(
        KeyFigure(
            "Blockers",
            str(blockers.total),
            blockers.text().partition(" (")[2].rstrip(")"),
            "bad" if blockers.total else "neutral",
        )
    )
    if audit is not None:
        figures.append(
            _score(
                "Audit",
                audit.score,
                audit.level,
                "overall, not lock-in" if audit.dimensions else "overall",
            )
        )
        for dim_id, label in (("lock-in", "Lock-in"), ("suppliers", "Suppliers")):
            dim = dimension(audit, dim_id)
            if dim is not None:
                note = (
                    suppliers_text(audit)
                    if dim_id == "suppliers"
                    else plural(len(audit.services), "cloud service")
                )
                figures.append(_score(label, dim.score, dim.level, note))
    return figures


def _score(label: str, score: float | None, level: str | None, note: str) -> KeyFigure:
    tone: Tone = "bad" if level in ("high", "very-high") else "neutral"
    return KeyFigure(label, score_text(score, level), note, tone)


def verdict(plan: PlanView, audit: AuditView | None) -> Verdict:
    """The headline and the key figures at the top of the report."""
    blockers = blocker_count(plan, audit)
    text, tone = headline(plan, blockers)
    deadline = plan.deadline
    lines = [time_line(plan)]
    if deadline is not None and deadline.meets is False:
        reasons = miss_reasons(plan)
        if reasons and (deadline.margin_seconds or 0) >= 0:
            lines.append("Missed although the time fits, because: " + "; ".join(reasons) + ".")
        elif others := miss_reasons(plan, besides_time=True):
            lines.append("Also in the way: " + "; ".join(others) + ".")
    conf = confidence_text(plan)
    if conf is not None:
        lines.append(f"Confidence {conf}.")
    lines += [
        f"Moving {_moving(plan)} from {plan.inventory.servers} servers: "
        f"bulk copy {story.time_text(plan, plan.transfer.bulk_seconds)} (lower bound "
        f"{story.time_text(plan, plan.transfer.lower_bound_seconds)}); bottleneck: "
        f"{plan.transfer.bottleneck or UNKNOWN}.",
    ]
    cut = plan.cutover
    lines.append(
        f"Downtime at cutover: {story.time_text(plan, cut.downtime_seconds)}"
        + (
            f" after {_round_count(cut.rounds)} pre-copy rounds"
            if cut.rounds is not None and not story.incomplete(plan)
            else ""
        )
        + (
            ""
            if cut.converges is not False
            else "; some hosts do not converge (their last round runs with services stopped)"
        )
        + "."
    )
    cost = plan.cost
    lines.append(
        f"Egress: {story.money_text(plan, cost.egress_usd)} "
        f"({story.money_text(plan, cost.egress_usd_if_waived)} with the "
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
    lines.append(
        f"Blockers: {blockers.text()}; each stops an exit outright until dealt with (see Blockers)."
        if blockers.total
        else "No blockers stop an exit outright."
    )
    if audit is not None:
        line = audit_text(audit)
        lines.append(
            line[0].upper()
            + line[1:]
            + (f"; outside the fleet: {suppliers_text(audit)}." if audit.suppliers else ".")
        )
    return Verdict(text, tone, lines, _figures(plan, audit, blockers, tone))


def _moving(plan: PlanView) -> str:
    size = story.size_text(plan)
    return "data of unknown size" if size == UNKNOWN else size


def _round_count(rounds: int | list[RoundView] | None) -> int:
    return rounds if isinstance(rounds, int) else len(rounds or [])
