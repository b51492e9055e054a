"""Computed changes that meet a missed deadline, each checked by re-running the plan.

For every host that finishes late, the tightest own constraint is lifted one step at a time with
the smallest fix that exists for it (a faster target port from the seeded options, the next
stream count on the seeded ladder, gp3 throughput doubled up to its maximum) until the host fits
or nothing more can be done for it (an instance limit needs a different instance). The fixes are
grouped by kind into suggestions, applied cumulatively, and the plan is re-run after each so the
reported time is real. Then full shared links get more capacity and a concurrency limit is
raised, again re-planned. A suggestion list that still misses says so.

With a target (:class:`TargetPorts`), a placed server's port can only become a speed the target
offers for it (its machine's NIC, the catalog's port upgrades); a target that publishes no port
speed gets no port suggestion. Servers without a machine there can be given a seeded port
speed, said to be at the machines found for them elsewhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from planner.core.evaluate import Evaluation, Item
from planner.core.rates import binding, server_constraints, store_constraints
from planner.models import Server
from planner.models.plan import HostOverride, PlanOptions, Suggestion
from planner.units import format_rate

STREAM_LIMITS = {"ssh-window", "tcp-loss", "single-flow-limit", "cipher", "per-file-cost"}
STREAM_LIMITS |= {"compression", "probed-stream-limit"}
MAX_LINK_FACTOR = 64

Replan = Callable[[PlanOptions], Evaluation]


@dataclass(frozen=True)
class TargetPorts:
    """Port speeds a target offers per placed server; ``elsewhere``: servers with no machine."""

    title: str
    speeds: Mapping[str, Sequence[float]]
    elsewhere: frozenset[str] = field(default_factory=frozenset)
    upgrade_note: str | None = None


def _constraints(item: Item, ev: Evaluation, override: HostOverride) -> dict[str, float]:
    if isinstance(item.source, Server):
        return server_constraints(item.source, ev.ctx, override)
    return store_constraints(item.source, ev.ctx, override)


def _next_fix(
    item: Item, ev: Evaluation, override: HostOverride, limit: str, ports: TargetPorts | None
) -> tuple[str, HostOverride] | None:
    """The smallest one-step change that lifts ``limit`` for this host, or None."""
    seeds = ev.ctx.seeds
    if limit == "target-port":
        port = override.target_port_bits_per_second or ev.ctx.target_port_bits_per_second
        offered: Sequence[float] = seeds.network.target_port.options
        if ports is not None and item.id in ports.speeds:
            offered = ports.speeds[item.id]
        elif ports is not None and item.id not in ports.elsewhere:
            offered = ()  # a data store: the target sizes no machine (no port) for it
        faster = [p for p in offered if p > port]
        if faster:
            return "target-port", override.model_copy(
                update={"target_port_bits_per_second": min(faster)}
            )
    elif limit in STREAM_LIMITS and item.kind in {"server", "file-system", "other", "cache"}:
        streams = override.streams or ev.ctx.streams
        vcpus = getattr(item.source, "vcpus", None)
        more = [s for s in seeds.tools.streams.ladder if s > streams]
        if limit == "cipher" and vcpus is not None:
            more = [s for s in more if s <= vcpus] if streams < vcpus else []
        if more:
            return "streams", override.model_copy(update={"streams": min(more)})
    elif limit == "source-disk" and item.kind == "server":
        gp3 = seeds.ebs.volume_types.get("gp3")
        if gp3 is not None and gp3.default_throughput and gp3.max_throughput:
            current = override.volume_throughput_bytes_per_second or gp3.default_throughput
            target = min(gp3.max_throughput, current * 2)
            if target > current or override.volume_throughput_bytes_per_second is None:
                return "disk", override.model_copy(
                    update={"volume_throughput_bytes_per_second": target}
                )
    return None


def _fix_host(
    item: Item, ev: Evaluation, budget_seconds: float, ports: TargetPorts | None
) -> dict[str, HostOverride]:
    """Per-action overrides (cumulative) that bring the host's own time under the budget."""
    override = ev.options.host_overrides.get(item.id, HostOverride())
    steps: dict[str, HostOverride] = {}
    for _ in range(16):
        constraints = _constraints(item, ev, override)
        limit, cap = binding(constraints)
        if item.setup_seconds + item.size_bytes * 8 / cap <= budget_seconds:
            break
        fix = _next_fix(item, ev, override, limit, ports)
        if fix is None:
            break
        action, override = fix
        steps[action] = override
    return steps


def _with_hosts(options: PlanOptions, overrides: dict[str, HostOverride]) -> PlanOptions:
    merged = dict(options.host_overrides)
    merged.update(overrides)
    return options.model_copy(update={"host_overrides": merged})


def _hosts(ids: list[str]) -> str:
    if len(ids) == 1:
        return ids[0]
    hosts = f"the {len(ids)} late hosts ({', '.join(ids[:5])}"
    return hosts + (", ...)" if len(ids) > 5 else ")")


def _describe(
    action: str, ids: list[str], overrides: dict[str, HostOverride], ports: TargetPorts | None
) -> str:
    hosts = _hosts(ids)
    if action == "target-port":
        speeds = sorted({overrides[i].target_port_bits_per_second or 0 for i in ids})
        text = f"give {hosts} {'/'.join(format_rate(v) for v in speeds)} target ports"
        if ports is None:
            return text
        outside = [i for i in ids if i in ports.elsewhere]
        if outside:
            text += (
                f" ({', '.join(outside[:5])}{', ...' if len(outside) > 5 else ''}: at the "
                f"machines found for {'it' if len(outside) == 1 else 'them'} outside "
                f"{ports.title}, a seeded port speed)"
            )
        if len(outside) < len(ids) and ports.upgrade_note:
            text += f" ({ports.upgrade_note})"
        return text
    if action == "streams":
        streams = sorted({overrides[i].streams or 0 for i in ids})
        return f"copy {hosts} with {'/'.join(map(str, streams))} parallel streams"
    mib = sorted({(overrides[i].volume_throughput_bytes_per_second or 0) / 2**20 for i in ids})
    rates = "/".join(f"{c:g}" for c in mib)
    return f"re-provision the data volumes of {hosts} as gp3 at {rates} MiB/s"


def _entry(action: str, summary: str, targets: list[str], ev: Evaluation) -> Suggestion:
    deadline = ev.options.deadline_seconds or math.inf
    return Suggestion(
        action=action,
        summary=summary,
        targets=targets,
        resulting_bulk_seconds=ev.bulk_seconds,
        resulting_completion_seconds=ev.completion_seconds,
        meets=None
        if ev.completion_seconds <= deadline and ev.unknown_size
        else (ev.completion_seconds <= deadline),
        cumulative=True,
        options=ev.options,
    )


def suggest(base: Evaluation, replan: Replan, ports: TargetPorts | None = None) -> list[Suggestion]:
    """Changes that meet ``base.options.deadline_seconds``; empty if it is met already."""
    deadline = base.options.deadline_seconds
    if deadline is None or base.completion_seconds <= deadline:
        return []
    out: list[Suggestion] = []
    ev = base
    per_action: dict[str, dict[str, HostOverride]] = {}
    for i, item in enumerate(ev.items):
        cut = ev.cutovers[i]
        if cut.completion_seconds <= deadline or item.size_bytes <= 0:
            continue
        slot = ev.slots[i]
        tail = cut.completion_seconds - slot.end_seconds
        budget = deadline - tail - slot.start_seconds
        for action, override in _fix_host(item, ev, budget, ports).items():
            per_action.setdefault(action, {})[item.id] = override
    applied: dict[str, HostOverride] = {}
    for action in ("target-port", "streams", "disk"):
        overrides = per_action.get(action)
        if not overrides:
            continue
        for host_id, override in overrides.items():
            previous = applied.get(host_id, HostOverride())
            applied[host_id] = previous.model_copy(update=override.model_dump(exclude_none=True))
        ids = sorted(overrides, key=lambda h: -ev.items[ev.index(h)].size_bytes)
        ev = replan(_with_hosts(base.options, applied))
        out.append(_entry(action, _describe(action, ids, applied, ports), ids, ev))
        if ev.completion_seconds <= deadline:
            return out
    ev = _grow_links(ev, replan, deadline, out)
    if ev.completion_seconds > deadline and ev.options.concurrency is not None:
        ev = _grow_concurrency(ev, replan, deadline, out)
    if ev.completion_seconds > deadline:
        late = [
            ev.items[i].id for i, c in enumerate(ev.cutovers) if c.completion_seconds > deadline
        ]
        limits = sorted({ev.limited_by(ev.index(h)) for h in late})
        port_note = ""
        if ports is not None and "target-port" in limits:
            port_note = _port_note(ev, late, ports)
        remedy = remedies(limits, ports)
        out.append(
            Suggestion(
                action="none",
                summary=(
                    f"no computed change meets the deadline: {len(late)} host(s) still late "
                    f"({', '.join(late[:5])}), limited by {', '.join(limits)}{port_note}; these "
                    f"need {remedy}"
                ),
                targets=late,
                resulting_bulk_seconds=ev.bulk_seconds,
                resulting_completion_seconds=ev.completion_seconds,
                meets=False,
                cumulative=True,
                options=ev.options,
            )
        )
    return out


def _port_note(ev: Evaluation, late: list[str], ports: TargetPorts) -> str:
    """Why a faster target port is not offered to the late hosts limited by it."""
    stuck = [h for h in late if ev.limited_by(ev.index(h)) == "target-port"]
    stores = [h for h in stuck if h not in ports.speeds and h not in ports.elsewhere]
    notes = []
    if len(stores) < len(stuck):
        notes.append(f"{ports.title} offers no faster port for the servers")
    if stores:
        notes.append(
            f"{', '.join(stores[:5])}{', ...' if len(stores) > 5 else ''}: data "
            f"store{'s' if len(stores) > 1 else ''} planned with the seeded default port; "
            f"where {'they land' if len(stores) > 1 else 'it lands'} at {ports.title} is "
            "not sized"
        )
    return f" ({'; '.join(notes)})"


INSTANCE_LIMITS = {"ebs-instance-limit", "instance-network"}


def remedies(limits: Sequence[str], ports: TargetPorts | None) -> str:
    """What could still help hosts stuck on ``limits`` once the computed changes are used up."""
    out: list[str] = []
    if "target-port" in limits:
        out.append("a target with faster ports" if ports is not None else "faster target ports")
    if INSTANCE_LIMITS & set(limits):
        out.append("a larger source instance")
    if {"source-disk", "source-throughput"} & set(limits):
        out.append("faster source storage")
    out += ["a different copy method", "more time"]
    return ", ".join(out[:-1]) + " or " + out[-1]


def _grow_links(
    ev: Evaluation, replan: Replan, deadline: float, out: list[Suggestion]
) -> Evaluation:
    """Multiply full links' capacity (whole extra links of the same size) until it fits."""
    for _ in range(len(ev.links)):
        late = {
            ev.limited_by(i) for i, c in enumerate(ev.cutovers) if c.completion_seconds > deadline
        }
        names = [n.removeprefix("link:") for n in late if n.startswith("link:")]
        if not names:
            return ev
        name = sorted(names)[0]
        link = ev.nominal_links[name]
        best: Evaluation | None = None
        for factor in range(2, MAX_LINK_FACTOR + 1):
            bigger = link.model_copy(
                update={"capacity_bits_per_second": link.capacity_bits_per_second * factor}
            )
            options = ev.options.model_copy(
                update={"links": [*(x for x in ev.options.links if x.name != name), bigger]}
            )
            best = replan(options)
            still = any(
                best.limited_by(i) == f"link:{name}" and c.completion_seconds > deadline
                for i, c in enumerate(best.cutovers)
            )
            if not still:
                break
        assert best is not None
        extra = factor - 1
        out.append(
            _entry(
                "link",
                f"add {extra} more {format_rate(link.capacity_bits_per_second)} link"
                f"{'s' if extra != 1 else ''} alongside {name!r}",
                [name],
                best,
            )
        )
        ev = best
    return ev


def _grow_concurrency(
    ev: Evaluation, replan: Replan, deadline: float, out: list[Suggestion]
) -> Evaluation:
    concurrency = ev.options.concurrency or 1
    best = ev
    while best.completion_seconds > deadline and concurrency < len(ev.items):
        concurrency *= 2
        best = replan(ev.options.model_copy(update={"concurrency": concurrency}))
    if best is not ev:
        out.append(_entry("concurrency", f"copy {concurrency} hosts at once", [], best))
    return best
