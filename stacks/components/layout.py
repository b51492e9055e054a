"""Pure layout of a fleet: private networks split at the provider's limit, addresses, and
placement (anti-affinity) groups per role within their size and count limits."""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass

from components.spec import FleetSpec, ServerSpec, SpecError

FIRST_HOST_OFFSET = 10  # leave .1-.9 of every network to gateways and provider services


@dataclass(frozen=True)
class NetworkPlan:
    index: int
    cidr: str
    gateway: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class GroupPlan:
    index: int
    role: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    networks: tuple[NetworkPlan, ...]
    address: dict[str, str]  # server name -> private IPv4
    network_of: dict[str, int]  # server name -> network index
    groups: tuple[GroupPlan, ...]
    group_of: dict[str, int]  # server name -> group index (absent = no group)
    ungrouped: tuple[str, ...]  # servers left out because the group count limit was reached


def split_networks(spec: FleetSpec) -> tuple[NetworkPlan, ...]:
    """Consecutive chunks of at most ``servers_per_network`` servers, one subnet each."""
    servers = spec.servers
    per_network = spec.limits.servers_per_network or max(len(servers), 1)
    count = max(1, math.ceil(len(servers) / per_network))
    supernet = ipaddress.IPv4Network(spec.private_cidr)
    if spec.network_prefix_length < supernet.prefixlen:
        raise SpecError("fleet.network_prefix_length: shorter than private_cidr's prefix")
    available = 2 ** (spec.network_prefix_length - supernet.prefixlen)
    if count > available:
        raise SpecError(
            f"fleet.private_cidr: {count} networks of /{spec.network_prefix_length} needed, "
            f"{supernet} holds {available}"
        )
    subnets = supernet.subnets(new_prefix=spec.network_prefix_length)
    plans = []
    for index in range(count):
        net = next(subnets)
        members = tuple(s.name for s in servers[index * per_network : (index + 1) * per_network])
        if len(members) + FIRST_HOST_OFFSET + 1 > net.num_addresses:
            raise SpecError(f"fleet.network_prefix_length: /{net.prefixlen} is too small")
        plans.append(NetworkPlan(index, str(net), str(net.network_address + 1), members))
    return tuple(plans)


def placement_groups(spec: FleetSpec) -> tuple[tuple[GroupPlan, ...], tuple[str, ...]]:
    """Per role, chunks of at most ``servers_per_placement_group`` servers.

    Groups are handed out role by role until ``placement_groups`` (the project limit) is
    reached; the servers that find no group are returned separately (they still get built).
    """
    size = spec.limits.servers_per_placement_group
    by_role: dict[str, list[ServerSpec]] = {}
    for server in spec.servers:
        by_role.setdefault(server.role, []).append(server)
    groups: list[GroupPlan] = []
    left_out: list[str] = []
    for role in sorted(by_role):
        names = [s.name for s in by_role[role]]
        if len(names) < 2:
            continue  # anti-affinity needs two servers
        chunk = size or len(names)
        for start in range(0, len(names), chunk):
            members = tuple(names[start : start + chunk])
            limit = spec.limits.placement_groups
            if limit is not None and len(groups) >= limit:
                left_out.extend(members)
            else:
                groups.append(GroupPlan(len(groups), role, members))
    return tuple(groups), tuple(left_out)


def plan_layout(spec: FleetSpec, with_groups: bool = True) -> Layout:
    """Networks and addresses; placement groups only ``with_groups`` (the provider has them)."""
    networks = split_networks(spec)
    address: dict[str, str] = {}
    network_of: dict[str, int] = {}
    for net in networks:
        base = ipaddress.IPv4Network(net.cidr).network_address
        for i, name in enumerate(net.members):
            address[name] = str(base + FIRST_HOST_OFFSET + i)
            network_of[name] = net.index
    groups, left_out = placement_groups(spec) if with_groups else ((), ())
    group_of = {name: g.index for g in groups for name in g.members}
    return Layout(networks, address, network_of, groups, group_of, left_out)
