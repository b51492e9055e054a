"""Turn a plan view into the report's sections: verdict, schedule, bottlenecks, data, cutover.

Pure: views in, :mod:`planner.report.model` dataclasses out. Large fleets are summarised: the
Gantt chart shows the hosts that finish last (they set the total time), the full schedule goes
into a table.
"""

from __future__ import annotations

from collections import defaultdict

from planner.report.model import (
    Bar,
    Breakdown,
    Capacity,
    Cutover,
    DataByRole,
    KeyFigure,
    Schedule,
    Share,
    Span,
    Table,
    Tone,
    Verdict,
    duration,
    money,
    percent,
)
from planner.report.views import AuditView, HostView, PlanView, RoundView
from planner.units import format_rate, format_size

GANTT_HOSTS = 40
LARGEST_HOSTS = 15
UNKNOWN = "unknown"


def _limited(host: HostView) -> str:
    return host.limited_by or UNKNOWN


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
        _limited(host),
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
            _limited(h),
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
    table = Table(
        HOST_COLUMNS,
        [_host_row(h) for h in sorted(hosts, key=lambda h: (h.start_seconds, h.end_seconds, h.id))],
        HOST_NUMERIC,
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
        groups[_limited(host)].append(host)
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
            f"{duration(last.end_seconds)}), limited by {_limited(last)}."
        )
    return Breakdown(shares, table, lines)


def data_by_role(plan: PlanView, largest: int = LARGEST_HOSTS) -> DataByRole:
    """Bytes by role (when the plan carries a role per host) and the largest hosts."""
    hosts = plan.transfer.hosts
    total = sum(h.bytes for h in hosts)
    top = sorted(hosts, key=lambda h: (-h.bytes, h.id))[:largest]
    largest_table = Table(
        ("host", "role", "data", "share", "duration", "rate", "limited by"),
        [
            (
                h.id,
                h.role or "",
                format_size(h.bytes),
                percent(h.bytes, total),
                duration(h.end_seconds - h.start_seconds),
                format_rate(h.rate_bits_per_second) if h.rate_bits_per_second is not None else "",
                _limited(h),
            )
            for h in top
        ],
        (False, False, True, True, True, True, False),
    )
    top_share = percent(sum(h.bytes for h in top), total)
    lines = [f"The {len(top)} largest hosts hold {top_share} of the data."]
    if not any(h.role for h in hosts):
        lines.append("The plan gives no role per host, so data is shown by host only.")
        return DataByRole(None, None, largest_table, lines)
    groups: dict[str, list[HostView]] = defaultdict(list)
    for host in hosts:
        groups[host.role or UNKNOWN].append(host)
    roles = sorted(
        (Share(r, sum(h.bytes for h in g), len(g)) for r, g in groups.items()),
        key=lambda s: (-s.bytes, s.name),
    )
    table = Table(
        ("role", "hosts", "data", "share", "largest host"),
        [
            (
                s.name,
                str(s.hosts),
                format_size(s.bytes),
                percent(s.bytes, total),
                max(groups[s.name], key=lambda h: (h.bytes, h.id)).id,
            )
            for s in roles
        ],
        (False, True, True, True, False),
    )
    return DataByRole(roles, table, largest_table, lines)


def cutover(plan: PlanView) -> Cutover:
    cut = plan.cutover
    lines = [
        f"Downtime at cutover: {duration(cut.downtime_seconds)}; "
        + (
            "the pre-copy converges."
            if cut.converges
            else "the pre-copy does NOT converge."
            if cut.converges is False
            else "convergence unknown."
        ),
        "Pre-copy: the sources stay live while each round copies what changed during the "
        "previous one; the service stops only for the last round and the switch-over.",
    ]
    rounds: list[tuple[str, float, float | None]] = []
    table = None
    if isinstance(cut.rounds, list):
        for index, r in enumerate(cut.rounds, start=1):
            rounds.append(
                (str(r.round if r.round is not None else index), r.seconds or 0.0, r.bytes)
            )
        table = Table(
            ("round", "data", "duration"),
            [
                (label, format_size(b) if b is not None else "", duration(s))
                for label, s, b in rounds
            ],
            (True, True, True),
        )
    elif cut.rounds is not None:
        lines.append(f"Pre-copy rounds: {cut.rounds}.")
    stuck = list(cut.not_converging) + [
        h.id for h in plan.transfer.hosts if h.converges is False and h.id not in cut.not_converging
    ]
    not_converging = None
    if stuck:
        lines.append(
            f"{len(stuck)} hosts never converge: they change data faster than they can "
            "copy it, so they need a stop-and-copy window or a faster link."
        )
        not_converging = Table(("host",), [(s,) for s in stuck])
    return Cutover(lines, rounds, table, not_converging)


def capacity(plan: PlanView) -> Capacity | None:
    cap = plan.capacity
    if cap is None:
        return None
    groups: dict[str, list[float | None]] = defaultdict(list)
    for server in cap.servers:
        groups[server.offering or "(no offering fits)"].append(server.monthly_usd)
    rows = []
    for offering, prices in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        known = [p for p in prices if p is not None]
        rows.append((offering, str(len(prices)), money(sum(known)) if known else ""))
    offerings = Table(("offering", "servers", "monthly"), rows, (False, True, True))
    lines = [
        f"Target{' ' + cap.provider if cap.provider else ''}: {len(cap.servers)} servers mapped "
        f"for {plan.inventory.servers} source servers; provisioning takes "
        f"{duration(cap.provisioning_seconds)}."
    ]
    return Capacity(lines, offerings, list(cap.blockers))
