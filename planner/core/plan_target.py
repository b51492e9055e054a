"""Join the transfer plan and the capacity plan into one verdict (``exitplan plan --target``).

The machines must exist before data can land on them, so the exit takes provisioning time *then*
the copy and the cutover (conservative: in practice copies start as machines arrive). The target
port of each server is the chosen offering's published NIC speed; where the target publishes
none (and for servers with no machine there) the seeded default is used, and ``assumptions[]``
says which port each group of servers got and from where.

The verdict and its suggestions are :mod:`planner.core.target_verdict`; :func:`plan_on_target`
runs it all, and plans other targets when the deadline is missed at this one. Pure: models in,
models out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from planner.core.capacity import plan_capacity
from planner.core.capacity_checks import source_text
from planner.core.plan import build_plan
from planner.core.sizing import requirements
from planner.core.suggest import TargetPorts
from planner.core.suggest_target import (
    Alternative,
    best_alternative,
    could_host,
    fits_elsewhere,
    target_fixes,
)
from planner.core.target_verdict import with_capacity
from planner.models import Inventory
from planner.models.capacity import CapacityOptions, CapacityPlan
from planner.models.catalog import Catalog
from planner.models.plan import (
    HostOverride,
    Plan,
    PlanAssumption,
    PlanOptions,
)
from planner.models.seeds import AwsInstanceType
from planner.models.transfer_seeds import TransferSeeds
from planner.units import format_rate


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
            "target_monthly_usd": None if capacity.unpriced_machines else capacity.monthly_usd,
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
    # --server-limit and --stock describe this target, not the others
    elsewhere = capacity_options.model_copy(update={"server_limit": None, "typical_stock": None})
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
        fits = fits_elsewhere(
            catalog.provider, others, lambda c: plan_capacity(subset, c, elsewhere, types)
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
        verdict = with_capacity(ported, capacity, deadline, fixes, None, seeds, copy_options)
        if _target_bound(verdict, capacity, provisioning, deadline):
            alternative = _alternative(inventory, seeds, options, catalog, elsewhere, types, others)
    return with_capacity(ported, capacity, deadline, fixes, alternative, seeds, copy_options)


def _target_bound(
    verdict: Plan, capacity: CapacityPlan, provisioning_seconds: float, deadline: float
) -> bool:
    """Could another target help? Only if nothing here meets the deadline and what is left is
    the target's doing: its machines come too late, or late hosts wait on its ports (a source
    disk, instance or shared link is no faster at another target)."""
    if verdict.deadline.meets is not False or any(
        s.meets is not False for s in verdict.suggestions
    ):
        return False
    if provisioning_seconds >= deadline:
        return True
    stuck = next((s for s in reversed(verdict.suggestions) if s.action == "none"), None)
    if stuck is None:
        return False
    limits = {h.id: h.limited_by for h in verdict.transfer.hosts}
    placed = {p.id for p in capacity.servers}  # a server placed elsewhere goes elsewhere anyway
    return any(limits.get(host) == "target-port" and host in placed for host in stuck.targets)


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

    def copy_at(cap: CapacityPlan, other: Catalog) -> tuple[float, float, PlanOptions]:
        copy_options = target_options(free, cap, other)
        copy = build_plan(inventory, seeds, copy_options, types)
        return copy.cutover.completion_seconds, copy.transfer.bulk_seconds, copy_options

    reqs = requirements(inventory, capacity_options.sizing, types)
    vcpus = max((r.vcpus for r in reqs), default=0)
    memory = max((r.memory_bytes for r in reqs), default=0)
    return best_alternative(
        catalog.provider,
        [c for c in others if could_host(c, vcpus, memory, deadline)],
        lambda c: plan_capacity(inventory, c, capacity_options, types),
        copy_at,
        deadline,
    )
