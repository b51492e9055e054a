"""Schedule bulk copies under per-host caps, shared links and a maximum concurrency.

Rates come from weighted progressive filling (water-filling): every active host runs at
``min(cap_i, w_i * level)`` and the level rises until a shared link is full; that link's hosts are
frozen, and filling goes on for the rest. With weights equal to the bytes still to copy, hosts that
share a full link finish together, so the link stays busy to the end and, without a concurrency
limit, the plan meets the lower bound exactly (``bounds.py``) in one static step. With a
concurrency limit the same allocation is re-run at every start and finish (an event simulation,
hosts admitted longest-first). Every job first spends its ``setup_seconds`` (ssh handshake, TCP
slow start) holding a slot but no bandwidth; without a concurrency limit the static allocation
simply starts each job's bytes after its set-up. Pure; ``O(L^2 n log n)`` without concurrency
(L = links).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

OWN = -1  # limiter index meaning "the host's own cap"


@dataclass(frozen=True, slots=True)
class SharedLink:
    name: str
    capacity_bits_per_second: float
    members: tuple[int, ...]  # indices into the job list


@dataclass(slots=True)
class Job:
    id: str
    size_bytes: int
    cap_bits_per_second: float
    setup_seconds: float = 0.0


@dataclass(slots=True)
class Slot:
    """The schedule of one job; ``limiter_bytes`` says who held it back, byte by byte."""

    start_seconds: float = 0.0
    end_seconds: float = 0.0
    limiter_bytes: dict[int, float] = field(default_factory=dict)

    def limited_by(self) -> int:
        if len(self.limiter_bytes) < 2:
            return next(iter(self.limiter_bytes), OWN)
        return max(self.limiter_bytes, key=lambda k: (self.limiter_bytes[k], k == OWN))


def _level(residual: float, pairs: list[tuple[float, float]]) -> float | None:
    """Smallest level with ``sum(min(cap, w * level)) == residual``; None if never reached."""
    if sum(cap for cap, _ in pairs) <= residual * (1 + 1e-12):
        return None
    if residual <= 0:
        return 0.0
    pairs.sort(key=lambda p: p[0] / p[1])
    capped = 0.0
    weight = sum(w for _, w in pairs)
    for cap, w in pairs:
        threshold = cap / w
        if capped + weight * threshold >= residual:
            return (residual - capped) / weight
        capped += cap
        weight -= w
    return None  # pragma: no cover - excluded by the sum check above


def water_fill(
    active: Sequence[int],
    caps: Sequence[float],
    weights: Sequence[float],
    links: Sequence[SharedLink],
    item_links: Sequence[tuple[int, ...]],
) -> dict[int, tuple[float, int]]:
    """Rates for ``active`` jobs: ``{job: (bits/s, limiter)}``, limiter = link index or OWN."""
    active_set = set(active)
    result: dict[int, tuple[float, int]] = {}
    load = [0.0] * len(links)
    members = {k: [i for i in link.members if i in active_set] for k, link in enumerate(links)}
    open_links = [k for k in members if members[k]]
    while open_links:
        best: tuple[float, int] | None = None
        for k in open_links:
            pairs = [(caps[i], weights[i]) for i in members[k] if i not in result]
            if not pairs:
                continue
            level = _level(links[k].capacity_bits_per_second - load[k], pairs)
            if level is not None and (best is None or level < best[0]):
                best = (level, k)
        if best is None:
            break
        level, k = best
        for i in members[k]:
            if i in result:
                continue
            share = weights[i] * level
            rate, limiter = (share, k) if share < caps[i] else (caps[i], OWN)
            result[i] = (rate, limiter)
            for other in item_links[i]:
                load[other] += rate
        open_links.remove(k)
    for i in active:
        if i not in result:
            result[i] = (caps[i], OWN)
    return result


def schedule(
    jobs: Sequence[Job], links: Sequence[SharedLink], concurrency: int | None = None
) -> list[Slot]:
    """Start/end and limiter of every job; jobs with zero bytes take no time."""
    n = len(jobs)
    item_links: list[list[int]] = [[] for _ in range(n)]
    for k, link in enumerate(links):
        for i in link.members:
            item_links[i].append(k)
    frozen_links = [tuple(x) for x in item_links]
    caps = [j.cap_bits_per_second for j in jobs]
    slots = [Slot() for _ in range(n)]
    work = [i for i in range(n) if jobs[i].size_bytes > 0]
    if concurrency is None or concurrency >= len(work):
        weights = [float(j.size_bytes) for j in jobs]
        rates = water_fill(work, caps, weights, links, frozen_links)
        for i, (rate, limiter) in rates.items():
            slots[i].end_seconds = jobs[i].setup_seconds + jobs[i].size_bytes * 8 / rate
            slots[i].limiter_bytes[limiter] = float(jobs[i].size_bytes)
        return slots
    return _simulate(jobs, links, frozen_links, caps, work, concurrency, slots)


def _simulate(
    jobs: Sequence[Job],
    links: Sequence[SharedLink],
    item_links: Sequence[tuple[int, ...]],
    caps: Sequence[float],
    work: list[int],
    concurrency: int,
    slots: list[Slot],
) -> list[Slot]:
    """Event simulation: at most ``concurrency`` jobs at once, longest own time first."""
    order = sorted(
        work,
        key=lambda i: (
            -(jobs[i].setup_seconds + jobs[i].size_bytes * 8 / caps[i]),
            -jobs[i].size_bytes,
            i,
        ),
    )
    queue = list(reversed(order))
    remaining = [float(j.size_bytes) * 8 for j in jobs]  # bits
    ready = [0.0] * len(jobs)  # when each job's set-up is over
    active: list[int] = []
    now = 0.0
    while queue or active:
        while queue and len(active) < concurrency:
            i = queue.pop()
            slots[i].start_seconds = now
            ready[i] = now + jobs[i].setup_seconds
            active.append(i)
        moving = [i for i in active if ready[i] <= now]
        rates = water_fill(moving, caps, remaining, links, item_links)
        step = min((remaining[i] / rates[i][0] for i in moving if rates[i][0] > 0), default=0.0)
        waiting = [ready[i] - now for i in active if ready[i] > now]
        if waiting:
            step = min(waiting) if step <= 0 else min(step, *waiting)
        if step <= 0:
            raise ValueError("schedule stalled: a shared link has no capacity left")
        finished: list[int] = []
        for i in moving:
            rate, limiter = rates[i]
            moved = min(remaining[i], rate * step)
            remaining[i] -= moved
            slots[i].limiter_bytes[limiter] = slots[i].limiter_bytes.get(limiter, 0.0) + moved / 8
            if remaining[i] <= 1e-9 * jobs[i].size_bytes * 8 + 1e-6:
                remaining[i] = 0.0
                finished.append(i)
        now += step
        for i in finished:
            slots[i].end_seconds = now
        done = set(finished)
        active = [i for i in active if i not in done]
    return slots


def makespan(slots: Sequence[Slot]) -> float:
    return max((s.end_seconds for s in slots), default=0.0)
