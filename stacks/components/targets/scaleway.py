"""Scaleway Elastic Metal (``pulumiverse-scaleway``): IAM SSH keys, regional private networks,
bare-metal servers with the "Private Network" option and the base cloud-init. Elastic Metal has
no security groups or placement groups: the host's nftables is the firewall. The OS and option
ids are looked up per zone (``get_os``/``get_option``). Settings: ``os_name``, ``os_version``,
``private_network_option``.
"""

from __future__ import annotations

import pulumi
import pulumiverse_scaleway as scaleway
from components.fleet import Fleet, ServerContext
from components.layout import NetworkPlan


def _region(zone: str) -> str:
    """``fr-par-1`` -> ``fr-par``."""
    return zone.rsplit("-", 1)[0]


class ScalewayFleet(Fleet):
    def create_ssh_keys(self, opts: pulumi.ResourceOptions) -> None:
        self.ssh_keys = [
            scaleway.iam.SshKey(
                self.res_name("key", i), name=self.res_name("key", i), public_key=key, opts=opts
            )
            for i, key in enumerate(self.spec.ssh_public_keys)
        ]
        self._os: dict[str, pulumi.Output[str]] = {}
        self._option: dict[str, pulumi.Output[str]] = {}

    def create_network(self, net: NetworkPlan, opts: pulumi.ResourceOptions) -> pulumi.Resource:
        first = next(s for s in self.spec.servers if s.name == net.members[0])
        return scaleway.network.PrivateNetwork(
            self.res_name("pn", net.index),
            name=self.res_name("pn", net.index),
            region=_region(first.location),
            ipv4_subnet=scaleway.network.PrivateNetworkIpv4SubnetArgs(subnet=net.cidr),
            tags=[f"{k}={v}" for k, v in self.labels().items()],
            opts=opts,
        )

    def _lookups(self, zone: str) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
        if zone not in self._os:
            os = scaleway.elasticmetal.get_os_output(
                name=self.spec.setting("os_name"),
                version=self.spec.setting("os_version"),
                zone=zone,
            )
            option = scaleway.elasticmetal.get_option_output(
                name=self.spec.setting("private_network_option"), zone=zone
            )
            self._os[zone] = os.id
            self._option[zone] = option.id
        return self._os[zone], self._option[zone]

    def create_server(self, ctx: ServerContext) -> pulumi.Resource:
        server = ctx.server
        os_id, option_id = self._lookups(server.location)
        networks = []
        if isinstance(ctx.network_resource, scaleway.network.PrivateNetwork):
            networks.append(
                scaleway.elasticmetal.ServerPrivateNetworkArgs(id=ctx.network_resource.id)
            )
        return scaleway.elasticmetal.Server(
            server.name,
            name=server.name,
            hostname=server.name,
            offer=server.offering,
            zone=server.location,
            os=os_id,
            ssh_key_ids=[k.id for k in self.ssh_keys],
            cloud_init=ctx.user_data,
            options=[scaleway.elasticmetal.ServerOptionArgs(id=option_id)],
            private_networks=networks,
            tags=[f"{k}={v}" for k, v in self.labels(server.role).items()],
            opts=ctx.opts,
        )

    def public_address(self, server: pulumi.Resource) -> pulumi.Output[str] | None:
        if isinstance(server, scaleway.elasticmetal.Server):
            return server.ipv4s.apply(lambda ips: (ips[0].address or "") if ips else "")
        return None


FLEET = ScalewayFleet
