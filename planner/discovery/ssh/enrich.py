"""Merge SSH facts into an inventory (pure): measured values win and say so in ``provenance``.

Per server: OS, vCPUs, memory, volumes (used bytes and file count, matched to existing volumes
by mount point, EBS volume id from the NVMe serial, or device), change rate, listening services,
resolvers, mail relays and lock-in evidence. Across servers: an established connection to another
inventory host becomes a dependency of the client side (the side whose local port is not
listening); other outbound connections are kept as ``connections``. NFS mounts of an inventory
host and provider endpoints, EFS mounts and ECR images add dependencies too (``aws:SERVICE``
for the latter).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from planner.discovery.ssh.facts import BlockDevice, FileSystem, HostFacts, HostResult
from planner.discovery.ssh.probes.base import is_loopback, normalize_address
from planner.discovery.ssh.probes.block_devices import is_partition_of
from planner.models import (
    Connection,
    Inventory,
    ListeningService,
    OperatingSystem,
    Provenance,
    Server,
    Volume,
)

MAX_CONNECTIONS = 500
_DEPENDENCY_SIGNALS = ("mount:", "config:endpoint", "container-image")


def _ip(text: str | None) -> str | None:
    address = normalize_address(text)
    if address is None:
        return None
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _own_addresses(server: Server, result: HostResult | None) -> set[str]:
    found = {
        _ip(a)
        for a in (server.address, server.private_address, server.public_address, server.hostname)
    }
    if result is not None:
        host = result.target.split(" via ", 1)[0].rpartition("@")[2].rpartition(":")[0]
        found.add(_ip(host))
        if result.facts is not None:
            found.update(_ip(a) for a in result.facts.addresses)
    return {a for a in found if a is not None}


def _address_index(owners: Mapping[str, set[str]]) -> dict[str, str]:
    """Address -> server id, leaving out addresses that several servers claim."""
    index: dict[str, str] = {}
    shared: set[str] = set()
    for server_id, addresses in owners.items():
        for address in addresses:
            if address in index and index[address] != server_id:
                shared.add(address)
            index.setdefault(address, server_id)
    return {a: s for a, s in index.items() if a not in shared}


def _volume_id(fs: FileSystem, devices: Mapping[str, BlockDevice]) -> str | None:
    device = devices.get(fs.device.removeprefix("/dev/mapper/").removeprefix("/dev/"))
    while device is not None and device.kind in ("part", "lvm", "crypt") and device.parent:
        parent = devices.get(device.parent)
        if parent is None:
            break
        device = parent
    serial = device.serial if device is not None else None
    if serial and serial.startswith("vol") and not serial.startswith("vol-"):
        return "vol-" + serial[3:]
    return serial if serial and serial.startswith("vol-") else None


def _matches(volume: Volume, fs: FileSystem, volume_id: str | None) -> bool:
    if volume.mount_point is not None:
        return volume.mount_point == fs.mount_point
    if volume_id is not None and volume.id == volume_id:
        return True
    if volume.device is None:
        return False
    known, seen = volume.device.removeprefix("/dev/"), fs.device.removeprefix("/dev/")
    return known == seen or is_partition_of(seen, known)


def merge_volumes(existing: list[Volume], facts: HostFacts) -> list[Volume]:
    """Measured file systems, carrying over what the inventory knew about the same volume."""
    devices = {d.name: d for d in facts.block_devices}
    left = list(existing)
    merged: list[Volume] = []
    for fs in facts.filesystems:
        volume_id = _volume_id(fs, devices)
        base = next((v for v in left if _matches(v, fs, volume_id)), None)
        if base is not None:
            left.remove(base)
        base = base or Volume()
        size = base.size_bytes
        if size is None or (fs.used_bytes is not None and size < fs.used_bytes):
            size = fs.size_bytes
        update: dict[str, Any] = {
            "id": base.id or volume_id,
            "device": fs.device,
            "mount_point": fs.mount_point,
            "filesystem": fs.fstype or base.filesystem,
            "size_bytes": size,
            "used_bytes": fs.used_bytes,
            "file_count": fs.inodes_used,
        }
        merged.append(base.model_copy(update=update))
    return merged + left


def _unique(items: Iterable[Any]) -> list[Any]:
    """Items in order without repeats (models compare by value: keyed by their repr)."""
    seen: dict[str, Any] = {}
    for item in items:
        seen.setdefault(repr(item), item)
    return list(seen.values())


def _services(facts: HostFacts) -> list[ListeningService]:
    return _unique(
        ListeningService(
            port=s.local_port, protocol=s.protocol, address=s.local_address, process=s.process
        )
        for s in facts.listening
    )


def _apply_host(server: Server, facts: HostFacts) -> None:
    measured: list[str] = []
    if facts.os is not None:
        os = facts.os
        server.os = OperatingSystem(
            name=os.id or server.os.name,
            version=os.version_id or server.os.version,
            kernel=os.kernel or server.os.kernel,
            family=os.family or server.os.family,
            architecture=os.architecture or server.os.architecture,
        )
        server.platform = "linux"
        measured += ["os", "platform"]
    if server.hostname is None and facts.hostname:
        server.hostname = facts.hostname
        measured.append("hostname")
    for name in ("vcpus", "memory_bytes", "change_rate_bytes_per_second"):
        value = getattr(facts, name)
        if value is not None:
            setattr(server, name, value)
            measured.append(name)
    if facts.filesystems:
        server.volumes = merge_volumes(server.volumes, facts)
        measured.append("volumes")
    if facts.listening:
        server.services = _services(facts)
        measured.append("services")
    if facts.resolvers:
        server.resolvers = list(facts.resolvers)
        measured.append("resolvers")
    if facts.mail_relays:
        server.mail_relays = _unique(facts.mail_relays)
        measured.append("mail_relays")
    kept = [e for e in server.lockin if e.origin != "ssh"]
    server.lockin = kept + _unique(facts.evidence)
    measured.append("lockin")
    for name in measured:
        server.provenance[name] = Provenance.MEASURED


def _edges(
    server: Server,
    facts: HostFacts,
    own: set[str],
    index: Mapping[str, str],
    edges: dict[str, list[str]],
) -> list[Connection]:
    """Record dependency edges (client -> server id) and return the other outbound connections."""
    listening = {s.local_port for s in facts.listening if s.protocol == "tcp"}
    outbound: list[Connection] = []
    for conn in facts.connections:
        local, remote = _ip(conn.local_address), _ip(conn.remote_address)
        if remote is None or conn.remote_port is None or remote in own:
            continue
        if local is not None and is_loopback(local) and local not in own:
            continue  # another host's loopback traffic (only seen when hosts share a machine)
        other = index.get(remote)
        if other is not None and other != server.id:
            client, target = (
                (other, server.id) if conn.local_port in listening else (server.id, other)
            )
            edges.setdefault(client, []).append(target)
        elif not is_loopback(remote) and conn.local_port not in listening:
            outbound.append(
                Connection(
                    remote_address=remote, remote_port=conn.remote_port, process=conn.process
                )
            )
    for mount in facts.network_mounts:
        other = index.get(_ip(mount.server) or "")
        if other is not None and other != server.id:
            edges.setdefault(server.id, []).append(other)
    for item in facts.evidence:
        if item.signal.startswith(_DEPENDENCY_SIGNALS):
            edges.setdefault(server.id, []).append(f"aws:{item.service}")
    return _unique(outbound)[:MAX_CONNECTIONS]


def summary(results: Mapping[str, HostResult], servers: Iterable[Server]) -> dict[str, Any]:
    """The ``metadata.discovery.ssh`` block: counts, per-host status and every error."""
    ids = [s.id for s in servers]
    statuses = {i: results[i].status if i in results else "pending" for i in ids}
    counts = {k: sum(1 for s in statuses.values() if s == k) for k in ("ok", "partial", "failed")}
    counts["pending"] = sum(1 for s in statuses.values() if s == "pending")
    return {
        "schema_version": 1,
        "hosts": {"total": len(ids), **counts},
        "results": {
            i: {
                "status": results[i].status,
                "target": results[i].target,
                "seconds": results[i].seconds,
            }
            for i in ids
            if i in results
        },
        "errors": [
            {"server": i, "stage": e.stage, "reason": e.reason}
            for i in ids
            if i in results
            for e in results[i].errors
        ],
    }


def enrich(
    inventory: Inventory, results: Mapping[str, HostResult], run: Mapping[str, Any] | None = None
) -> Inventory:
    """A new inventory with every host's facts merged in and ``metadata.discovery.ssh`` set."""
    servers = [s.model_copy(deep=True) for s in inventory.servers]
    owners = {s.id: _own_addresses(s, results.get(s.id)) for s in servers}
    index = _address_index(owners)
    edges: dict[str, list[str]] = {}
    for server in servers:
        result = results.get(server.id)
        if result is None or result.facts is None:
            continue
        _apply_host(server, result.facts)
        server.connections = _edges(server, result.facts, owners[server.id], index, edges)
        server.provenance["connections"] = Provenance.MEASURED
    for server in servers:
        new = [d for d in edges.get(server.id, []) if d != server.id]
        if new:
            server.dependencies = _unique([*server.dependencies, *new])
            server.provenance["dependencies"] = Provenance.MEASURED
    metadata = dict(inventory.metadata)
    discovery = dict(metadata.get("discovery") or {})
    discovery["ssh"] = {**(run or {}), **summary(results, servers)}
    metadata["discovery"] = discovery
    return inventory.model_copy(update={"servers": servers, "metadata": metadata})
