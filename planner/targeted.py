"""``exitplan plan --target``: the transfer plan and the capacity plan, run together.

Loads the target catalog, sizes the fleet onto it, plans the copy to the chosen machines' ports
and restates the deadline as provisioning + copy + cutover (see :mod:`planner.core.plan_target`).
The other providers in the catalog folder are loaded too: a missed deadline may be pointed to one
of them (another target, or machines for servers this target cannot host).
"""

from __future__ import annotations

from pathlib import Path

from planner.core.plan_target import plan_on_target
from planner.io.catalog import list_providers, load_provider, load_sizing_defaults, load_target
from planner.io.seeds import aws_instance_types
from planner.models import Inventory
from planner.models.capacity import CapacityOptions, SizingOptions
from planner.models.plan import Plan, PlanOptions
from planner.models.transfer_seeds import TransferSeeds


def plan_with_target(
    inventory: Inventory,
    seeds: TransferSeeds,
    options: PlanOptions,
    target: str,
    catalog_dir: Path | None = None,
    *,
    consolidate: bool = False,
    server_limit: int | None = None,
    typical_stock: int | None = None,
) -> Plan:
    """Plan the exit to ``target`` (a provider id or a private target file)."""
    catalog = load_target(target, catalog_dir)
    sizing = SizingOptions.from_defaults(load_sizing_defaults(), consolidate=consolidate or None)
    capacity_options = CapacityOptions(
        sizing=sizing,
        server_limit=server_limit,
        typical_stock=typical_stock,
        deadline_seconds=options.deadline_seconds,
    )
    others = [
        load_provider(name, catalog_dir)
        for name in list_providers(catalog_dir)
        if name != catalog.provider
    ]
    return plan_on_target(
        inventory, seeds, options, catalog, capacity_options, aws_instance_types(), others
    )
