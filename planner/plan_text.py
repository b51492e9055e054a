"""Plain-text views of a plan: the verdict lines (CLI, demo) and the Markdown report."""

from __future__ import annotations

from planner.core.suggest_target import monthly_text
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


def _done_text(plan: Plan) -> str:
    d = plan.deadline
    done = (
        d.completion_seconds
        if d.completion_seconds is not None
        else plan.cutover.completion_seconds
    )
    everything = "everything of known size" if plan.inventory.unknown_size else "everything"
    if not d.provisioning_seconds:
        return f"{everything} on the target after {format_duration(done)}"
    raised = ""
    capacity = plan.capacity
    if isinstance(capacity, CapacityPlan) and capacity.provisioning.quota_raise_seconds > 0:
        raised = (
            f" (of which {format_duration(capacity.provisioning.quota_raise_seconds)} "
            "a server-limit raise)"
        )
    return (
        f"machines in {format_duration(d.provisioning_seconds)}{raised}, {everything} on the "
        f"target after {format_duration(done)}"
    )


def deadline_line(plan: Plan) -> str:
    d = plan.deadline
    done_text = _done_text(plan)
    unknown = plan.inventory.unknown_size
    if d.seconds is None:
        if unknown and not plan.transfer.hosts:
            return f"No deadline given.{unknown_sentence(plan)} Nothing of known size to copy."
        return f"No deadline given: {done_text}.{unknown_sentence(plan)}"
    head = f"Deadline {format_duration(d.seconds)}"
    done = d.completion_seconds
    if done is None:
        done = plan.cutover.completion_seconds
    known_margin = d.seconds - done  # the known part's margin (d.margin_seconds is null then)
    if unknown and d.meets is not False and known_margin >= 0:
        head = f"{head}: NOT PROVEN -{unknown_sentence(plan)}"
        if not plan.transfer.hosts:
            return f"{head} Nothing of known size to copy."
        return (
            f"{head} The known part fits with {format_duration(known_margin)} to spare "
            f"({done_text})."
        )
    spare = known_margin if d.margin_seconds is None else d.margin_seconds
    if d.meets:
        return f"{head}: MET with {format_duration(spare)} to spare ({done_text})."
    others = [r.message for r in d.reasons if r.kind != "late"]
    if spare >= 0:
        why = "; ".join(others) or "something other than time stands in the way"
        return (
            f"{head}: MISSED - the time fits with {format_duration(spare)} to spare "
            f"({done_text}), but {why}."
        )
    also = f"; also {'; '.join(others)}" if others else ""
    return f"{head}: MISSED by {format_duration(-spare)} ({done_text}){also}."


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
    """The shortest prefix of the cumulative suggestions that meets the deadline; else an
    alternative (another target) that meets it on its own; else all cumulative ones."""
    if not plan.suggestions:
        return None
    chain = [s for s in plan.suggestions if s.cumulative]
    for i, suggestion in enumerate(chain):
        if suggestion.meets is not False:
            return chain[: i + 1], suggestion
    alone = [s for s in plan.suggestions if not s.cumulative]
    for suggestion in alone:
        if suggestion.meets is not False:
            return [suggestion], suggestion
    if not chain:
        return alone, alone[-1]
    return chain, chain[-1]


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."


def suggestion_line(plan: Plan) -> str | None:
    found = top_suggestion(plan)
    if found is None:
        return None
    steps, last = found
    actions = "; then ".join(s.summary for s in steps if s.action != "none")
    result = format_duration(last.resulting_completion_seconds)
    if last.meets is None and last.condition:
        result += f" if {last.condition} (not proven: that time is not counted)"
    elif last.meets is None:
        result += (
            f" for the part of known size (not proven: {len(plan.inventory.unknown_size)} "
            "item(s) of unknown size are not in the plan)"
        )
    chain = [s for s in plan.suggestions if s.cumulative]
    if last.meets is not False and not last.cumulative and chain:
        best = chain[-1]
        why = (
            best.summary
            if best.action == "none"
            else "the changes at this target reach "
            f"{format_duration(best.resulting_completion_seconds)}"
        )
        return f"{_sentence(why)} To meet it: {actions} -> everything on the target after {result}."
    if last.meets is not False:
        return f"To meet it: {actions} -> everything on the target after {result}."
    alone = [s for s in plan.suggestions if not s.cumulative]
    other = (
        f" Or: {alone[0].summary} -> everything on the target after "
        f"{format_duration(alone[0].resulting_completion_seconds)}, still late."
        if alone and alone[0] is not last
        else ""
    )
    if actions and steps[-1].action == "none":
        return (
            f"Best computed change: {actions} -> {result}, still late. "
            f"{_sentence(steps[-1].summary)}{other}"
        )
    if actions:
        return f"Best computed change: {actions} -> {result}, still late.{other}"
    return f"{_sentence(last.summary)}{other}"


def capacity_line(capacity: CapacityPlan) -> str:
    """Where the machines come from: how many, how soon, what it costs, what stands in the way."""
    line = (
        f"Capacity at {capacity.target.title}: {len(capacity.servers)} servers on "
        f"{capacity.machines} machines in {format_duration(capacity.provisioning_seconds)}, "
        f"{monthly_text(capacity)}"
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
        f"Bulk copy of {format_size(plan.inventory.total_bytes or 0)}{extra}: "
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


def egress_line(plan: Plan) -> str:
    """What leaving costs in egress, and what could not be priced."""
    cost = plan.cost
    provider = (cost.egress_provider or "aws").upper()
    unpriced = ""
    if cost.egress_unpriced_ids:
        ids = cost.egress_unpriced_ids
        shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
        unpriced = (
            f"unknown for {len(ids)} item(s) ({format_size(cost.egress_unpriced_bytes)}: "
            f"{shown}) whose source has no prices in the seeds"
        )
    if cost.egress_usd is None:
        return f"Egress: {unpriced}."
    waiver = cost.waiver
    known = " for the sizes known" if plan.inventory.unknown_size else ""
    if waiver is None:
        text = f"Egress: {_usd(cost.egress_usd)} at {provider} list prices{known}"
    else:
        text = (
            f"Egress: {_usd(cost.egress_usd)} at {provider} list prices{known}; "
            f"{_usd(cost.egress_usd_if_waived or 0.0)} with the exit waiver, which {waiver.reason}"
        )
    return text + (f"; egress {unpriced}" if unpriced else "") + "."


def verdict_lines(plan: Plan) -> list[str]:
    """The answer in a few sentences: deadline, bottleneck, downtime, cost, what to change."""
    cost = plan.cost
    lines = [deadline_line(plan), _bulk_line(plan), _cutover_line(plan)]
    lines.append(egress_line(plan))
    if plan.capacity is not None:
        text = capacity_line(plan.capacity)
        unplaced = {u.id for u in plan.capacity.unplaced}
        stores = [i for i in cost.target_not_costed if i not in unplaced]
        if stores:
            text += (
                f" Not in that cost: {len(stores)} data store(s) the target does not size "
                f"({', '.join(stores[:5])}{', ...' if len(stores) > 5 else ''})."
            )
        lines.append(text)
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
        out += ["## Suggestions (each re-planned; cumulative unless marked as an alternative)", ""]
        for s in plan.suggestions:
            verdict = {
                True: "meets the deadline",
                None: "fits, not proven" + (f": only if {s.condition}" if s.condition else ""),
                False: "still late",
            }[s.meets]
            alone = "" if s.cumulative else "Alternative, on its own: "
            out.append(
                f"1. {alone}{s.summary} -> bulk {format_duration(s.resulting_bulk_seconds)}, "
                f"done after {format_duration(s.resulting_completion_seconds)} ({verdict})"
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
