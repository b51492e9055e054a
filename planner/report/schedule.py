"""The transfer schedule (Gantt bars, waves, full table) and where the time goes. Pure.

Large fleets are summarised: the Gantt chart shows the hosts that finish last (they set the
total time) and the longest copies; every host is in the full schedule table.
"""

from __future__ import annotations

from collections import defaultdict

from planner.report.model import Bar, Breakdown, Schedule, Share, Span, Table, duration, percent
from planner.report.views import HostView, PlanView
from planner.units import format_rate, format_size

GANTT_HOSTS = 40
FULL_TABLE_HOSTS = 5000
UNKNOWN = "unknown"


def limited(host: HostView) -> str:
    return host.limited_by or UNKNOWN


def _host_row(host: HostView) -> tuple[str, ...]:
    return (
        host.id,
        host.role or "",
        host.wave or "",
        format_size(host.bytes),
        duration(host.start_seconds),
        duration(host.end_seconds),
        duration(host.end_seconds - host.start_seconds),
        format_rate(host.rate_bits_per_second) if host.rate_bits_per_second is not None else "",
        limited(host),
    )


HOST_COLUMNS = ("host", "role", "wave", "data", "start", "end", "duration", "rate", "limited by")
HOST_NUMERIC = (False, False, False, True, True, True, True, True, False)


def gantt_hosts(hosts: list[HostView], count: int = GANTT_HOSTS) -> list[HostView]:
    """The hosts worth a bar: the last to finish (they set the total time) and the longest."""
    last = sorted(hosts, key=lambda h: (-h.end_seconds, h.id))[: max(1, count // 8)]
    longest = sorted(hosts, key=lambda h: (h.start_seconds - h.end_seconds, h.id))
    chosen = {h.id: h for h in last}
    for host in longest:
        if len(chosen) >= count:
            break
        chosen.setdefault(host.id, host)
    return sorted(chosen.values(), key=lambda h: (h.start_seconds, h.end_seconds, h.id))


def schedule(plan: PlanView, count: int = GANTT_HOSTS) -> Schedule:
    """Gantt bars for the critical hosts, waves, and the full schedule table."""
    hosts = plan.transfer.hosts
    shown = gantt_hosts(hosts, count)
    bars = [
        Bar(
            f"{h.id} ({h.role})" if h.role else h.id,
            h.start_seconds,
            h.end_seconds,
            limited(h),
            h.bytes,
        )
        for h in shown
    ]
    hidden = len(hosts) - len(shown)
    lines = []
    if hidden > 0:
        ids = {h.id for h in shown}
        rest = [h for h in hosts if h.id not in ids]
        lines.append(
            f"The chart shows {len(shown)} of {len(hosts)} hosts: those that finish last (they "
            "set the total time) and the longest copies. The other "
            f"{hidden} hosts copy {format_size(sum(h.bytes for h in rest))} in at most "
            f"{duration(max(h.end_seconds - h.start_seconds for h in rest))} each and all finish "
            f"by {duration(max(h.end_seconds for h in rest))}. Every host is in the full "
            "schedule below."
        )
    waves, waves_table = _waves(plan)
    if not waves:
        lines.append("The plan groups no hosts into waves: each host starts when capacity frees.")
    ordered = sorted(hosts, key=lambda h: (h.start_seconds, h.end_seconds, h.id))
    caption = ""
    if len(ordered) > FULL_TABLE_HOSTS:  # keeps the page small for very large fleets
        caption = (
            f"The first {FULL_TABLE_HOSTS:,} of {len(ordered):,} hosts by start time; "
            "the plan JSON has all."
        )
    # role and wave columns only when the plan fills them (no empty columns)
    keep = [
        i
        for i, column in enumerate(HOST_COLUMNS)
        if (column != "role" or any(h.role for h in hosts))
        and (column != "wave" or any(h.wave for h in hosts))
    ]
    table = Table(
        tuple(HOST_COLUMNS[i] for i in keep),
        [tuple(row[i] for i in keep) for row in map(_host_row, ordered[:FULL_TABLE_HOSTS])],
        tuple(HOST_NUMERIC[i] for i in keep),
        caption,
    )
    return Schedule(
        bars=bars,
        hidden_hosts=hidden,
        deadline_seconds=plan.deadline.seconds if plan.deadline else None,
        bulk_seconds=plan.transfer.bulk_seconds,
        lower_bound_seconds=plan.transfer.lower_bound_seconds,
        spans=[Span(h.start_seconds, h.end_seconds, h.bytes) for h in hosts],
        waves=waves,
        lines=lines,
        full_table=table,
        waves_table=waves_table,
    )


def _waves(plan: PlanView) -> tuple[list[Bar], Table | None]:
    """Waves from per-host ``wave`` keys or from ``transfer.waves[]``, as bars and a table."""
    members: dict[str, list[HostView]] = defaultdict(list)
    by_id = {h.id: h for h in plan.transfer.hosts}
    placed: set[str] = set()
    for wave in plan.transfer.waves:
        members[wave.id].extend(by_id[i] for i in wave.hosts if i in by_id and i not in placed)
        placed.update(wave.hosts)
    for host in plan.transfer.hosts:
        if host.wave is not None and host.id not in placed:
            members[host.wave].append(host)
    declared = {w.id: w for w in plan.transfer.waves}
    bars, rows = [], []
    for name, group in members.items():
        listed = declared.get(name)
        start = min((h.start_seconds for h in group), default=0.0)
        end = max((h.end_seconds for h in group), default=0.0)
        if listed is not None:
            start = listed.start_seconds if listed.start_seconds is not None else start
            end = listed.end_seconds if listed.end_seconds is not None else end
        size = sum(h.bytes for h in group)
        bars.append(Bar(f"{name} ({len(group)} hosts)", start, end, name, size))
        rows.append((name, str(len(group)), format_size(size), duration(start), duration(end)))
    if not bars:
        return [], None
    order = sorted(range(len(bars)), key=lambda i: (bars[i].start_seconds, bars[i].label))
    table = Table(
        ("wave", "hosts", "data", "start", "end"),
        [rows[i] for i in order],
        (False, True, True, True, True),
    )
    return [bars[i] for i in order], table


def breakdown(plan: PlanView) -> Breakdown:
    """Where the time goes: hosts, bytes and copy time by what limits each host."""
    groups: dict[str, list[HostView]] = defaultdict(list)
    for host in plan.transfer.hosts:
        groups[limited(host)].append(host)
    total = sum(h.bytes for h in plan.transfer.hosts)
    shares = sorted(
        (
            Share(
                name,
                sum(h.bytes for h in g),
                len(g),
                sum(h.end_seconds - h.start_seconds for h in g),
            )
            for name, g in groups.items()
        ),
        key=lambda s: (-s.host_seconds, s.name),
    )
    rows = [
        (
            s.name,
            str(s.hosts),
            format_size(s.bytes),
            percent(s.bytes, total),
            f"{s.host_seconds / 3600:,.1f}",
            duration(max(h.end_seconds for h in groups[s.name])),
        )
        for s in shares
    ]
    table = Table(
        ("limited by", "hosts", "data", "share of data", "host-hours copying", "last finish"),
        rows,
        (False, True, True, True, True, True),
    )
    lines = [f"Overall bottleneck named by the plan: {plan.transfer.bottleneck or UNKNOWN}."]
    if plan.transfer.hosts:
        last = max(plan.transfer.hosts, key=lambda h: (h.end_seconds, h.id))
        lines.append(
            f"The last host to finish is {last.id} ({format_size(last.bytes)}, "
            f"{duration(last.end_seconds)}), limited by {limited(last)}."
        )
    return Breakdown(shares, table, lines)
