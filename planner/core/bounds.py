"""The true lower bound of the bulk copy: no schedule can finish sooner.

Each term is a relaxation: a host alone at its own cap (``host:ID``), a shared link carrying all
its members' bytes at full capacity (``link:NAME``), and, with a concurrency limit, the total
host-time spread perfectly over the allowed slots (``concurrency``). The bound is the largest term.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.core.schedule import Job, SharedLink


def lower_bound_terms(
    jobs: Sequence[Job], links: Sequence[SharedLink], concurrency: int | None = None
) -> list[tuple[str, float]]:
    """``(name, seconds)`` for every relaxation, largest first."""
    terms: list[tuple[str, float]] = []
    work = [j for j in jobs if j.size_bytes > 0]
    if work:
        slowest = max(work, key=lambda j: (j.size_bytes / j.cap_bits_per_second, j.id))
        terms.append((f"host:{slowest.id}", slowest.size_bytes * 8 / slowest.cap_bits_per_second))
    for link in links:
        bits = sum(jobs[i].size_bytes for i in link.members) * 8
        if bits > 0:
            terms.append((f"link:{link.name}", bits / link.capacity_bits_per_second))
    if concurrency is not None and concurrency < len(work):
        host_seconds = sum(j.size_bytes * 8 / j.cap_bits_per_second for j in work)
        terms.append(("concurrency", host_seconds / concurrency))
    terms.sort(key=lambda t: -t[1])
    return terms


def lower_bound(
    jobs: Sequence[Job], links: Sequence[SharedLink], concurrency: int | None = None
) -> float:
    terms = lower_bound_terms(jobs, links, concurrency)
    return terms[0][1] if terms else 0.0
