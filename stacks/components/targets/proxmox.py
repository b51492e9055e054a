"""Proxmox VE (``pulumi-proxmoxve``, bpg provider): an SDN zone with one VNet + subnet per
network chunk, VMs cloned from a cloud-init template, spread round-robin over the nodes per role
(anti-affinity by construction), the base user data as a snippet file, data volumes as extra
disks, and the VM firewall (input policy DROP + the role's rules). Settings: ``nodes``
(comma-separated), ``template_vm_id``, ``template_node`` (default: first node), ``first_vm_id``,
``datastore``, ``snippets_datastore``, ``public_bridge``, ``sdn_zone`` (at most 8 characters).
"""

from __future__ import annotations

import ipaddress

import pulumi
import pulumi_proxmoxve as proxmox
from components.fleet import Fleet, ServerContext
from components.layout import NetworkPlan
from components.spec import SpecError

ANY = ("0.0.0.0/0", "::/0")


class ProxmoxFleet(Fleet):
    vnets: list[proxmox.sdn.Vnet]

    def create_ssh_keys(self, opts: pulumi.ResourceOptions) -> None:
        """Keys go in through cloud-init; also sets up the SDN zone (runs before networks)."""
        self.nodes = [n.strip() for n in self.spec.setting("nodes").split(",") if n.strip()]
        if not self.nodes:
            raise SpecError("fleet.settings.nodes: list at least one Proxmox node")
        zone_id = self.spec.setting("sdn_zone")
        self.zone = proxmox.sdn.zone.Simple(
            self.res_name("zone"), resource_id=zone_id, nodes=self.nodes, opts=opts
        )
        self.vnets = []
        self.next_vm_id = int(self.spec.settings.get("first_vm_id", "10000"))
        self.placed: dict[str, int] = {}

    def create_network(self, net: NetworkPlan, opts: pulumi.ResourceOptions) -> pulumi.Resource:
        vnet = proxmox.sdn.Vnet(
            self.res_name("vnet", net.index),
            resource_id=f"xpnet{net.index}",
            zone=self.spec.setting("sdn_zone"),
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[self.zone])),
        )
        proxmox.sdn.Subnet(
            self.res_name("subnet", net.index),
            cidr=net.cidr,
            vnet=f"xpnet{net.index}",
            gateway=net.gateway,
            opts=pulumi.ResourceOptions(parent=vnet),
        )
        self.vnets.append(vnet)
        return vnet

    def create_server(self, ctx: ServerContext) -> pulumi.Resource:
        server = ctx.server
        turn = self.placed.get(server.role, 0)
        self.placed[server.role] = turn + 1
        node = self.nodes[turn % len(self.nodes)]
        vm_id = self.next_vm_id
        self.next_vm_id += 1
        datastore = self.spec.setting("datastore")
        snippet = proxmox.FileLegacy(
            f"{server.name}-user-data",
            node_name=node,
            datastore_id=self.spec.setting("snippets_datastore"),
            content_type="snippets",
            source_raw=proxmox.FileLegacySourceRawArgs(
                data=ctx.user_data, file_name=f"exitplan-{server.name}.yaml"
            ),
            opts=ctx.opts,
        )
        disks = [
            proxmox.VmLegacyDiskArgs(
                interface="virtio0", datastore_id=datastore, size=server.disk_gib
            )
        ]
        volumes = [m for m in server.mounts if m.volume]
        disks += [
            proxmox.VmLegacyDiskArgs(
                interface=f"virtio{i + 1}", datastore_id=datastore, size=m.size_gib
            )
            for i, m in enumerate(volumes)
        ]
        prefix = ipaddress.ip_network(ctx.network.cidr).prefixlen
        vm = proxmox.VmLegacy(
            server.name,
            name=server.name,
            node_name=node,
            vm_id=vm_id,
            clone=proxmox.VmLegacyCloneArgs(
                vm_id=int(self.spec.setting("template_vm_id")),
                node_name=self.spec.settings.get("template_node") or self.nodes[0],
                full=True,
            ),
            cpu=proxmox.VmLegacyCpuArgs(cores=server.vcpus, type="host"),
            memory=proxmox.VmLegacyMemoryArgs(dedicated=server.memory_mib),
            disks=disks,
            agent=proxmox.VmLegacyAgentArgs(enabled=True),
            network_devices=[
                proxmox.VmLegacyNetworkDeviceArgs(
                    bridge=self.spec.setting("public_bridge"), firewall=True
                ),
                proxmox.VmLegacyNetworkDeviceArgs(
                    bridge=f"xpnet{ctx.network.index}", firewall=True
                ),
            ],
            initialization=proxmox.VmLegacyInitializationArgs(
                datastore_id=datastore,
                ip_configs=[
                    proxmox.VmLegacyInitializationIpConfigArgs(
                        ipv4=proxmox.VmLegacyInitializationIpConfigIpv4Args(address="dhcp")
                    ),
                    proxmox.VmLegacyInitializationIpConfigArgs(
                        ipv4=proxmox.VmLegacyInitializationIpConfigIpv4Args(
                            address=f"{ctx.address}/{prefix}"
                        )
                    ),
                ],
                user_data_file_id=snippet.id,
            ),
            tags=["exitplan", server.role],
            opts=pulumi.ResourceOptions.merge(
                ctx.opts, pulumi.ResourceOptions(depends_on=[*self.vnets])
            ),
        )
        firewall = pulumi.ResourceOptions(parent=vm)
        proxmox.firewall.OptionsLegacy(
            f"{server.name}-fw-options",
            node_name=node,
            vm_id=vm_id,
            enabled=True,
            input_policy="DROP",
            output_policy="ACCEPT",
            opts=firewall,
        )
        proxmox.firewall.RulesLegacy(
            f"{server.name}-fw-rules",
            node_name=node,
            vm_id=vm_id,
            rules=[
                proxmox.firewall.RulesLegacyRuleArgs(
                    type="in",
                    action="ACCEPT",
                    proto=r.protocol,
                    dport=str(r.port),
                    source=None if r.sources == ANY else ",".join(r.sources),
                    comment=r.description,
                )
                for r in ctx.rules
            ],
            opts=firewall,
        )
        return vm

    def public_address(self, server: pulumi.Resource) -> pulumi.Output[str] | None:
        if isinstance(server, proxmox.VmLegacy):
            return server.ipv4_addresses.apply(
                lambda nics: next((ip for nic in nics or [] for ip in nic if ip), "")
            )
        return None


FLEET = ProxmoxFleet
