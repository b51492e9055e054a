"""The true lower bound of the bulk copy: no schedule can finish sooner.

Each term is a relaxation: a host alone at its own cap after its set-up (``host:ID``), a shared
link carrying all its members' bytes at full capacity from the first set-up's end on
(``link:NAME``), and, with a concurrency limit, the total host-time (set-up included) spread
perfectly over the allowed slots (``concurrency``). The bound is the largest term.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.core.schedule import Job, SharedLink


def _own_seconds(job: Job) -> float:
    return job.setup_seconds + job.size_bytes * 8 / job.cap_bits_per_second


def lower_bound_terms(
    jobs: Sequence[Job], links: Sequence[SharedLink], concurrency: int | None = None
) -> list[tuple[str, float]]:
    """``(name, seconds)`` for every relaxation, largest first."""
    terms: list[tuple[str, float]] = []
    work = [j for j in jobs if j.size_bytes > 0]
    if work:
        slowest = max(work, key=lambda j: (_own_seconds(j), j.id))
        terms.append((f"host:{slowest.id}", _own_seconds(slowest)))
    for link in links:
        members = [jobs[i] for i in link.members if jobs[i].size_bytes > 0]
        bits = sum(j.size_bytes for j in members) * 8
        if bits > 0:
            first = min(j.setup_seconds for j in members)
            terms.append((f"link:{link.name}", first + bits / link.capacity_bits_per_second))
    if concurrency is not None and concurrency < len(work):
        host_seconds = sum(_own_seconds(j) for j in work)
        terms.append(("concurrency", host_seconds / concurrency))
    terms.sort(key=lambda t: -t[1])
    return terms


def lower_bound(
    jobs: Sequence[Job], links: Sequence[SharedLink], concurrency: int | None = None
) -> float:
    terms = lower_bound_terms(jobs, links, concurrency)
    return terms[0][1] if terms else 0.0
