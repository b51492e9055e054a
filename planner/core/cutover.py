"""Cutover: iterative pre-copy for servers and files, replication for databases.

Pre-copy (Clark et al. 2005): the bulk copy is round 0; round i moves what changed during round
i-1 (``V_i = min(D * T_{i-1}, M)``: a round cannot change more than all ``M`` bytes, Clark's
writable working set at its largest), which shrinks only if the change rate ``D`` is below the
rate ``R``. Each file-level round also re-scans every file, so a round never takes less than the
scan. Rounds stop when one is short enough (``converges``), stop shrinking, or the round limit is
hit; the last one runs with services stopped: downtime = last round + switch-over. ``converges``
means exactly "the last round got down to the seeded final-round length"; a host stopped by the
round limit or by rounds that no longer shrink did not converge, and its (longer) last round is
its downtime. A host that changes data at least as fast as it copies cannot pre-copy at all
(``offline``): after its live bulk copy one pass with services stopped copies what changed (at
most all of it). Databases replicate: after the initial sync the backlog drains at ``R - D``,
then a cutover of seconds, independent of size; writes faster than ``R`` mean dump and restore
with writes stopped.

The rate ``R`` of delta rounds and of replication is not the bulk slot's average rate: the bulk
schedule may slow a small host so that every host on a full link ends together, and after that
the link is free again. :func:`delta_rates` gives each host its own limit, capped on each shared
link by the larger of its fair share with every member copying at once and what is left once the
others are done (bulk copies still running and the others' change rates taken out).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

from planner.core.schedule import SharedLink
from planner.models.plan import PlanAssumption
from planner.models.transfer_seeds import CutoverSeeds, DatabaseSeeds
from planner.units import format_duration, format_rate, format_size


@dataclass(frozen=True, slots=True)
class CutoverResult:
    method: str
    rounds: int
    converges: bool
    downtime_seconds: float
    completion_seconds: float
    reason: str | None = None


DELTA_RATE = PlanAssumption(
    name="delta-round rate",
    value=(
        "after its bulk copy a host copies deltas (and replicates) at its own limit; on a shared "
        "link at most the larger of its fair share and what is left after bulk copies still "
        "running and the other members' change rates; a round moves at most all of its data"
    ),
    source=(
        "exitplan modelling choice (planner/core/cutover.py); pre-copy and writable working set: "
        "Clark et al., NSDI 2005 (via research/transfer_facts.md §7.1)"
    ),
)


class Busy(NamedTuple):
    """One host as the delta-rate estimate sees it: its limit, its bulk copy, its change rate."""

    cap_bits_per_second: float
    size_bytes: int
    bytes_from_seconds: float  # when its bulk bytes start to flow (after set-up)
    end_seconds: float
    change_bits_per_second: float


class _LinkLoad:
    """Bulk bits/s a link carries at a given time, from its members' bulk copies."""

    def __init__(self, hosts: Sequence[Busy], members: Sequence[int]) -> None:
        flows = [
            (
                h.bytes_from_seconds,
                h.end_seconds,
                h.size_bytes * 8 / (h.end_seconds - h.bytes_from_seconds),
            )
            for h in (hosts[i] for i in members)
            if h.size_bytes > 0 and h.end_seconds > h.bytes_from_seconds
        ]
        self.starts = sorted(f[0] for f in flows)
        self.ends = sorted(f[1] for f in flows)
        by_start = sorted(flows, key=lambda f: f[0])
        by_end = sorted(flows, key=lambda f: f[1])
        self.started = list(accumulate((f[2] for f in by_start), initial=0.0))
        self.ended = list(accumulate((f[2] for f in by_end), initial=0.0))

    def at(self, seconds: float) -> float:
        """Bits/s of bulk copies running just after ``seconds`` (``start <= t < end``)."""
        started = self.started[bisect_right(self.starts, seconds)]
        ended = self.ended[bisect_right(self.ends, seconds)]
        return max(0.0, started - ended)


def delta_rates(
    hosts: Sequence[Busy], links: Sequence[SharedLink], concurrency: int | None = None
) -> list[float]:
    """Bits/s each host gets for its delta rounds (or replication) once its bulk copy is over.

    On each of its links the host gets the larger of two figures: its fair share with every
    member copying at once (capacity / members, at most ``concurrency`` of them), which parallel
    TCP sessions guarantee; and what is left once the others are done: the capacity minus the
    bulk copies still running when its own ends and minus the other members' change rates
    (their delta rounds or replication must keep up with at least that). The rate is the
    smallest over its links and its own limit. Hosts with nothing to copy get 0.
    """
    rates = [h.cap_bits_per_second if h.size_bytes > 0 else 0.0 for h in hosts]
    for link in links:
        members = [i for i in link.members if hosts[i].size_bytes > 0]
        if not members:
            continue
        competing = len(members) if concurrency is None else min(len(members), concurrency)
        fair = link.capacity_bits_per_second / competing
        changes = sum(hosts[i].change_bits_per_second for i in members)
        load = _LinkLoad(hosts, members)
        running: dict[float, float] = {}  # hosts often end together: one look-up per end time
        for i in members:
            host = hosts[i]
            end = host.end_seconds
            if end not in running:
                running[end] = load.at(end * (1 + 1e-9) + 1e-9)  # those ending with it are done
            others = changes - host.change_bits_per_second
            left = link.capacity_bits_per_second - running[end] - others
            rates[i] = min(rates[i], max(fair, left))
    return rates


def pre_copy(
    *,
    end_seconds: float,
    bulk_seconds: float,
    size_bytes: float,
    rate_bytes_per_second: float,
    change_bytes_per_second: float,
    scan_seconds: float,
    seeds: CutoverSeeds,
) -> CutoverResult:
    """Delta rounds at ``rate_bytes_per_second`` after a bulk copy of ``size_bytes`` that took
    ``bulk_seconds`` and ended at ``end_seconds``.

    ``rounds`` counts the delta passes after the bulk copy, the last one with services stopped.
    """
    rules = seeds.pre_copy
    rate = rate_bytes_per_second
    change = change_bytes_per_second
    switch = rules.switch_over
    if bulk_seconds <= 0 or size_bytes <= 0 or rate <= 0:
        return CutoverResult("pre-copy", 0, True, switch, end_seconds + switch)
    if change >= rate:
        changed = min(change * bulk_seconds, size_bytes)
        final = max(changed / rate, scan_seconds)
        why = (
            f"changes at {format_rate(change * 8)} but copies at {format_rate(rate * 8)}: "
            f"pre-copy cannot converge; with services stopped one pass copies the "
            f"{format_size(changed)} changed during the bulk copy ({format_duration(final)})"
        )
        downtime = final + switch
        return CutoverResult("offline", 1, False, downtime, end_seconds + downtime, why)
    now = end_seconds
    previous = bulk_seconds
    rounds = 0
    while True:
        round_seconds = max(min(change * previous, size_bytes) / rate, scan_seconds)
        rounds += 1
        shrinking = round_seconds <= previous * (1 - rules.min_shrink)
        converged = round_seconds <= rules.final_round
        if converged or rounds >= rules.max_rounds or not shrinking:
            downtime = round_seconds + switch
            reason: str | None = None
            if not converged:
                reason = _why_stopped(round_seconds, scan_seconds, shrinking, rules.max_rounds)
            return CutoverResult("pre-copy", rounds, converged, downtime, now + downtime, reason)
        now += round_seconds
        previous = round_seconds


def _why_stopped(round_seconds: float, scan: float, shrinking: bool, max_rounds: int) -> str:
    if shrinking:
        why = f"round limit ({max_rounds}) reached"
    else:
        why = f"rounds stop shrinking ({'file scan' if round_seconds <= scan else 'change rate'})"
    return f"{why}: the last round, {format_duration(round_seconds)}, runs with services stopped"


def replication(
    *,
    end_seconds: float,
    bulk_seconds: float,
    rate_bytes_per_second: float,
    change_bytes_per_second: float,
    seeds: DatabaseSeeds,
) -> CutoverResult:
    """Initial sync then streaming at ``rate_bytes_per_second``: catch up the backlog at
    ``R - D``, then a short cutover."""
    switch = seeds.replication.cutover
    rate = rate_bytes_per_second
    change = change_bytes_per_second
    if bulk_seconds <= 0 or rate <= 0:
        return CutoverResult("replication", 0, True, switch, end_seconds + switch)
    if change >= rate:
        reason = (
            f"writes at {format_rate(change * 8)} outpace replication at "
            f"{format_rate(rate * 8)}: dump and restore with writes stopped"
        )
        return CutoverResult(
            "offline", 0, False, bulk_seconds + switch, end_seconds + switch, reason
        )
    catch_up = change * bulk_seconds / (rate - change)
    return CutoverResult("replication", 1, True, switch, end_seconds + catch_up + switch)
