"""Join the transfer plan and the capacity plan into one verdict (``exitplan plan --target``).

The machines must exist before data can land on them, so the exit takes provisioning time *then*
the copy and the cutover (conservative: in practice copies start as machines arrive). The target
port of each server is the chosen offering's published NIC speed. Pure: models in, models out.
"""

from __future__ import annotations

from planner.models.capacity import CapacityPlan
from planner.models.catalog import Catalog
from planner.models.plan import Deadline, HostOverride, Plan, PlanAssumption, PlanOptions

SEQUENTIAL = PlanAssumption(
    name="provisioning before copy",
    value="the copy starts when the target machines are ready",
    source="exitplan modelling choice (conservative; copies can start as machines arrive)",
)


def target_options(options: PlanOptions, capacity: CapacityPlan, catalog: Catalog) -> PlanOptions:
    """Plan options for the copy: per-server target ports, the time left after provisioning."""
    nic = {o.id: o.nic_bits_per_second for o in catalog.offerings}
    overrides = dict(options.host_overrides)
    if options.target_port_bits_per_second is None:  # an explicit --target-port wins
        for placement in capacity.servers:
            port = nic.get(placement.offering)
            if port and placement.id not in overrides:
                overrides[placement.id] = HostOverride(target_port_bits_per_second=port)
    deadline = options.deadline_seconds
    remaining = None if deadline is None else deadline - capacity.provisioning_seconds
    return options.model_copy(
        update={
            "host_overrides": overrides,
            "target_monthly_usd": capacity.monthly_usd,
            "deadline_seconds": remaining if remaining is None or remaining > 0 else None,
        }
    )


def with_capacity(plan: Plan, capacity: CapacityPlan, deadline_seconds: float | None) -> Plan:
    """Embed ``capacity`` and restate the deadline verdict as provisioning + copy + cutover."""
    completion = capacity.provisioning_seconds + plan.cutover.completion_seconds
    unplaced = bool(capacity.unplaced)
    meets = None if deadline_seconds is None else completion <= deadline_seconds and not unplaced
    warnings = list(plan.warnings)
    if deadline_seconds is not None and capacity.provisioning_seconds >= deadline_seconds:
        warnings.append(
            "getting the target machines alone takes longer than the deadline: "
            "see capacity.blockers for what would shorten it"
        )
    if unplaced:
        warnings.append(
            f"{len(capacity.unplaced)} servers have no machine at {capacity.target.provider}: "
            "the deadline cannot be met there until they are placed (see capacity.unplaced)"
        )
    return plan.model_copy(
        update={
            "capacity": capacity,
            "deadline": Deadline(
                seconds=deadline_seconds,
                meets=meets,
                margin_seconds=None if deadline_seconds is None else deadline_seconds - completion,
                provisioning_seconds=capacity.provisioning_seconds,
                completion_seconds=completion,
            ),
            "cost": plan.cost.model_copy(update={"target_monthly_usd": capacity.monthly_usd}),
            "assumptions": [*plan.assumptions, SEQUENTIAL, *capacity.assumptions],
            "warnings": warnings,
        }
    )
