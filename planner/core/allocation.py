"""Allocation: give every target machine an offering, honouring typical stock and lead times.

Machines are the servers (or consolidated hosts) the capacity plan needs, each with its ranked
fitting offerings. :func:`allocate` picks one per machine: with a deadline, models delivered in
time come first (in stock preferred, then the cheapest); when the fleet cannot arrive in time
anyway, the shortest delivery the whole fleet can get is found and each machine takes the
cheapest model delivered within it, so no machine pays for a dearer model that does not shorten
the wait. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from planner.core.capacity_checks import Allocation
from planner.core.consolidation import Packing
from planner.models.capacity import Candidate, CapacityOptions, Requirement, Unplaced
from planner.models.catalog import Catalog
from planner.units import format_duration


@dataclass
class Machine:
    """One target machine to find: the servers it carries and the offerings that fit."""

    host: str
    reqs: list[Requirement]
    candidates: list[Candidate]
    consolidated: bool


def machines_for(
    fits_by_id: dict[str, list[Candidate]],
    reqs: list[Requirement],
    packing: Packing | None,
    catalog: Catalog,
) -> list[Machine]:
    machines: list[Machine] = []
    by_id = {r.id: r for r in reqs}
    if packing is not None:
        for host in packing.hosts:
            offering = catalog.offering(host.offering)
            cand = Candidate(
                offering=offering.id, monthly_usd=offering.monthly_usd, setup_usd=offering.setup_usd
            )
            machines.append(Machine(host.host, [by_id[i] for i in host.servers], [cand], True))
    hosted = packing.host_of if packing is not None else {}
    singles = [r for r in reqs if fits_by_id.get(r.id) and r.id not in hosted]
    singles.sort(key=lambda r: (len(fits_by_id[r.id]), r.id))
    machines.extend(Machine(r.id, [r], fits_by_id[r.id], False) for r in singles)
    return machines


def _stock(catalog: Catalog, options: CapacityOptions) -> dict[str, int | None]:
    default = options.typical_stock
    if default is None:
        effective = catalog.limits.typical_stock_per_offering.effective
        default = None if effective is None else int(effective)
    return {
        o.id: o.typical_stock if o.typical_stock is not None else default for o in catalog.offerings
    }


def stock_limited(catalog: Catalog, options: CapacityOptions) -> bool:
    return any(v is not None for v in _stock(catalog, options).values())


def allocate(
    machines: list[Machine],
    catalog: Catalog,
    options: CapacityOptions,
) -> tuple[list[Allocation], list[Unplaced]]:
    """Give every machine an offering, honouring typical stock; the rest wait or fail.

    With a deadline, offerings delivered within it come first (in stock preferred, then the
    cheapest); a machine with nothing in time takes the shortest delivery. Without one, the
    cheapest model in stock comes first (``prefer_in_stock``), else the cheapest. Then, unless
    everything arrives within the deadline, the longest delivery of that pass is what the
    fleet waits anyway: a second pass gives every machine the cheapest model delivered within
    it, so a dearer model is only bought when it shortens the wait for the whole fleet.
    """
    deadline = options.deadline_seconds
    if deadline is None and not options.prefer_in_stock:
        return _allocate(machines, catalog, options, None, True)
    first = _allocate(machines, catalog, options, deadline, True)
    longest = _longest(first[0])
    if deadline is not None and longest <= deadline:
        return first
    # the fleet waits `longest` anyway: take the cheapest model delivered within it
    second = _allocate(machines, catalog, options, longest, False)
    if _longest(second[0]) <= longest and len(second[1]) <= len(first[1]):
        return second
    return first


def _longest(done: list[Allocation]) -> float:
    return max((a.lead_seconds for a in done), default=0.0)


def _allocate(
    machines: list[Machine],
    catalog: Catalog,
    options: CapacityOptions,
    cap: float | None,
    prefer_stock: bool,
) -> tuple[list[Allocation], list[Unplaced]]:
    """One allocation pass: leads within ``cap`` first, then (if ``prefer_stock``) in stock,
    then the cheapest; machines with nothing within ``cap`` take the shortest lead."""
    remaining = _stock(catalog, options)
    by_id = {o.id: o for o in catalog.offerings}
    done: list[Allocation] = []
    unplaced: list[Unplaced] = []
    deadline = options.deadline_seconds

    def choice(rank: int, c: Candidate) -> tuple[tuple[bool, float, bool, int], bool, float] | None:
        offering = by_id[c.offering]
        left = remaining[c.offering]
        stocked = left is None or left > 0
        lead = offering.lead_time_seconds if stocked else offering.lead_time_out_of_stock_seconds
        if lead is None:
            return None
        late = cap is not None and lead > cap
        return (late, lead if late else 0.0, prefer_stock and not stocked, rank), stocked, lead

    for m in machines:
        cheapest = m.candidates[0]
        ranked = [(x, c) for i, c in enumerate(m.candidates) if (x := choice(i, c)) is not None]
        if not ranked:
            names = ", ".join(by_id[c.offering].name for c in m.candidates)
            for r in m.reqs:
                unplaced.append(
                    unplaced_entry(
                        r,
                        f"out of stock: every fitting model ({names}) is "
                        "taken and its restock time is unknown",
                        "out-of-stock",
                    )
                )
            continue
        (_key, stocked, lead), chosen = min(ranked, key=lambda item: item[0][0])
        offering = by_id[chosen.offering]
        left = remaining[chosen.offering]
        if stocked and left is not None:
            remaining[chosen.offering] = left - 1
        note = None
        if chosen.offering != cheapest.offering:
            cheap = by_id[cheapest.offering]
            why = "is out of typical stock"
            if deadline is not None and (cheap.lead_time_seconds or 0) > deadline:
                why = f"takes {format_duration(cheap.lead_time_seconds)} to deliver"
            note = f"{cheap.name} (cheapest) {why}: next cheapest that is available"
        done.append(
            Allocation(
                m.host,
                m.reqs,
                chosen,
                offering,
                m.consolidated,
                stocked,
                float(lead),
                note,
                round(chosen.monthly_usd - cheapest.monthly_usd, 6),
            )
        )
    return done, unplaced


def unplaced_entry(
    r: Requirement, reason: str, kind: Literal["no-fit", "out-of-stock"] = "no-fit"
) -> Unplaced:
    return Unplaced(
        id=r.id,
        reason=reason,
        kind=kind,
        vcpus=r.vcpus,
        memory_bytes=r.memory_bytes,
        disk_bytes=r.disk_bytes,
    )
