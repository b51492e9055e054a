"""The provider-neutral fleet component: servers grouped by role, networks, firewalls, groups.

:class:`Fleet` lays the fleet out (pure :mod:`components.layout`), then calls small hooks that a
provider module implements (``targets/<provider>.py``): SSH keys, one private network per chunk,
one firewall per role, one placement group per chunk of a role, one server (plus its volumes).
The resource tree is ``Fleet -> networks, firewalls, groups, keys; Role -> servers``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components.layout import Layout, NetworkPlan, plan_layout
from components.rules import Rule, role_rules
from components.spec import FleetSpec, ServerSpec
from components.userdata import user_data

TYPE_PREFIX = "exitplan:stacks"


@dataclass
class FleetArgs:
    """Inputs of a :class:`Fleet` (the parsed stack config)."""

    spec: FleetSpec


@dataclass
class ServerContext:
    """Everything a provider hook needs to build one server."""

    server: ServerSpec
    address: str
    network: NetworkPlan
    network_resource: pulumi.Resource | None
    firewall: pulumi.Resource | None
    group: pulumi.Resource | None
    user_data: str
    rules: tuple[Rule, ...]
    opts: pulumi.ResourceOptions


class Role(pulumi.ComponentResource):
    """The servers of one role (a parent in the resource tree)."""

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(f"{TYPE_PREFIX}:Role", name, None, opts)
        self.servers: list[pulumi.Resource] = []


class Fleet(pulumi.ComponentResource):
    """Base class; a provider subclass implements the ``create_*`` hooks."""

    has_placement_groups = False  # True: create_group is called for each planned group

    def __init__(
        self, name: str, args: FleetArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(f"{TYPE_PREFIX}:Fleet", name, None, opts)
        spec = args.spec
        self.spec = spec
        self.layout: Layout = plan_layout(spec, self.has_placement_groups)
        child = pulumi.ResourceOptions(parent=self)
        self.create_ssh_keys(child)
        self.networks = [self.create_network(net, child) for net in self.layout.networks]
        self.rules = {name: role_rules(spec, role) for name, role in spec.roles.items()}
        used_roles = sorted({s.role for s in spec.servers})
        self.firewalls = {r: self.create_firewall(r, self.rules[r], child) for r in used_roles}
        self.groups = [self.create_group(g.index, g.role, child) for g in self.layout.groups]
        self.roles = {
            r: Role(f"{name}-{r}", pulumi.ResourceOptions(parent=self)) for r in used_roles
        }
        self.servers: dict[str, pulumi.Resource] = {}
        for server in spec.servers:
            net_index = self.layout.network_of[server.name]
            group_index = self.layout.group_of.get(server.name)
            context = ServerContext(
                server=server,
                address=self.layout.address[server.name],
                network=self.layout.networks[net_index],
                network_resource=self.networks[net_index],
                firewall=self.firewalls[server.role],
                group=None if group_index is None else self.groups[group_index],
                user_data=user_data(spec, server, self.rules[server.role]),
                rules=self.rules[server.role],
                opts=pulumi.ResourceOptions(parent=self.roles[server.role]),
            )
            resource = self.create_server(context)
            self.servers[server.name] = resource
            self.roles[server.role].servers.append(resource)
        self.register_outputs({"servers": len(self.servers)})

    # --- hooks a provider implements ------------------------------------------------------
    def create_ssh_keys(self, opts: pulumi.ResourceOptions) -> None:
        raise NotImplementedError

    def create_network(
        self, net: NetworkPlan, opts: pulumi.ResourceOptions
    ) -> pulumi.Resource | None:
        raise NotImplementedError

    def create_firewall(
        self, role: str, rules: tuple[Rule, ...], opts: pulumi.ResourceOptions
    ) -> pulumi.Resource | None:
        """A provider firewall for ``role``; ``None`` = the host's nftables only."""
        return None

    def create_group(
        self, index: int, role: str, opts: pulumi.ResourceOptions
    ) -> pulumi.Resource | None:
        """A placement/anti-affinity group; ``None`` = the provider has none."""
        return None

    def create_server(self, ctx: ServerContext) -> pulumi.Resource:
        raise NotImplementedError

    def public_address(self, server: pulumi.Resource) -> pulumi.Output[str] | None:
        """The server's public IPv4 address as the provider reports it, if it has one."""
        return None

    # --- names ----------------------------------------------------------------------------
    def res_name(self, *parts: object) -> str:
        return "-".join([self.spec.name, *(str(p) for p in parts)])

    def labels(self, role: str | None = None) -> dict[str, str]:
        base = {"managed-by": "exitplan", "fleet": self.spec.name}
        return {**base, "role": role} if role else base
