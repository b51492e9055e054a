"""Build a stack's fleet config from a plan and preview it offline: shared by the CLI and demo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from planner.io.inventory_file import load_inventory
from planner.models.capacity import CapacityPlan
from planner.models.stacks import StackOptions, StackTarget
from planner.stacks import files, preview
from planner.stacks.config import build_fleet_config


def build_config(
    capacity: CapacityPlan,
    provider: str,
    test_stack: bool,
    inventory: Path | None,
    target_file: Path | None,
    extra: dict[str, Any],
) -> tuple[dict[str, Any], list[str], StackTarget]:
    """The ``fleet`` config document for ``provider``, the warnings, and the stack target."""
    target = files.stack_target(provider)
    catalog = files.load_catalog(capacity, target_file)
    files.check_target_matches(provider, catalog)
    settings = dict(extra.pop("settings", {}))
    nodes = files.proxmox_nodes(catalog)
    if nodes and "nodes" not in settings:
        settings["nodes"] = ",".join(nodes)
    options = StackOptions(target=provider, test_stack=test_stack, settings=settings, **extra)
    fleet = load_inventory(inventory) if inventory is not None else None
    document, warnings = build_fleet_config(
        capacity, catalog, files.stack_catalog(), options, fleet
    )
    return document, warnings, target


def preview_report(
    capacity: CapacityPlan,
    provider: str,
    *,
    test_stack: bool = False,
    inventory: Path | None = None,
    target_file: Path | None = None,
    stacks_dir: Path | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Run the real stack program under Pulumi's mocks; the contract document and warnings."""
    document, warnings, target = build_config(
        capacity, provider, test_stack, inventory, target_file, {}
    )
    root = files.stacks_dir(stacks_dir)
    project = files.project_dir(root, provider)
    config = {f"{target.project}:fleet": json.dumps(document)}
    result = preview.run_program(root, project, config, "preview")
    login = ("no --ssh-key", "no --admin-cidr")  # config-time concerns, not the preview's
    warnings = [w for w in warnings if not w.startswith(login)]
    return preview.contract(provider, result, warnings), warnings
