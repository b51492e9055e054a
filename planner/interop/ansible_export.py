"""Export servers as an Ansible YAML inventory, one group per role.

Hosts are named by server id, with ``ansible_host`` (address, else hostname; left out when it
equals the id), ``ansible_user``,
``ansible_port`` (when not 22) and a ``ProxyJump`` in ``ansible_ssh_common_args`` for jump hosts.
``exitplan_mount_points`` lists known mount points so playbooks can copy the data, and
``exitplan_role`` names the role of a host that is in several groups. Servers with
role ``unknown`` are ungrouped; ``group.NAME`` tags (from an Ansible import) become extra groups
again, so an inventory survives the round trip. Data stores are not hosts and are left out.
"""

from __future__ import annotations

from typing import Any

import yaml

from planner.interop.ansible_import import GROUP_TAG
from planner.interop.report import ExportResult, RowProblem
from planner.models import Inventory, Server

FORMAT = "ansible"

try:
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Dumper = yaml.SafeDumper


def _host_vars(server: Server) -> dict[str, Any]:
    variables: dict[str, Any] = {}
    target = server.address or server.hostname or server.private_address or server.public_address
    if target and target != server.id:
        variables["ansible_host"] = target
    if server.ssh.user:
        variables["ansible_user"] = server.ssh.user
    if server.ssh.port != 22:
        variables["ansible_port"] = server.ssh.port
    if server.ssh.jump_host:
        variables["ansible_ssh_common_args"] = f"-o ProxyJump={server.ssh.jump_host}"
    mounts = [v.mount_point for v in server.volumes if v.mount_point]
    if mounts:
        variables["exitplan_mount_points"] = mounts
    return variables


def export_ansible(inventory: Inventory) -> ExportResult:
    """Render the inventory's servers as an Ansible YAML inventory grouped by role."""
    result = ExportResult(format=FORMAT, text="")
    ungrouped: dict[str, Any] = {}
    groups: dict[str, dict[str, Any]] = {}
    for index, server in enumerate(inventory.servers):
        if any(ch.isspace() for ch in server.id) or server.id.startswith("["):
            result.problems.append(
                RowProblem(None, f"servers[{index}].id", f"{server.id!r} is not a usable host name")
            )
            continue
        variables = _host_vars(server)
        extras = [k[len(GROUP_TAG) :] for k in server.tags if k.startswith(GROUP_TAG)]
        if server.role != "unknown" and any(g != server.role for g in extras):
            variables["exitplan_role"] = server.role  # the role among several groups
        if server.role == "unknown":
            ungrouped[server.id] = variables or None
        else:
            groups.setdefault(server.role, {})[server.id] = variables or None
        for extra in extras:
            if extra != server.role:
                groups.setdefault(extra, {}).setdefault(server.id, None)
        result.records += 1
    root: dict[str, Any] = {}
    if ungrouped:
        root["hosts"] = ungrouped
    if groups:
        root["children"] = {name: {"hosts": hosts} for name, hosts in sorted(groups.items())}
    header = "# Ansible inventory written by exitplan: one group per role.\n"
    body = yaml.dump({"all": root}, Dumper=_Dumper, sort_keys=False, default_flow_style=False)
    result.text = header + body
    if inventory.data_stores:
        result.notes.append(
            f"{len(inventory.data_stores)} data stores not exported: they are not Ansible hosts"
        )
    return result
