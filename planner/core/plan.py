"""Assemble the ``Plan`` output: schedule, bound, bottleneck, cutover, cost, suggestions.

Pure: an inventory, the transfer seeds, the options and (optionally) the AWS instance catalog in,
a :class:`~planner.models.plan.Plan` out. ``capacity`` is left for the target-capacity work.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from planner.core.assumptions import assumptions_for, confidence_for
from planner.core.cost import EgressItem, plan_cost
from planner.core.cutover import DELTA_RATE
from planner.core.evaluate import Evaluation, evaluate
from planner.core.suggest import TargetPorts, suggest
from planner.models import Inventory
from planner.models.plan import (
    Cost,
    Cutover,
    Deadline,
    DeadlineReason,
    HostCutover,
    HostTransfer,
    LowerBound,
    Plan,
    PlanInventory,
    PlanOptions,
    Transfer,
)
from planner.models.seeds import AwsInstanceType
from planner.models.transfer_seeds import TransferSeeds
from planner.units import format_duration, format_rate, format_size

SCHEDULE_SLACK = 1.02  # a schedule within 2% of its bound is limited by capacity, not by order


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: planning allocates many small acyclic objects, and
    with a large inventory in memory each full collection rescans all of it (quadratic)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_plan(
    inventory: Inventory,
    seeds: TransferSeeds,
    options: PlanOptions | None = None,
    catalog: dict[str, AwsInstanceType] | None = None,
    ports: TargetPorts | None = None,
) -> Plan:
    """The whole plan for ``inventory``, with suggestions when a deadline is missed.

    ``ports``: with a target, the port speeds it offers per server (for the suggestions)."""
    with _collector_paused():
        return _build(inventory, seeds, options or PlanOptions(), catalog, ports)


def _build(
    inventory: Inventory,
    seeds: TransferSeeds,
    options: PlanOptions,
    catalog: dict[str, AwsInstanceType] | None,
    ports: TargetPorts | None = None,
) -> Plan:
    ev = evaluate(inventory, seeds, options, catalog)

    def replan(changed: PlanOptions) -> Evaluation:
        return evaluate(inventory, seeds, changed, catalog, reuse=ev)

    deadline = options.deadline_seconds
    completion = ev.completion_seconds
    unknown = bool(ev.unknown_size)
    return Plan(
        inventory=PlanInventory(
            servers=len(inventory.servers),
            data_stores=len(inventory.data_stores),
            total_bytes=sum(item.size_bytes for item in ev.items) if ev.items else None,
            unknown_size=ev.unknown_size,
        ),
        deadline=Deadline(
            seconds=deadline,
            meets=meets_deadline(completion, deadline, unknown),
            margin_seconds=margin(completion, deadline, unknown),
            time_fits=meets_deadline(completion, deadline, unknown),
            reasons=[] if deadline is None else late_reasons(completion, deadline),
            completion_seconds=completion,
        ),
        transfer=_transfer(ev),
        cutover=_cutover(ev),
        cost=_cost(ev, seeds, options),
        suggestions=suggest(ev, replan, ports),
        assumptions=[*assumptions_for(ev), DELTA_RATE],
        confidence=confidence_for(ev),
        warnings=ev.warnings + _unknown_size_warning(ev.unknown_size, deadline),
    )


def meets_deadline(
    completion_seconds: float, deadline_seconds: float | None, unknown_size: bool
) -> bool | None:
    """True/False, or None when there is no deadline or it is not proven: items of unknown size
    are not in the plan, so a plan that fits without them may still be late (one that is late
    without them is late all the same). ``margin_seconds`` stays the margin of the known part."""
    if deadline_seconds is None:
        return None
    if completion_seconds > deadline_seconds:
        return False
    return None if unknown_size else True


def margin(
    completion_seconds: float, deadline_seconds: float | None, unknown_size: bool
) -> float | None:
    """Deadline minus completion; None without a deadline or when items of unknown size are
    left out (the known part's margin is not the exit's)."""
    if deadline_seconds is None or unknown_size:
        return None
    return deadline_seconds - completion_seconds


def _unknown_size_warning(ids: list[str], deadline_seconds: float | None) -> list[str]:
    if not ids:
        return []
    shown = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
    proof = "; the deadline cannot be shown to be met" if deadline_seconds is not None else ""
    return [
        f"{len(ids)} item(s) of unknown size are not in the plan ({shown}): their copy time, "
        f"downtime and egress are unknown{proof}"
    ]


def late_reasons(completion_seconds: float, deadline_seconds: float) -> list[DeadlineReason]:
    """The ``late`` reason of a copy that ends after the deadline (none if it fits)."""
    if completion_seconds <= deadline_seconds:
        return []
    late = completion_seconds - deadline_seconds
    return [
        DeadlineReason(
            kind="late",
            message=f"copy + cutover take {format_duration(completion_seconds)}, "
            f"{format_duration(late)} more than the deadline",
            seconds=late,
        )
    ]


def bottleneck(ev: Evaluation) -> tuple[str, str]:
    """``(id, explanation)`` of what sets the bulk time."""
    if not ev.bounds:
        return "none", "nothing to copy"
    name, seconds = ev.bounds[0]
    if ev.options.concurrency is not None and ev.bulk_seconds > seconds * SCHEDULE_SLACK:
        return "concurrency", (
            f"at most {ev.options.concurrency} hosts at once: the copy takes "
            f"{format_duration(ev.bulk_seconds)} against a bound of {format_duration(seconds)}"
        )
    if name.startswith("link:"):
        link = next(x for x in ev.links if x.name == name[5:])
        size = sum(ev.items[i].size_bytes for i in link.members)
        return name, (
            f"shared link {link.name!r} carries {format_size(size)} for {len(link.members)} "
            f"hosts at {format_rate(link.capacity_bits_per_second)} of payload: "
            f"{format_duration(seconds)}"
        )
    if name == "concurrency":
        return name, f"at most {ev.options.concurrency} hosts at once"
    item = ev.items[ev.index(name.removeprefix("host:"))]
    return item.own_limit, (
        f"{item.own_limit} of {item.id} ({format_rate(item.cap_bits_per_second)}): "
        f"{format_size(item.size_bytes)} take {format_duration(seconds)}"
    )


def _transfer(ev: Evaluation) -> Transfer:
    hosts: list[HostTransfer] = []
    for i, (item, slot) in enumerate(zip(ev.items, ev.slots, strict=True)):
        duration = slot.end_seconds - slot.start_seconds
        hosts.append(
            HostTransfer.model_construct(  # trusted values: skip validation (100k hosts)
                id=item.id,
                kind=item.kind,
                role=item.source.role,
                bytes=item.size_bytes,
                start_seconds=slot.start_seconds,
                end_seconds=slot.end_seconds,
                rate_bits_per_second=item.size_bytes * 8 / duration if duration > 0 else 0.0,
                limited_by=ev.limited_by(i) if item.size_bytes > 0 else "nothing to copy",
                cap_bits_per_second=item.cap_bits_per_second,
                constraints_bits_per_second=item.constraints,
                confidence=item.provenance,
            )
        )
    name, detail = bottleneck(ev)
    counts = Counter(h.limited_by for h in hosts if h.bytes > 0)
    return Transfer(
        bulk_seconds=ev.bulk_seconds,
        lower_bound_seconds=ev.lower_bound_seconds,
        lower_bound_terms=[LowerBound(name=n, seconds=s) for n, s in ev.bounds[:10]],
        bottleneck=name,
        bottleneck_detail=detail,
        limited_by_counts=dict(counts.most_common()),
        streams=ev.ctx.streams,
        concurrency=ev.options.concurrency,
        hosts=hosts,
    )


def _cutover(ev: Evaluation) -> Cutover:
    hosts = [
        HostCutover.model_construct(
            id=item.id,
            method=c.method,
            rounds=c.rounds,
            converges=c.converges,
            downtime_seconds=c.downtime_seconds,
            completion_seconds=c.completion_seconds,
            reason=c.reason,
        )
        for item, c in zip(ev.items, ev.cutovers, strict=True)
    ]
    worst = max(hosts, key=lambda h: h.downtime_seconds, default=None)
    return Cutover(
        downtime_seconds=worst.downtime_seconds if worst else 0.0,
        rounds=max((h.rounds for h in hosts), default=0),
        converges=all(h.converges for h in hosts),
        completion_seconds=ev.completion_seconds,
        critical_id=worst.id if worst else None,
        non_converging=[h for h in hosts if not h.converges],
        hosts=hosts,
    )


def _cost(ev: Evaluation, seeds: TransferSeeds, options: PlanOptions) -> Cost:
    items = (
        EgressItem(
            item.id,
            item.source.source.provider,
            item.region,
            round(item.size_bytes / ev.ctx.compression_ratio),
        )
        for item in ev.items
    )
    return plan_cost(
        items,
        seeds.egress,
        ev.completion_seconds,
        options.target_monthly_usd,
        partial=bool(ev.unknown_size),
    )
