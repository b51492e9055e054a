"""Join the transfer plan and the capacity plan into one verdict (``exitplan plan --target``).

The machines must exist before data can land on them, so the exit takes provisioning time *then*
the copy and the cutover (conservative: in practice copies start as machines arrive). The target
port of each server is the chosen offering's published NIC speed; where the target publishes
none (and for servers with no machine there) the seeded default is used, and ``assumptions[]``
says which port each group of servers got and from where.

The deadline is met only when nothing stands in the way: ``deadline.reasons[]`` lists what does
(``late``: provisioning + copy + cutover exceed it; ``unplaced``: servers with no machine;
``capacity``: a blocker at the target such as a private cluster's cores or quota).
``deadline.margin_seconds`` stays the time margin alone. Suggestions start with the changes at
the target (:mod:`planner.core.suggest_target`), then the copy changes, computed against the
time left once the target changes are made, then another target if nothing else meets it.
Pure: models in, models out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from planner.core.capacity import plan_capacity
from planner.core.capacity_checks import source_text
from planner.core.cost import waiver_info
from planner.core.plan import build_plan
from planner.core.suggest import TargetPorts
from planner.core.suggest_target import (
    Alternative,
    TargetFix,
    alternative_text,
    best_alternative,
    blocking,
    fits_elsewhere_text,
    not_reachable,
    target_fixes,
)
from planner.models import Inventory
from planner.models.capacity import CapacityOptions, CapacityPlan
from planner.models.catalog import Catalog
from planner.models.plan import (
    Deadline,
    DeadlineReason,
    HostOverride,
    Plan,
    PlanAssumption,
    PlanOptions,
    Suggestion,
)
from planner.models.seeds import AwsInstanceType
from planner.models.transfer_seeds import TransferSeeds
from planner.units import format_duration, format_rate

SEQUENTIAL = PlanAssumption(
    name="provisioning before copy",
    value="the copy starts when the target machines are ready",
    source="exitplan modelling choice (conservative; copies can start as machines arrive)",
)


def target_options(
    options: PlanOptions,
    capacity: CapacityPlan,
    catalog: Catalog,
    provisioning_seconds: float | None = None,
) -> PlanOptions:
    """Plan options for the copy: per-server target ports, the time left after provisioning
    (``provisioning_seconds``, default the capacity plan's: the copy's share of the deadline)."""
    nic = {o.id: o.nic_bits_per_second for o in catalog.offerings}
    overrides = dict(options.host_overrides)
    if options.target_port_bits_per_second is None:  # an explicit --target-port wins
        for placement in capacity.servers:
            port = nic.get(placement.offering)
            if port and placement.id not in overrides:
                overrides[placement.id] = HostOverride(target_port_bits_per_second=port)
    if provisioning_seconds is None:
        provisioning_seconds = capacity.provisioning_seconds
    deadline = options.deadline_seconds
    remaining = None if deadline is None else deadline - provisioning_seconds
    return options.model_copy(
        update={
            "host_overrides": overrides,
            "target_monthly_usd": capacity.monthly_usd,
            "deadline_seconds": remaining if remaining is None or remaining > 0 else None,
        }
    )


def target_ports(capacity: CapacityPlan, catalog: Catalog) -> TargetPorts:
    """The port speeds the target offers each placed server: its machine's NIC and the
    catalog's port upgrades above it; nothing where the target publishes no port speed."""
    nic = {o.id: o.nic_bits_per_second for o in catalog.offerings}
    upgrades = catalog.limits.port_speeds.upgrades_bits_per_second
    speeds: dict[str, tuple[float, ...]] = {}
    for placement in capacity.servers:
        port = nic.get(placement.offering)
        speeds[placement.id] = (
            tuple(sorted({port, *(u for u in upgrades if u > port)})) if port else ()
        )
    title = capacity.target.title
    return TargetPorts(
        title=title,
        speeds=speeds,
        elsewhere=frozenset(u.id for u in capacity.unplaced),
        upgrade_note=f"a port upgrade {title} sells; its price is not in the plan"
        if upgrades
        else None,
    )


def port_assumptions(
    plan: Plan, capacity: CapacityPlan, catalog: Catalog, options: PlanOptions, default: float
) -> list[PlanAssumption]:
    """``target port`` entries naming the port each group of hosts was planned with
    (``default``: the seeded port used where the target names none)."""
    generic = next((a for a in plan.assumptions if a.name == "target port"), None)
    if options.target_port_bits_per_second is not None or generic is None:
        return [generic] if generic is not None else []
    nic = {o.id: o.nic_bits_per_second for o in catalog.offerings}
    limits = catalog.limits
    by_port: Mapping[float, list[str]] = defaultdict(list)
    names: Mapping[float, set[str]] = defaultdict(set)
    silent: list[str] = []
    for p in capacity.servers:
        port = nic.get(p.offering)
        if port:
            by_port[port].append(p.id)
            names[port].add(p.offering_name)
        else:
            silent.append(p.offering_name)
    if limits.kind == "private":
        origin, where = "target file", f"{catalog.origin} (flavors' nic)"
    else:
        origin, where = "catalog", f"seeds/providers/{catalog.provider}/offerings.csv (nic)"
    out = [
        PlanAssumption(
            name="target port",
            value=f"{format_rate(port)} for {len(ids)} servers: the NIC of "
            f"{', '.join(sorted(names[port]))} ({origin})",
            source=f"{where}: {source_text(catalog, limits.port_speeds.source)}",
        )
        for port, ids in sorted(by_port.items())
    ]
    placed = {p.id for p in capacity.servers}
    others = [h.id for h in plan.transfer.hosts if h.id not in placed]
    unplaced = {u.id for u in capacity.unplaced}
    note = limits.port_speeds.note
    groups = [
        (
            silent,
            "servers",
            f"{limits.title} publishes no port speed for {', '.join(sorted(set(silent)))}",
            f"; {limits.title}: {note}" if note else "",
        ),
        ([i for i in others if i in unplaced], "servers", f"no machine at {limits.title}", ""),
        ([i for i in others if i not in unplaced], "data stores", "not sized by the target", ""),
    ]
    for ids, what, why, extra in groups:
        if ids:
            out.append(
                PlanAssumption(
                    name="target port",
                    value=f"{format_rate(default)} for {len(ids)} {what} ({why}): the seeded "
                    "default is assumed",
                    source=generic.source + extra,
                )
            )
    return out


def reasons_for(
    capacity: CapacityPlan, completion_seconds: float, deadline: float
) -> list[DeadlineReason]:
    """What keeps the exit from meeting ``deadline``; empty when it is met."""
    out: list[DeadlineReason] = []
    if completion_seconds > deadline:
        text = (
            f"provisioning + copy + cutover take {format_duration(completion_seconds)}, "
            f"{format_duration(completion_seconds - deadline)} more than the deadline"
        )
        if capacity.provisioning_seconds >= deadline:
            text += (
                f"; getting the machines alone takes "
                f"{format_duration(capacity.provisioning_seconds)}"
            )
        out.append(DeadlineReason(kind="late", message=text, seconds=completion_seconds - deadline))
    if capacity.unplaced:
        ids = [u.id for u in capacity.unplaced]
        out.append(
            DeadlineReason(
                kind="unplaced",
                message=f"{len(ids)} servers have no machine at {capacity.target.title} "
                f"({', '.join(ids[:5])}{', ...' if len(ids) > 5 else ''})",
                ids=ids,
            )
        )
    out.extend(DeadlineReason(kind="capacity", message=m) for m in blocking(capacity))
    return out


def with_capacity(
    plan: Plan,
    capacity: CapacityPlan,
    deadline_seconds: float | None,
    fixes: Sequence[TargetFix] = (),
    alternative: Alternative | None = None,
    seeds: TransferSeeds | None = None,
) -> Plan:
    """Embed ``capacity`` and restate the deadline verdict as provisioning + copy + cutover.

    ``plan.suggestions`` (the copy changes) were computed against the deadline minus the
    provisioning left after ``fixes``; they are shifted to end-to-end times here."""
    completion = capacity.provisioning_seconds + plan.cutover.completion_seconds
    reasons = (
        [] if deadline_seconds is None else reasons_for(capacity, completion, deadline_seconds)
    )
    warnings = list(plan.warnings)
    if deadline_seconds is not None and capacity.provisioning_seconds >= deadline_seconds:
        warnings.append(
            "getting the target machines alone takes longer than the deadline: "
            "see capacity.blockers for what would shorten it"
        )
    if capacity.unplaced:
        warnings.append(
            f"{len(capacity.unplaced)} servers have no machine at {capacity.target.provider}: "
            "the deadline cannot be met there until they are placed (see capacity.unplaced)"
        )
    cost = plan.cost.model_copy(update={"target_monthly_usd": capacity.monthly_usd})
    if seeds is not None and cost.waiver is not None:
        cost = cost.model_copy(update={"waiver": waiver_info(seeds.egress, completion)})
    suggestions: list[Suggestion] = []
    if deadline_seconds is not None and reasons:
        suggestions = _suggestions(plan, capacity, deadline_seconds, reasons, fixes, alternative)
    return plan.model_copy(
        update={
            "capacity": capacity,
            "deadline": Deadline(
                seconds=deadline_seconds,
                meets=None if deadline_seconds is None else not reasons,
                margin_seconds=None if deadline_seconds is None else deadline_seconds - completion,
                time_fits=None if deadline_seconds is None else completion <= deadline_seconds,
                reasons=reasons,
                provisioning_seconds=capacity.provisioning_seconds,
                completion_seconds=completion,
            ),
            "cost": cost,
            "suggestions": suggestions,
            "assumptions": [*plan.assumptions, SEQUENTIAL, *capacity.assumptions],
            "warnings": warnings,
        }
    )


def _suggestions(
    plan: Plan,
    capacity: CapacityPlan,
    deadline: float,
    reasons: list[DeadlineReason],
    fixes: Sequence[TargetFix],
    alternative: Alternative | None,
) -> list[Suggestion]:
    needed = {r.kind for r in reasons} - {"late"}
    resolved: set[str] = set()
    copy_seconds = plan.cutover.completion_seconds
    out: list[Suggestion] = []
    for fix in fixes:
        resolved.update(fix.resolves)
        done = fix.provisioning_seconds + copy_seconds
        out.append(
            Suggestion(
                action=fix.action,
                summary=fix.summary,
                targets=fix.targets,
                resulting_bulk_seconds=plan.transfer.bulk_seconds,
                resulting_completion_seconds=done,
                meets=done <= deadline and needed <= resolved,
                cumulative=True,
                options=PlanOptions(),
                resolves=list(fix.resolves),
            )
        )
    provisioning = fixes[-1].provisioning_seconds if fixes else capacity.provisioning_seconds
    for copy in plan.suggestions:
        done = provisioning + copy.resulting_completion_seconds
        out.append(
            copy.model_copy(
                update={
                    "resulting_completion_seconds": done,
                    "meets": done <= deadline and needed <= resolved and copy.action != "none",
                }
            )
        )
    if any(s.meets for s in out):
        return out
    if provisioning >= deadline:
        out.append(
            Suggestion(
                action="none",
                summary=not_reachable(capacity, provisioning, deadline),
                resulting_bulk_seconds=plan.transfer.bulk_seconds,
                resulting_completion_seconds=provisioning + copy_seconds,
                meets=False,
                cumulative=True,
                options=PlanOptions(),
            )
        )
    if alternative is not None:
        out.append(
            Suggestion(
                action="another-target",
                summary=alternative_text(alternative),
                targets=[alternative.catalog.provider],
                resulting_bulk_seconds=alternative.completion_seconds
                - alternative.provisioning_seconds,
                resulting_completion_seconds=alternative.completion_seconds,
                meets=alternative.completion_seconds <= deadline,
                cumulative=False,
                options=alternative.options,
            )
        )
    return out


def plan_on_target(
    inventory: Inventory,
    seeds: TransferSeeds,
    options: PlanOptions,
    catalog: Catalog,
    capacity_options: CapacityOptions,
    instance_types: Mapping[str, AwsInstanceType] | None = None,
    others: Sequence[Catalog] = (),
) -> Plan:
    """The whole exit to ``catalog``: machines, copy to their ports, verdict, suggestions.

    ``others``: the other targets a missed deadline may be pointed to (and that may have
    machines for servers the target cannot host)."""
    types = dict(instance_types or {})
    capacity = plan_capacity(inventory, catalog, capacity_options, types)
    deadline = options.deadline_seconds
    fits = None
    if deadline is not None and capacity.unplaced and others:
        wanted = {u.id for u in capacity.unplaced}
        subset = inventory.model_copy(
            update={
                "servers": [s for s in inventory.servers if s.id in wanted],
                "data_stores": [],
                "links": [],
            }
        )
        fits = fits_elsewhere_text(
            catalog.provider, others, lambda c: plan_capacity(subset, c, capacity_options, types)
        )
    fixes = target_fixes(capacity, fits) if deadline is not None else []
    provisioning = fixes[-1].provisioning_seconds if fixes else capacity.provisioning_seconds
    copy_options = target_options(options, capacity, catalog, provisioning)
    ports = target_ports(capacity, catalog)
    plan = build_plan(inventory, seeds, copy_options, types, ports=ports)
    ported = plan.model_copy(
        update={
            "assumptions": [
                *(a for a in plan.assumptions if a.name != "target port"),
                *port_assumptions(
                    plan, capacity, catalog, options, seeds.network.target_port.default
                ),
            ]
        }
    )
    alternative = None
    if deadline is not None and others:
        # --server-limit and --stock describe this target, not the others
        capacity_options = capacity_options.model_copy(
            update={"server_limit": None, "typical_stock": None}
        )
        verdict = with_capacity(ported, capacity, deadline, fixes, None, seeds)
        if not any(s.meets for s in verdict.suggestions) and verdict.deadline.meets is False:
            alternative = _alternative(
                inventory, seeds, options, catalog, capacity_options, types, others
            )
    return with_capacity(ported, capacity, deadline, fixes, alternative, seeds)


def _alternative(
    inventory: Inventory,
    seeds: TransferSeeds,
    options: PlanOptions,
    catalog: Catalog,
    capacity_options: CapacityOptions,
    types: dict[str, AwsInstanceType],
    others: Sequence[Catalog],
) -> Alternative | None:
    deadline = options.deadline_seconds
    if deadline is None:
        return None
    free = options.model_copy(update={"deadline_seconds": None})

    def copy_seconds(cap: CapacityPlan, other: Catalog) -> tuple[float, PlanOptions]:
        copy_options = target_options(free, cap, other)
        copy = build_plan(inventory, seeds, copy_options, types)
        return copy.cutover.completion_seconds, copy_options

    return best_alternative(
        catalog.provider,
        others,
        lambda c: plan_capacity(inventory, c, capacity_options, types),
        copy_seconds,
        deadline,
    )
