"""What would meet a missed deadline at a target: changes to the target side of the exit.

The copy side (ports, streams, disks, links) is :mod:`planner.core.suggest`. Here:

- servers that fit none of the target's offerings need machines elsewhere (the other bundled
  targets that fit them are named);
- a capacity blocker at the target (a private cluster's cores, memory, storage or quota) needs
  the blocker's fix;
- a server-limit raise counted in provisioning can be requested before the exit starts;
- when that is still not enough, another target is planned in full (machines and copy) and
  offered as an alternative; when nothing computed meets the deadline, the list says why.

Each change says which deadline reasons it removes (``resolves``) and the provisioning time it
leaves, so the caller can restate the verdict after it. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from planner.models.capacity import CapacityPlan
from planner.models.catalog import Catalog
from planner.models.plan import PlanOptions
from planner.units import format_duration

TIME_KINDS = {"unplaced", "deadline", "stock", "server-limit"}  # covered by the time verdict


@dataclass(frozen=True)
class TargetFix:
    """One change at the target; ``provisioning_seconds`` is the time left after it."""

    action: str
    summary: str
    targets: list[str]
    provisioning_seconds: float
    resolves: tuple[str, ...] = ()
    condition: str | None = None


@dataclass(frozen=True)
class Alternative:
    """Another target planned in full for the same fleet."""

    catalog: Catalog
    capacity: CapacityPlan
    completion_seconds: float
    provisioning_seconds: float
    bulk_seconds: float
    options: PlanOptions


def servers_text(ids: Sequence[str], shown: int = 5) -> str:
    if len(ids) == 1:
        return ids[0]
    head = ", ".join(ids[:shown]) + (", ..." if len(ids) > shown else "")
    return f"the {len(ids)} servers {head}"


def blocking(capacity: CapacityPlan) -> list[str]:
    """Messages of the capacity blockers that time alone does not capture."""
    return [
        b.message for b in capacity.blockers if b.severity == "blocker" and b.kind not in TIME_KINDS
    ]


def target_fixes(capacity: CapacityPlan, elsewhere: Elsewhere | None = None) -> list[TargetFix]:
    """Changes at the target, cumulative: place the unplaced, clear blockers, raise limits.

    Servers placed elsewhere wait for the slowest machines named for them (``elsewhere``)."""
    title = capacity.target.title
    own = capacity.provisioning_seconds
    other = 0.0
    out: list[TargetFix] = []
    if capacity.unplaced:
        ids = [u.id for u in capacity.unplaced]
        first = capacity.unplaced[0]
        text = (
            f"find machines outside {title} for {servers_text(ids)}, which get none there "
            f"({first.id}: {first.reason}); the copy plan assumes the seeded default port for "
            "them"
        )
        if elsewhere is not None:
            text += f"; {elsewhere.text}"
            other = elsewhere.provisioning_seconds
        out.append(TargetFix("place-elsewhere", text, ids, max(own, other), ("unplaced",)))
    for blocker in capacity.blockers:
        if blocker.severity != "blocker" or blocker.kind in TIME_KINDS:
            continue
        text = (
            f"{blocker.message}: {blocker.suggestion or 'clear this blocker'}, before the exit "
            "starts (the time that takes is not in the plan)"
        )
        condition = f"{title} has that room before the exit starts"
        out.append(
            TargetFix(
                "target-capacity", text, [], max(own, other), ("capacity",), condition=condition
            )
        )
    quota = capacity.provisioning.quota_raise_seconds
    if quota > 0:
        own -= quota
        machines = capacity.machines
        out.append(
            TargetFix(
                "server-limit",
                f"have {title}'s server limit raised to {machines} before the exit starts "
                f"(a raise takes about {format_duration(quota)}; if the project already "
                f"allows {machines}, pass --server-limit {machines})",
                [],
                max(own, other),
            )
        )
    return out


def not_reachable(capacity: CapacityPlan, provisioning_seconds: float, deadline: float) -> str:
    """Why the target cannot meet the deadline whatever is copied faster."""
    title = capacity.target.title
    waiting = sum(row.restock for row in capacity.by_offering)
    longest = max(capacity.by_offering, key=lambda r: r.lead_time_seconds, default=None)
    text = (
        f"not reachable at {title}: getting the machines alone takes "
        f"{format_duration(provisioning_seconds)}, more than the {format_duration(deadline)} "
        "deadline"
    )
    if longest is not None and longest.lead_time_seconds >= deadline:
        text += f" ({longest.name}: {format_duration(longest.lead_time_seconds)} to deliver"
        if waiting:
            text += (
                f"; {waiting} of {capacity.machines} machines wait for a restock under the "
                "typical-stock assumption, --stock N if you know the real stock"
            )
        text += ")"
    return text + "; order the machines ahead of time (a warm standby) or choose another target"


def monthly_text(cap: CapacityPlan) -> str:
    """``$1,234 per month``, or what is unknown about it."""
    if cap.unpriced_machines == cap.machines and cap.machines:
        return "monthly cost unknown (no prices given)"
    if cap.unpriced_machines:
        return (
            f"${cap.monthly_usd:,.0f} per month for the {cap.machines - cap.unpriced_machines} "
            f"priced machines ({cap.unpriced_machines} have no price)"
        )
    return f"${cap.monthly_usd:,.0f} per month"


def alternative_text(alt: Alternative) -> str:
    cap = alt.capacity
    raise_note = ""
    if cap.provisioning.quota_raise_seconds > 0:
        raise_note = (
            f" once its server limit allows {cap.machines} (request the raise ahead: "
            f"{format_duration(cap.provisioning.quota_raise_seconds)})"
        )
    return (
        f"exit to {cap.target.title} instead ({alt.catalog.provider}): all {len(cap.servers)} "
        f"servers on {cap.machines} machines in {format_duration(alt.provisioning_seconds)}"
        f"{raise_note}, {monthly_text(cap)}"
    )


KIND_ORDER = {"cloud": 0, "private": 1, "dedicated": 2}  # likeliest to deliver many fast first


def could_host(catalog: Catalog, vcpus: int, memory_bytes: int, deadline: float | None) -> bool:
    """Quick check before a full capacity plan: some offering has the fleet's largest vCPU
    count, some has its largest memory, and some is delivered within the deadline."""
    rows = catalog.offerings
    return (
        any(o.vcpus >= vcpus for o in rows)
        and any(o.memory_bytes >= memory_bytes for o in rows)
        and (deadline is None or any(o.lead_time_seconds < deadline for o in rows))
    )


def best_alternative(
    current: str,
    catalogs: Sequence[Catalog],
    plan_capacity_at: Callable[[Catalog], CapacityPlan],
    copy_at: Callable[[CapacityPlan, Catalog], tuple[float, float, PlanOptions]],
    deadline: float,
    tried: int = 2,
) -> Alternative | None:
    """Another target that places every server without a capacity blocker and meets the
    deadline (machines with the server limit raised ahead, then the copy): the cheaper of the
    first ``tried`` usable ones, clouds first, else the fastest of them; None if there is none.

    Sizing a large fleet at a target is the costly part: targets are tried in order (clouds,
    private, dedicated; then by id) and the search stops at ``tried`` usable ones."""
    planned: list[Alternative] = []
    for catalog in sorted(catalogs, key=lambda c: (KIND_ORDER[c.limits.kind], c.provider)):
        if catalog.provider == current:
            continue
        cap = plan_capacity_at(catalog)
        if cap.unplaced or blocking(cap) or not cap.servers:
            continue
        ahead = cap.provisioning_seconds - cap.provisioning.quota_raise_seconds
        if ahead >= deadline:
            continue
        done, bulk, options = copy_at(cap, catalog)  # copy + cutover, bulk copy
        planned.append(Alternative(catalog, cap, ahead + done, ahead, bulk, options))
        if len(planned) >= tried:
            break
    if not planned:
        return None
    meeting = [a for a in planned if a.completion_seconds <= deadline]
    if meeting:
        return min(meeting, key=lambda a: (a.capacity.monthly_usd, a.catalog.provider))
    return min(planned, key=lambda a: (a.completion_seconds, a.catalog.provider))


@dataclass(frozen=True)
class Elsewhere:
    """Other targets with machines for a sub-fleet; ``provisioning_seconds``: the slowest named
    one's time to deliver them, a server-limit raise there requested ahead of the exit."""

    text: str
    provisioning_seconds: float


def fits_elsewhere(
    current: str,
    catalogs: Sequence[Catalog],
    plan_capacity_at: Callable[[Catalog], CapacityPlan],
) -> Elsewhere | None:
    """Which other targets have machines for the given servers (a sub-fleet), soonest first
    (at most two). A server-limit raise a target needs is named as a step ahead of the exit,
    as for the target itself; the rest of its provisioning counts in the exit's time."""
    found: list[tuple[float, float, str]] = []
    for catalog in catalogs:
        if catalog.provider == current:
            continue
        cap = plan_capacity_at(catalog)
        if cap.unplaced or not cap.servers or blocking(cap):
            continue
        names = ", ".join(sorted({p.offering_name for p in cap.servers}))
        quota = cap.provisioning.quota_raise_seconds
        ahead = cap.provisioning_seconds - quota
        raise_note = (
            f" once its server limit allows {cap.machines}; request the raise ahead of "
            f"the exit: {format_duration(quota)}"
            if quota > 0
            else ""
        )
        found.append(
            (
                cap.provisioning_seconds,  # soonest with the raise counted: no raise first
                ahead,
                f"{cap.target.title} has machines for them ({names}; in "
                f"{format_duration(ahead)}{raise_note})",
            )
        )
    found.sort()
    if not found:
        return None
    chosen = found[:2]
    return Elsewhere(
        "; ".join(text for _total, _ahead, text in chosen),
        max(ahead for _total, ahead, _text in chosen),
    )
