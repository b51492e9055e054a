"""Build the ``fleet`` stack config from a capacity plan and the inventory (pure).

One stack server per target machine of the plan (``servers[].host``: consolidated source
servers share one); its role is the source servers' role (roles joined when several share a
machine). The inventory adds what the plan does not carry: listening ports (firewall rules),
data mount points and sizes, and processes (role packages). Limits come from the catalog.
Nothing secret is ever written: :func:`find_secrets` guards the document before it is saved.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from typing import Any

from planner.errors import InputError
from planner.models.capacity import CapacityPlan, ServerPlacement, Unplaced
from planner.models.catalog import Catalog
from planner.models.inventory import Inventory
from planner.models.server import Server
from planner.models.stacks import StackCatalog, StackOptions, StackTarget

GIB = 2**30
MIB = 2**20
SYSTEM_MOUNTS = {"/", "/boot", "/boot/efi", "[SWAP]", "swap", "none"}
BLOCK_VOLUME_TARGETS = {"hetzner", "openstack", "proxmox"}  # the stacks that create volumes
DEFAULT_DATA_MOUNT = "/srv/data"
SSH_PORT = 22
_PUBLIC_KEY = re.compile(
    r"^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)"
    r"@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\n]*)?$"
)
_SECRET_KEY = re.compile(r"(token|secret|passw(or)?d|private.?key|api.?key|credential)", re.I)
_SECRET_VALUE = re.compile(r"(-----BEGIN [A-Z ]*PRIVATE KEY-----|^secure:|\bsecure\b\s*:)", re.I)
_NAME = re.compile(r"[^a-z0-9-]+")


def check_public_key(text: str) -> str:
    """An OpenSSH public key line, or :class:`InputError` (private keys are refused)."""
    key = text.strip()
    if "PRIVATE KEY" in key:
        raise InputError("--ssh-key: that is a PRIVATE key; give the public key (.pub)")
    if not _PUBLIC_KEY.match(key):
        raise InputError(f"--ssh-key: not an OpenSSH public key: {key[:40]!r}...")
    return key


def find_secrets(document: Any, path: str = "") -> list[str]:
    """Paths of keys or values in ``document`` that look like secrets (empty = clean)."""
    found: list[str] = []
    if isinstance(document, dict):
        for key, value in document.items():
            where = f"{path}.{key}" if path else str(key)
            if _SECRET_KEY.search(str(key)):
                found.append(where)
            found += find_secrets(value, where)
    elif isinstance(document, list):
        for i, value in enumerate(document):
            found += find_secrets(value, f"{path}[{i}]")
    elif isinstance(document, str) and _SECRET_VALUE.search(document):
        found.append(path)
    return found


def resource_name(text: str) -> str:
    """A host name usable at every provider: lowercase letters, digits and dashes, <= 63."""
    name = _NAME.sub("-", text.lower()).strip("-")[:63].strip("-")
    return name or "server"


def _role_of(placements: list[ServerPlacement], servers: dict[str, Server]) -> str:
    roles = sorted({servers[p.id].role if p.id in servers else p.role for p in placements})
    joined = "-".join(roles) if len(roles) <= 3 else "mixed"
    return resource_name(joined)


def _mounts(
    sources: list[str], servers: dict[str, Server], placement: ServerPlacement, volumes: bool
) -> list[dict[str, Any]]:
    """Data mount points of the sources, sized to hold their data (GiB, rounded up)."""
    sizes: dict[str, int] = OrderedDict()
    for source in sources:
        server = servers.get(source)
        for volume in server.volumes if server else []:
            mount = volume.mount_point
            if mount is None or mount in SYSTEM_MOUNTS or not mount.startswith("/"):
                continue
            size = max(volume.size_bytes or 0, volume.used_bytes or 0)
            sizes[mount] = sizes.get(mount, 0) + size
    if volumes and placement.block_storage_bytes > 0 and not sizes:
        sizes[DEFAULT_DATA_MOUNT] = placement.block_storage_bytes
    backed = volumes and placement.block_storage_bytes > 0
    return [
        {"mount_point": m, "size_gib": max(1, math.ceil(b / GIB)), "volume": backed}
        for m, b in sizes.items()
    ]


def _ports(servers: list[Server], public: set[int]) -> list[dict[str, Any]]:
    seen: dict[tuple[int, str], dict[str, Any]] = {}
    for server in servers:
        for service in server.services:
            address = service.address or ""
            if service.port in (0, SSH_PORT) or address.startswith(("127.", "::1", "[::1]")):
                continue
            key = (service.port, service.protocol)
            seen[key] = {
                "port": service.port,
                "protocol": service.protocol,
                "public": service.port in public,
            }
    return [seen[k] for k in sorted(seen)]


def _packages(
    role: str, servers: list[Server], stack_catalog: StackCatalog, options: StackOptions
) -> list[str]:
    if role in options.role_packages:
        return list(options.role_packages[role])
    base = stack_catalog.base
    packages: list[str] = []
    for server in servers:
        for service in server.services:
            packages += base.packages_by_process.get(service.process or "", [])
            packages += base.packages_by_port.get(service.port, [])
    return sorted(set(packages))


def _settings(
    target_name: str, target: StackTarget, catalog: Catalog, options: StackOptions
) -> dict[str, str]:
    settings = dict(target.settings)
    settings.update(target.provider_settings.get(catalog.provider, {}))
    settings.update(options.settings)
    return settings


def _limits(catalog: Catalog) -> dict[str, int | None]:
    limits = catalog.limits

    def whole(value: float | None) -> int | None:
        return None if value is None else int(value)

    storage = limits.block_storage
    return {
        "servers_per_network": whole(limits.servers_per_network.effective),
        "servers_per_placement_group": whole(limits.servers_per_placement_group.effective),
        "placement_groups": whole(limits.placement_groups_per_project.effective),
        "volumes_per_server": None if storage is None else storage.max_volumes_per_server,
    }


def build_fleet_config(
    capacity: CapacityPlan,
    catalog: Catalog,
    stack_catalog: StackCatalog,
    options: StackOptions,
    inventory: Inventory | None,
) -> tuple[dict[str, Any], list[str]]:
    """The ``fleet`` config object and the warnings worth telling the user."""
    target = stack_catalog.targets[options.target]
    warnings: list[str] = []
    servers = {s.id: s for s in inventory.servers} if inventory else {}
    if inventory is None:
        warnings.append(
            "no --inventory: service ports and data mounts are unknown (roles come from the plan;"
            " only SSH is opened)"
        )
    hosts: OrderedDict[str, list[ServerPlacement]] = OrderedDict()
    for placement in capacity.servers:
        hosts.setdefault(placement.host, []).append(placement)
    limits = _limits(catalog)
    volumes_ok = options.target in BLOCK_VOLUME_TARGETS
    public = set(
        stack_catalog.base.public_ports if options.public_ports is None else options.public_ports
    )
    entries: list[dict[str, Any]] = []
    role_sources: dict[str, list[Server]] = {}
    used_names: set[str] = set()
    for host, placements in hosts.items():
        first = placements[0]
        sources = [p.id for p in placements]
        role = _role_of(placements, servers)
        name = resource_name(host)
        while name in used_names:
            name = resource_name(f"{name[:58]}-{len(used_names)}")
        used_names.add(name)
        offering = catalog.offering(first.offering)
        local_bytes = sum(g.count * g.size_bytes for g in offering.disks)
        mounts = _mounts(sources, servers, first, volumes_ok)
        cap = limits["volumes_per_server"]
        backed = [m for m in mounts if m["volume"]]
        if cap is not None and len(backed) > cap:
            warnings.append(f"{name}: {len(backed)} data volumes, the provider allows {cap}")
        entries.append(
            {
                "name": name,
                "role": role,
                "offering": offering.name if options.target == "scaleway" else offering.id,
                "location": first.location,
                "vcpus": offering.vcpus,
                "memory_mib": offering.memory_bytes // MIB,
                "disk_gib": max(1, math.ceil((local_bytes or first.disk_bytes) / GIB)),
                "sources": sources,
                "mounts": mounts,
            }
        )
        role_sources.setdefault(role, []).extend(servers[s] for s in sources if s in servers)
    if options.test_stack:
        first_of_role: dict[str, dict[str, Any]] = {}
        for entry in entries:
            first_of_role.setdefault(entry["role"], entry)
        entries = list(first_of_role.values())
    roles = {
        role: {
            "packages": _packages(role, role_sources.get(role, []), stack_catalog, options),
            "ports": _ports(role_sources.get(role, []), public),
        }
        for role in sorted({e["role"] for e in entries})
    }
    locations = sorted({e["location"] for e in entries})
    if options.target == "openstack" and len(locations) > 1:
        warnings.append(f"the plan uses {len(locations)} regions; an OpenStack stack uses one")
    if not options.ssh_public_keys:
        warnings.append("no --ssh-key: nobody can log in to the servers")
    if not options.admin_cidrs:
        warnings.append("no --admin-cidr: SSH is open only inside the fleet's private range")
    base = stack_catalog.base
    document = {
        "schema_version": 1,
        "target": options.target,
        "catalog_provider": catalog.provider,
        "name": options.name,
        "test_stack": options.test_stack,
        "admin_user": base.admin_user,
        "ssh_public_keys": [check_public_key(k) for k in options.ssh_public_keys],
        "admin_cidrs": list(options.admin_cidrs),
        "ntp_servers": list(base.ntp_servers),
        "base_packages": list(base.packages),
        "private_cidr": base.private_cidr,
        "network_prefix_length": base.network_prefix_length,
        "limits": limits,
        "settings": _settings(options.target, target, catalog, options),
        "roles": roles,
        "servers": entries,
    }
    return document, warnings


def left_out_text(unplaced: list[Unplaced]) -> str | None:
    """Why planned servers are not in the stack, from the plan's ``capacity.unplaced`` reasons:
    out of stock (an offering fits, none is available) apart from no offering fitting at all."""
    if not unplaced:
        return None
    stock = sum(1 for u in unplaced if u.kind == "out-of-stock")
    fit = len(unplaced) - stock
    stock_text = "out of stock: an offering fits them but none is available"
    fit_text = "no offering fits them"
    why = (
        stock_text
        if not fit
        else fit_text
        if not stock
        else f"{stock} {stock_text}; {fit}: {fit_text}"
    )
    return f"{len(unplaced)} planned servers are not in the stack ({why})"
