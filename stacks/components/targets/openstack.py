"""OpenStack (``pulumi-openstack``; OVHcloud Public Cloud and private clouds): networks and
subnets, a security group per role (default rules deleted), anti-affinity server groups,
keypairs, instances and Cinder volumes, all in the provider's region (``openstack:region`` or
``OS_REGION_NAME``). Settings: ``image``, ``public_network`` (e.g. Ext-Net;
empty = private network only)."""

from __future__ import annotations

import pulumi
import pulumi_openstack as openstack
from components.fleet import Fleet, ServerContext
from components.layout import NetworkPlan
from components.rules import Rule


class OpenStackFleet(Fleet):
    has_placement_groups = True
    subnets: list[openstack.networking.Subnet]

    def create_ssh_keys(self, opts: pulumi.ResourceOptions) -> None:
        self.subnets = []  # filled by create_network, which runs next
        self.keypairs = [
            openstack.compute.Keypair(
                self.res_name("key", i), name=self.res_name("key", i), public_key=key, opts=opts
            )
            for i, key in enumerate(self.spec.ssh_public_keys)
        ]

    def create_network(self, net: NetworkPlan, opts: pulumi.ResourceOptions) -> pulumi.Resource:
        network = openstack.networking.Network(
            self.res_name("net", net.index), name=self.res_name("net", net.index), opts=opts
        )
        self.subnets.append(
            openstack.networking.Subnet(
                self.res_name("subnet", net.index),
                network_id=network.id,
                cidr=net.cidr,
                ip_version=4,
                gateway_ip=net.gateway,
                opts=pulumi.ResourceOptions(parent=network),
            )
        )
        return network

    def create_firewall(
        self, role: str, rules: tuple[Rule, ...], opts: pulumi.ResourceOptions
    ) -> pulumi.Resource:
        group = openstack.networking.SecGroup(
            self.res_name("sg", role),
            name=self.res_name("sg", role),
            description=f"exitplan {role}: deny by default",
            delete_default_rules=True,
            opts=opts,
        )
        child = pulumi.ResourceOptions(parent=group)
        for family in ("IPv4", "IPv6"):
            openstack.networking.SecGroupRule(
                f"{self.res_name('sg', role)}-egress-{family.lower()}",
                security_group_id=group.id,
                direction="egress",
                ethertype=family,
                opts=child,
            )
        for rule in rules:
            for j, source in enumerate(rule.sources):
                family = "IPv6" if ":" in source else "IPv4"
                openstack.networking.SecGroupRule(
                    f"{self.res_name('sg', role)}-{rule.protocol}{rule.port}-{j}",
                    security_group_id=group.id,
                    direction="ingress",
                    ethertype=family,
                    protocol=rule.protocol,
                    port_range_min=rule.port,
                    port_range_max=rule.port,
                    remote_ip_prefix=source,
                    description=rule.description,
                    opts=child,
                )
        return group

    def create_group(self, index: int, role: str, opts: pulumi.ResourceOptions) -> pulumi.Resource:
        return openstack.compute.ServerGroup(
            self.res_name("group", role, index),
            name=self.res_name("group", role, index),
            policies="anti-affinity",
            opts=opts,
        )

    def create_server(self, ctx: ServerContext) -> pulumi.Resource:
        server = ctx.server
        if not isinstance(ctx.firewall, openstack.networking.SecGroup):
            raise TypeError("expected the role's security group")
        networks = []
        public = self.spec.settings.get("public_network", "")
        if public:
            networks.append(openstack.compute.InstanceNetworkArgs(name=public))
        if isinstance(ctx.network_resource, openstack.networking.Network):
            networks.append(
                openstack.compute.InstanceNetworkArgs(
                    uuid=ctx.network_resource.id, fixed_ip_v4=ctx.address
                )
            )
        hints = []
        if isinstance(ctx.group, openstack.compute.ServerGroup):
            hints.append(openstack.compute.InstanceSchedulerHintArgs(group=ctx.group.id))
        instance = openstack.compute.Instance(
            server.name,
            name=server.name,
            flavor_name=server.offering,
            image_name=self.spec.setting("image"),
            key_pair=self.keypairs[0].name if self.keypairs else None,
            security_groups=[ctx.firewall.name],
            networks=networks,
            scheduler_hints=hints,
            user_data=ctx.user_data,
            metadata=self.labels(server.role),
            opts=pulumi.ResourceOptions.merge(
                ctx.opts, pulumi.ResourceOptions(depends_on=self.subnets)
            ),
        )
        for i, mount in enumerate(m for m in server.mounts if m.volume):
            volume = openstack.blockstorage.Volume(
                f"{server.name}-vol{i}",
                name=f"{server.name}-vol{i}",
                size=mount.size_gib,
                metadata={"mount": mount.mount_point},
                opts=pulumi.ResourceOptions(parent=instance),
            )
            openstack.compute.VolumeAttach(
                f"{server.name}-vol{i}-attach",
                instance_id=instance.id,
                volume_id=volume.id,
                opts=pulumi.ResourceOptions(parent=volume),
            )
        return instance

    def public_address(self, server: pulumi.Resource) -> pulumi.Output[str] | None:
        if isinstance(server, openstack.compute.Instance) and self.spec.settings.get(
            "public_network"
        ):
            return server.access_ip_v4
        return None


FLEET = OpenStackFleet
