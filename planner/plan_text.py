"""Plain-text views of a plan: the verdict lines (CLI, demo) and the Markdown report."""

from __future__ import annotations

from planner.models.capacity import CapacityPlan
from planner.models.plan import Plan, Suggestion
from planner.units import format_duration, format_rate, format_size

HOSTS_SHOWN = 25
IDS_SHOWN = 10


def _usd(value: float) -> str:
    return f"${value:,.0f}"


def slowest_hosts(plan: Plan, count: int = HOSTS_SHOWN) -> list[int]:
    """Indices of the hosts that finish last, latest first."""
    hosts = plan.transfer.hosts
    return sorted(range(len(hosts)), key=lambda i: (-hosts[i].end_seconds, hosts[i].id))[:count]


def deadline_line(plan: Plan) -> str:
    d = plan.deadline
    done = (
        d.completion_seconds
        if d.completion_seconds is not None
        else (plan.cutover.completion_seconds)
    )
    if d.provisioning_seconds:
        done_text = (
            f"machines in {format_duration(d.provisioning_seconds)}, everything on the target "
            f"after {format_duration(done)}"
        )
    else:
        done_text = f"everything on the target after {format_duration(done)}"
    unknown = plan.inventory.unknown_size
    if unknown:
        done_text = done_text.replace("everything", "everything of known size", 1)
    if d.seconds is None or d.margin_seconds is None:
        if unknown and not plan.transfer.hosts:
            return f"No deadline given.{unknown_sentence(plan)} Nothing of known size to copy."
        return f"No deadline given: {done_text}.{unknown_sentence(plan)}"
    if unknown and d.meets is not False and d.margin_seconds >= 0:
        head = f"Deadline {format_duration(d.seconds)}: NOT PROVEN -{unknown_sentence(plan)}"
        if not plan.transfer.hosts:
            return f"{head} Nothing of known size to copy."
        return (
            f"{head} The known part fits with {format_duration(d.margin_seconds)} to spare "
            f"({done_text})."
        )
    if not d.meets and d.margin_seconds >= 0:
        return (
            f"Deadline {format_duration(d.seconds)}: MISSED - the time fits ({done_text}), but "
            "some servers have no machine at the target."
        )
    if d.meets:
        return (
            f"Deadline {format_duration(d.seconds)}: MET with {format_duration(d.margin_seconds)} "
            f"to spare ({done_text})."
        )
    return (
        f"Deadline {format_duration(d.seconds)}: MISSED by {format_duration(-d.margin_seconds)} "
        f"({done_text})."
    )


def unknown_sentence(plan: Plan) -> str:
    """`` N item(s) of unknown size are not in the plan: a, b, c.`` or an empty string."""
    ids = plan.inventory.unknown_size
    if not ids:
        return ""
    shown = ", ".join(ids[:IDS_SHOWN]) + (
        f" and {len(ids) - IDS_SHOWN} more" if len(ids) > IDS_SHOWN else ""
    )
    return f" {len(ids)} item(s) of unknown size are not in the plan: {shown}."


def top_suggestion(plan: Plan) -> tuple[list[Suggestion], Suggestion] | None:
    """The shortest prefix of (cumulative) suggestions that meets the deadline, or all of them."""
    if not plan.suggestions:
        return None
    for i, suggestion in enumerate(plan.suggestions):
        if suggestion.meets:
            return plan.suggestions[: i + 1], suggestion
    return plan.suggestions, plan.suggestions[-1]


def suggestion_line(plan: Plan) -> str | None:
    found = top_suggestion(plan)
    if found is None:
        return None
    steps, last = found
    actions = "; then ".join(s.summary for s in steps if s.action != "none")
    result = format_duration(last.resulting_completion_seconds)
    if last.meets:
        return f"To meet it: {actions} -> everything on the target after {result}."
    if actions:
        return (
            f"Best computed change: {actions} -> {result}, still late. {steps[-1].summary}."
            if steps[-1].action == "none"
            else f"Best computed change: {actions} -> {result}, still late."
        )
    return f"{last.summary}."


def capacity_line(capacity: CapacityPlan) -> str:
    """Where the machines come from: how many, how soon, what it costs, what stands in the way."""
    line = (
        f"Capacity at {capacity.target.title}: {len(capacity.servers)} servers on "
        f"{capacity.machines} machines in {format_duration(capacity.provisioning_seconds)}, "
        f"{_usd(capacity.monthly_usd)} per month"
    )
    if capacity.unplaced:
        line += f"; {len(capacity.unplaced)} servers fit no offering there"
    worst = [b for b in capacity.blockers if b.severity == "blocker" and b.kind != "unplaced"]
    if worst:
        line += f"; blocker: {worst[0].message}"
    return line + "."


def _bulk_line(plan: Plan) -> str:
    t = plan.transfer
    unknown = len(plan.inventory.unknown_size)
    extra = f" (and {unknown} item(s) of unknown size, not counted)" if unknown else ""
    if not t.hosts:
        return f"Bulk copy: nothing of known size to copy{extra}."
    return (
        f"Bulk copy of {format_size(plan.inventory.total_bytes)}{extra}: "
        f"{format_duration(t.bulk_seconds)} (lower bound "
        f"{format_duration(t.lower_bound_seconds)}); bottleneck: {t.bottleneck_detail}."
    )


def _cutover_line(plan: Plan) -> str:
    """Downtime, rounds and convergence; ``converges`` means the last round got short enough."""
    c = plan.cutover
    if not c.hosts or c.critical_id is None:
        return "Cutover: no host of known size to cut over."
    offline = sum(1 for h in c.non_converging if h.method == "offline")
    stopped = len(c.non_converging) - offline
    if c.converges:
        converge = "every host's rounds converge to a short last round"
    else:
        parts = []
        if offline:
            parts.append(
                f"{offline} change data faster than they can copy it, so one pass with "
                "services stopped copies what changed"
            )
        if stopped:
            parts.append(
                f"{stopped} stop at the round limit or when rounds stop shrinking, so their "
                "longer last round is their downtime"
            )
        converge = f"{len(c.non_converging)} host(s) do not converge: " + "; ".join(parts)
    return (
        f"Cutover: {format_duration(c.downtime_seconds)} of downtime (longest: {c.critical_id}), "
        f"up to {c.rounds} delta round(s); {converge}."
    )


def verdict_lines(plan: Plan) -> list[str]:
    """The answer in a few sentences: deadline, bottleneck, downtime, cost, what to change."""
    cost = plan.cost
    lines = [deadline_line(plan), _bulk_line(plan), _cutover_line(plan)]
    waiver = cost.waiver
    known = " for the sizes known" if plan.inventory.unknown_size else ""
    lines.append(
        f"Egress: {_usd(cost.egress_usd)} at AWS list prices{known}; "
        f"{_usd(cost.egress_usd_if_waived)} with the exit waiver, which "
        f"{waiver.reason if waiver else 'is not modelled'}."
    )
    if plan.capacity is not None:
        lines.append(capacity_line(plan.capacity))
    elif cost.target_monthly_usd is not None:
        lines.append(f"Target: {_usd(cost.target_monthly_usd)} per month.")
    line = suggestion_line(plan)
    if line:
        lines.append(line)
    conf = plan.confidence
    lines.append(
        f"Confidence: {conf.level} ({conf.measured_bytes_fraction:.0%} of bytes measured or "
        f"discovered; {len(plan.assumptions)} assumptions listed)."
    )
    return lines


def to_markdown(plan: Plan, title: str = "Transfer plan") -> str:
    """A self-contained Markdown report of the plan."""
    out = [f"# {title}", ""]
    out += [f"- {line}" for line in verdict_lines(plan)]
    out += ["", "## Slowest hosts", ""]
    out += [
        "| host | kind | data | start | end | rate | limited by |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for i in slowest_hosts(plan):
        h = plan.transfer.hosts[i]
        out.append(
            f"| {h.id} | {h.kind} | {format_size(h.bytes)} | {format_duration(h.start_seconds)} | "
            f"{format_duration(h.end_seconds)} | {format_rate(h.rate_bits_per_second)} | "
            f"{h.limited_by} |"
        )
    if not plan.transfer.hosts:
        out.append("| (no host of known size) | | | | | | |")
    counts = ", ".join(f"{k}: {v}" for k, v in plan.transfer.limited_by_counts.items())
    out += ["", f"Hosts by limit: {counts}." if counts else "No host has bytes to copy.", ""]
    if plan.inventory.unknown_size:
        ids = plan.inventory.unknown_size
        out += ["## Items of unknown size (not in the plan)", ""]
        out += [f"- {i}" for i in ids[:HOSTS_SHOWN]]
        if len(ids) > HOSTS_SHOWN:
            out.append(f"- and {len(ids) - HOSTS_SHOWN} more")
        out += ["", "Their copy time, downtime and egress are unknown: measure them first.", ""]
    if plan.suggestions:
        out += ["## Suggestions (each re-planned, cumulative)", ""]
        for s in plan.suggestions:
            verdict = "meets the deadline" if s.meets else "still late"
            out.append(
                f"1. {s.summary} -> bulk {format_duration(s.resulting_bulk_seconds)}, done after "
                f"{format_duration(s.resulting_completion_seconds)} ({verdict})"
            )
        out.append("")
    if plan.cutover.non_converging:
        out += ["## Hosts that do not converge", ""]
        out += [f"- {h.id}: {h.reason}" for h in plan.cutover.non_converging[:HOSTS_SHOWN]]
        out.append("")
    out += ["## Cost", ""]
    for r in plan.cost.by_region:
        out.append(f"- {r.region}: {format_size(r.bytes)} -> {_usd(r.usd)} ({r.price_schedule})")
    if plan.cost.waiver:
        out.append(f"- Exit waiver conditions: {'; '.join(plan.cost.waiver.conditions)}")
    out += ["", "## Confidence", "", f"Level: {plan.confidence.level}."]
    out += [f"- {note}" for note in plan.confidence.notes]
    out += ["", "## Assumptions", "", "| name | value | source |", "|---|---|---|"]
    for a in plan.assumptions:
        out.append(f"| {a.name} | {a.value} | {a.source} |".replace("\n", " "))
    if plan.warnings:
        out += ["", "## Warnings", ""] + [f"- {w}" for w in plan.warnings]
    return "\n".join(out) + "\n"
