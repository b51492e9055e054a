"""MAAS bare metal (``pulumi-maas`` 1.0.3, the last release, 2023-08): allocate and deploy
machines with the base cloud-init. A machine class (the plan's offering) is picked by MAAS tag:
tag your machines with the class name. MAAS has no firewall or placement resource: the host's
nftables is the firewall. Private networks: one fabric + subnet per chunk, linked to the
interface named by the ``private_interface`` setting (empty = keep MAAS's own network config).
Settings: ``distro_series``, ``pool`` (empty = any), ``private_interface``.
"""

from __future__ import annotations

import pulumi
import pulumi_maas as maas
from components.fleet import Fleet, ServerContext
from components.layout import NetworkPlan


class MaasFleet(Fleet):
    def create_ssh_keys(self, opts: pulumi.ResourceOptions) -> None:
        """Keys go in through cloud-init (the MAAS user's own keys are added by MAAS)."""

    def create_network(
        self, net: NetworkPlan, opts: pulumi.ResourceOptions
    ) -> pulumi.Resource | None:
        if not self.spec.settings.get("private_interface"):
            return None
        fabric = maas.Fabric(
            self.res_name("fabric", net.index), name=self.res_name("fabric", net.index), opts=opts
        )
        return maas.Subnet(
            self.res_name("subnet", net.index),
            cidr=net.cidr,
            fabric=fabric.id,
            gateway_ip=net.gateway,
            name=self.res_name("subnet", net.index),
            opts=pulumi.ResourceOptions(parent=fabric),
        )

    def create_server(self, ctx: ServerContext) -> pulumi.Resource:
        server = ctx.server
        interface = self.spec.settings.get("private_interface", "")
        interfaces = []
        depends = []
        if interface and ctx.network_resource is not None:
            interfaces.append(
                maas.InstanceNetworkInterfaceArgs(
                    name=interface, subnet_cidr=ctx.network.cidr, ip_address=ctx.address
                )
            )
            depends.append(ctx.network_resource)
        return maas.Instance(
            server.name,
            allocate_params=maas.InstanceAllocateParamsArgs(
                hostname=server.name,
                min_cpu_count=server.vcpus,
                min_memory=server.memory_mib,
                pool=self.spec.settings.get("pool") or None,
                zone=None if server.location in ("default", "") else server.location,
                tags=[server.offering],
            ),
            deploy_params=maas.InstanceDeployParamsArgs(
                distro_series=self.spec.setting("distro_series"), user_data=ctx.user_data
            ),
            network_interfaces=interfaces,
            opts=pulumi.ResourceOptions.merge(ctx.opts, pulumi.ResourceOptions(depends_on=depends)),
        )

    def public_address(self, server: pulumi.Resource) -> pulumi.Output[str] | None:
        if isinstance(server, maas.Instance):
            return server.ip_addresses.apply(lambda ips: ips[0] if ips else "")
        return None


FLEET = MaasFleet
