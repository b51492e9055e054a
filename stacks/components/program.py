"""The body of every stack's ``__main__.py``: read the config, build the fleet, export outputs.

``main("hetzner")`` reads ``<project>:fleet`` (written by ``exitplan stacks config``), builds the
target's :class:`~components.fleet.Fleet` and exports: ``servers`` (count), ``servers_by_role``,
``networks`` (cidr and server count each), ``placement_groups``, ``private_ips`` (name -> IP),
``public_ips`` (as the provider reports them), ``ungrouped`` and ``test_stack``.
"""

from __future__ import annotations

import importlib
from collections import Counter

import pulumi

from components.fleet import Fleet, FleetArgs
from components.spec import fleet_spec

TARGETS = ("hetzner", "scaleway", "proxmox", "openstack", "maas")


def fleet_class(target: str) -> type[Fleet]:
    if target not in TARGETS:
        raise ValueError(f"unknown stack target {target!r} (known: {', '.join(TARGETS)})")
    module = importlib.import_module(f"components.targets.{target}")
    cls: type[Fleet] = module.FLEET
    return cls


def main(target: str) -> Fleet:
    config = pulumi.Config()
    spec = fleet_spec(config.require_object("fleet"))
    if spec.target != target:
        raise ValueError(f"this stack config is for {spec.target!r}, this project is {target!r}")
    fleet = fleet_class(target)(spec.name, FleetArgs(spec=spec))
    layout = fleet.layout
    pulumi.export("servers", len(spec.servers))
    pulumi.export("servers_by_role", dict(sorted(Counter(s.role for s in spec.servers).items())))
    pulumi.export(
        "networks", [{"cidr": n.cidr, "servers": len(n.members)} for n in layout.networks]
    )
    pulumi.export("placement_groups", sum(1 for g in fleet.groups if g is not None))
    pulumi.export("private_ips", dict(layout.address))
    public = {
        name: address
        for name, resource in fleet.servers.items()
        if (address := fleet.public_address(resource)) is not None
    }
    pulumi.export("public_ips", public)
    pulumi.export("ungrouped", list(layout.ungrouped))
    pulumi.export("test_stack", spec.test_stack)
    return fleet
