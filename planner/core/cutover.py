"""Cutover: iterative pre-copy for servers and files, replication for databases.

Pre-copy (Clark et al. 2005): the bulk copy is round 0; round i moves what changed during round
i-1 (``V_i = D * T_{i-1}``), which shrinks only if the change rate ``D`` is below the rate ``R``.
Each file-level round also re-scans every file, so a round never takes less than the scan. Rounds
stop when one is short enough, stops shrinking, or the round limit is hit; the last one runs with
services stopped: downtime = last round + switch-over. A host that never converges is copied
offline (downtime = its whole copy). Databases replicate: after the initial sync the backlog drains
at ``R - D``, then a cutover of seconds, independent of size.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.models.transfer_seeds import CutoverSeeds, DatabaseSeeds
from planner.units import format_rate


@dataclass(frozen=True, slots=True)
class CutoverResult:
    method: str
    rounds: int
    converges: bool
    downtime_seconds: float
    completion_seconds: float
    reason: str | None = None


def pre_copy(
    *,
    end_seconds: float,
    bulk_seconds: float,
    rate_bytes_per_second: float,
    change_bytes_per_second: float,
    scan_seconds: float,
    seeds: CutoverSeeds,
) -> CutoverResult:
    """Delta rounds after a bulk copy that took ``bulk_seconds`` and ended at ``end_seconds``.

    ``rounds`` counts the delta passes after the bulk copy, the last one with services stopped.
    """
    rules = seeds.pre_copy
    rate = rate_bytes_per_second
    change = change_bytes_per_second
    if bulk_seconds <= 0 or rate <= 0:
        return CutoverResult(
            "pre-copy", 0, True, rules.switch_over, end_seconds + rules.switch_over
        )
    if change >= rate:
        downtime = bulk_seconds + rules.switch_over
        why = (
            f"changes at {format_rate(change * 8)} but copies at {format_rate(rate * 8)}: "
            "copy it with services stopped"
        )
        return CutoverResult("offline", 0, False, downtime, end_seconds + rules.switch_over, why)
    now = end_seconds
    previous = bulk_seconds
    rounds = 0
    while True:
        round_seconds = max(change * previous / rate, scan_seconds)
        rounds += 1
        shrinking = round_seconds <= previous * (1 - rules.min_shrink)
        if round_seconds <= rules.final_round or rounds >= rules.max_rounds or not shrinking:
            downtime = round_seconds + rules.switch_over
            reason: str | None = None
            if round_seconds > rules.final_round:
                reason = (
                    "rounds stop shrinking (file scan or change rate)"
                    if not shrinking
                    else f"round limit ({rules.max_rounds}) reached"
                )
            return CutoverResult("pre-copy", rounds, True, downtime, now + downtime, reason)
        now += round_seconds
        previous = round_seconds


def replication(
    *,
    end_seconds: float,
    bulk_seconds: float,
    rate_bytes_per_second: float,
    change_bytes_per_second: float,
    seeds: DatabaseSeeds,
) -> CutoverResult:
    """Initial sync then streaming: catch up the backlog at ``R - D``, then a short cutover."""
    switch = seeds.replication.cutover
    rate = rate_bytes_per_second
    change = change_bytes_per_second
    if rate > 0 and change >= rate:
        reason = (
            f"writes at {format_rate(change * 8)} outpace replication at "
            f"{format_rate(rate * 8)}: dump and restore with writes stopped"
        )
        return CutoverResult(
            "offline", 0, False, bulk_seconds + switch, end_seconds + switch, reason
        )
    catch_up = change * bulk_seconds / (rate - change) if rate > 0 else 0.0
    return CutoverResult("replication", 1, True, switch, end_seconds + catch_up + switch)
