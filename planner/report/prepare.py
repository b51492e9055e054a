"""Data by role and the largest hosts, the cutover and the capacity sections. Pure."""

from __future__ import annotations

from collections import defaultdict

from planner.report.model import (
    Capacity,
    Cutover,
    DataByRole,
    Share,
    Table,
    duration,
    money,
    percent,
)
from planner.report.model import hosts as hosts_text
from planner.report.schedule import limited
from planner.report.story import incomplete, plural, stuck_hosts, unknown_note
from planner.report.story import time_text as story_time
from planner.report.views import HostView, PlanView
from planner.units import format_rate, format_size

LARGEST_HOSTS = 15
UNKNOWN = "unknown"
SEVERITY_ORDER = {"blocker": 0, "warning": 1, "info": 2}


def data_by_role(plan: PlanView, largest: int = LARGEST_HOSTS) -> DataByRole:
    """Bytes by role (when the plan carries a role per host) and the largest hosts."""
    hosts = plan.transfer.hosts
    total = sum(h.bytes for h in hosts)
    top = sorted(hosts, key=lambda h: (-h.bytes, h.id))[:largest]
    has_roles = any(h.role for h in hosts)
    columns = ("host", "role", "data", "share", "duration", "rate", "limited by")
    rows = [
        (
            h.id,
            h.role or "",
            format_size(h.bytes),
            percent(h.bytes, total),
            duration(h.end_seconds - h.start_seconds),
            format_rate(h.rate_bits_per_second) if h.rate_bits_per_second is not None else "",
            limited(h),
        )
        for h in top
    ]
    keep = [i for i in range(len(columns)) if has_roles or columns[i] != "role"]
    largest_table = Table(
        tuple(columns[i] for i in keep),
        [tuple(row[i] for i in keep) for row in rows],
        tuple((False, False, True, True, True, True, False)[i] for i in keep),
    )
    top_share = percent(sum(h.bytes for h in top), total)
    lines = (
        [f"The {len(top)} largest hosts hold {top_share} of the data."]
        if len(top) < len(hosts)
        else [f"All {hosts_text(len(hosts))}, largest first."]
    )
    if incomplete(plan):
        lines.append(f"Not shown: {unknown_note(plan)}.")
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
        f"Downtime at cutover: {story_time(plan, cut.downtime_seconds)}; "
        + (
            "convergence unknown."
            if incomplete(plan)
            else "the pre-copy converges."
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
    stuck = stuck_hosts(plan)
    not_converging = None
    if stuck:
        lines.append(
            f"{hosts_text(len(stuck))} do not converge to a short final round: each one's last "
            "round runs with its services stopped (counted in the downtime above); the table "
            "says why."
        )
        not_converging = Table(
            ("host", "why", "downtime"),
            [
                (
                    h.id,
                    h.reason or "",
                    duration(h.downtime_seconds) if h.downtime_seconds is not None else "",
                )
                for h in stuck
            ],
            (False, False, True),
        )
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
    if cap.unplaced:
        by_reason: dict[str, list[str]] = defaultdict(list)
        for unplaced in cap.unplaced:
            by_reason[unplaced.reason or "no reason given"].append(unplaced.id)
        count = len(cap.unplaced)
        lines.append(
            f"{plural(count, 'server')} {'has' if count == 1 else 'have'} no machine at the "
            "target: "
            + "; ".join(f"{', '.join(ids)}: {reason}" for reason, ids in by_reason.items())
            + "."
        )
    findings = [
        f"{b.severity}: {b.text}" + (f" (what helps: {b.suggestion})" if b.suggestion else "")
        for b in sorted(cap.blockers, key=lambda b: SEVERITY_ORDER.get(b.severity, 9))
    ]
    return Capacity(lines, offerings, findings)
