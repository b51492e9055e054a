"""Build PLAN.json documents and stack configs in-process, and run stack programs under mocks.

Plans are made the way ``exitplan plan --target`` makes them (``build_plan`` + ``plan_capacity``)
so the tests do not depend on the plan CLI's wiring. Stack programs run in this process through
``components.offline.run_offline`` (each run resets Pulumi's root stack and mocks).
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from planner.core.capacity import plan_capacity
from planner.core.generate import generate_fleet
from planner.core.plan import build_plan
from planner.io.catalog import load_sizing_defaults, load_target
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.io.transfer_seeds import transfer_seeds
from planner.models.capacity import CapacityOptions, CapacityPlan, SizingOptions
from planner.models.inventory import Inventory
from planner.models.plan import PlanOptions
from planner.models.seeds import FleetProfile
from planner.models.stacks import StackOptions
from planner.stacks.config import build_fleet_config
from planner.stacks.files import stack_catalog

REPO = Path(__file__).resolve().parents[2]
STACKS = REPO / "stacks"
if str(STACKS) not in sys.path:
    sys.path.insert(0, str(STACKS))

# stack target -> the catalog (provider id or private target file) its test plan is made for
TARGET_CATALOGS = {
    "hetzner": "hetzner-cloud",
    "scaleway": "scaleway-elastic-metal",
    "proxmox": str(REPO / "inventories/targets/proxmox.yaml"),
    "openstack": str(REPO / "inventories/targets/openstack.yaml"),
    "maas": str(REPO / "inventories/targets/maas.yaml"),
}
TEST_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDx8mHZwPp1YQm0s0k8b2t3rW4Yy8Jc1oGfWbS9n0q1L ops@example"
)
ADMIN_CIDR = "198.51.100.0/24"


@functools.cache
def generated(servers: int, seed: int = 7) -> Inventory:
    """A synthetic fleet with roles, services and data volumes (the bundled profile)."""
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    return generate_fleet(
        profile, aws_instance_types(), servers=servers, data_bytes=servers * 200 * 10**9, seed=seed
    )


def plan_document(inventory: Inventory, catalog_spec: str) -> dict[str, Any]:
    """A PLAN.json document with ``capacity`` filled for ``catalog_spec``."""
    plan = build_plan(inventory, transfer_seeds(), PlanOptions(), aws_instance_types())
    catalog = load_target(catalog_spec)
    options = CapacityOptions(sizing=SizingOptions.from_defaults(load_sizing_defaults()))
    plan.capacity = plan_capacity(inventory, catalog, options, aws_instance_types())
    return plan.model_dump(mode="json")


def capacity_of(document: dict[str, Any]) -> CapacityPlan:
    return CapacityPlan.model_validate(document["capacity"])


def fleet_config(
    document: dict[str, Any], target: str, inventory: Inventory | None, test_stack: bool = False
) -> tuple[dict[str, Any], list[str]]:
    capacity = capacity_of(document)
    catalog = load_target(TARGET_CATALOGS[target])
    settings = {"nodes": "pve1,pve2,pve3"} if target == "proxmox" else {}
    if target == "maas":
        settings["private_interface"] = "eno2"
    options = StackOptions(
        target=target,
        test_stack=test_stack,
        ssh_public_keys=[TEST_KEY],
        admin_cidrs=[ADMIN_CIDR],
        settings=settings,
    )
    return build_fleet_config(capacity, catalog, stack_catalog(), options, inventory)


def run_stack(target: str, fleet: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """Run ``stacks/<target>/__main__.py`` under mocks with ``fleet`` as its config."""
    from components.offline import run_offline

    project = STACKS / target
    name = yaml.safe_load((project / "Pulumi.yaml").read_text())["name"]
    return run_offline(project, {f"{name}:fleet": json.dumps(fleet)}, stack="test")


SERVER_TYPES = {
    "hetzner": "hcloud:index/server:Server",
    "scaleway": "scaleway:elasticmetal/server:Server",
    "proxmox": "proxmoxve:index/vmLegacy:VmLegacy",
    "openstack": "openstack:compute/instance:Instance",
    "maas": "maas:index/instance:Instance",
}


def user_data_by_server(target: str, registrations: list[Any]) -> dict[str, str]:
    """Each server's cloud-init user data as registered with the (mock) engine."""
    if target == "proxmox":
        files = {
            r.name: r.inputs["sourceRaw"]["data"]
            for r in registrations
            if r.type == "proxmoxve:index/fileLegacy:FileLegacy"
        }
        return {name.removesuffix("-user-data"): data for name, data in files.items()}
    out = {}
    for r in registrations:
        if r.type != SERVER_TYPES[target]:
            continue
        if target == "maas":
            out[r.name] = r.inputs["deployParams"]["userData"]
        elif target == "scaleway":
            out[r.name] = r.inputs["cloudInit"]
        else:
            out[r.name] = r.inputs["userData"]
    return out


def nft_ports(user_data: str) -> set[tuple[str, int]]:
    """(protocol, port) pairs the host firewall accepts, read from the nftables ruleset."""
    document = yaml.safe_load(user_data)
    ruleset = next(
        f["content"] for f in document["write_files"] if f["path"] == "/etc/nftables.conf"
    )
    return {(m[0], int(m[1])) for m in re.findall(r"\b(tcp|udp) dport (\d+) accept", ruleset)}
