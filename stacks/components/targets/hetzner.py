"""Hetzner Cloud (``pulumi-hcloud``): networks, firewalls, spread placement groups, servers,
volumes. Settings: ``image``, ``network_zone``."""

from __future__ import annotations

import pulumi
import pulumi_hcloud as hcloud
from components.fleet import Fleet, ServerContext
from components.layout import NetworkPlan
from components.rules import Rule


def _int_id(resource: pulumi.Resource | None) -> pulumi.Output[int]:
    if not isinstance(resource, pulumi.CustomResource):
        raise TypeError("expected a created Hetzner resource")
    return resource.id.apply(int)


class HetznerFleet(Fleet):
    has_placement_groups = True

    def create_ssh_keys(self, opts: pulumi.ResourceOptions) -> None:
        self.ssh_keys = [
            hcloud.SshKey(self.res_name("key", i), public_key=key, labels=self.labels(), opts=opts)
            for i, key in enumerate(self.spec.ssh_public_keys)
        ]

    def create_network(self, net: NetworkPlan, opts: pulumi.ResourceOptions) -> pulumi.Resource:
        network = hcloud.Network(
            self.res_name("net", net.index), ip_range=net.cidr, labels=self.labels(), opts=opts
        )
        hcloud.NetworkSubnet(
            self.res_name("subnet", net.index),
            network_id=network.id.apply(int),
            type="cloud",
            network_zone=self.spec.setting("network_zone"),
            ip_range=net.cidr,
            opts=pulumi.ResourceOptions(parent=network),
        )
        return network

    def create_firewall(
        self, role: str, rules: tuple[Rule, ...], opts: pulumi.ResourceOptions
    ) -> pulumi.Resource:
        return hcloud.Firewall(
            self.res_name("fw", role),
            rules=[
                hcloud.FirewallRuleArgs(
                    direction="in",
                    protocol=r.protocol,
                    port=str(r.port),
                    source_ips=list(r.sources),
                    description=r.description,
                )
                for r in rules
            ],
            labels=self.labels(role),
            opts=opts,
        )

    def create_group(self, index: int, role: str, opts: pulumi.ResourceOptions) -> pulumi.Resource:
        return hcloud.PlacementGroup(
            self.res_name("pg", role, index), type="spread", labels=self.labels(role), opts=opts
        )

    def create_server(self, ctx: ServerContext) -> pulumi.Resource:
        server = ctx.server
        depends = [r for r in (ctx.network_resource,) if r is not None]
        created = hcloud.Server(
            server.name,
            name=server.name,
            server_type=server.offering,
            image=self.spec.setting("image"),
            location=server.location,
            ssh_keys=[k.id for k in self.ssh_keys],
            firewall_ids=[_int_id(ctx.firewall)],
            placement_group_id=None if ctx.group is None else _int_id(ctx.group),
            networks=[
                hcloud.ServerNetworkArgs(network_id=_int_id(ctx.network_resource), ip=ctx.address)
            ],
            public_nets=[hcloud.ServerPublicNetArgs(ipv4_enabled=True, ipv6_enabled=True)],
            user_data=ctx.user_data,
            labels=self.labels(server.role),
            opts=pulumi.ResourceOptions.merge(ctx.opts, pulumi.ResourceOptions(depends_on=depends)),
        )
        for i, mount in enumerate(m for m in server.mounts if m.volume):
            hcloud.Volume(
                f"{server.name}-vol{i}",
                size=mount.size_gib,
                server_id=created.id.apply(int),
                automount=False,
                labels={
                    **self.labels(server.role),
                    "mount": mount.mount_point.strip("/") or "root",
                },
                opts=pulumi.ResourceOptions(parent=created),
            )
        return created

    def public_address(self, server: pulumi.Resource) -> pulumi.Output[str] | None:
        return server.ipv4_address if isinstance(server, hcloud.Server) else None


FLEET = HetznerFleet
