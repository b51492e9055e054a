"""Typed stack inputs: the ``fleet`` object of ``Pulumi.<stack>.yaml`` as frozen dataclasses.

``exitplan stacks config`` writes the object; :func:`fleet_spec` reads it back (from
``pulumi.Config().require_object("fleet")`` or a plain dict) and checks it, raising
:class:`SpecError` with the path of the first bad field. Pure standard library.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1
PROTOCOLS = ("tcp", "udp")


class SpecError(ValueError):
    """The stack config is not what this program understands."""


@dataclass(frozen=True)
class PortSpec:
    port: int
    protocol: str = "tcp"
    public: bool = False


@dataclass(frozen=True)
class RoleSpec:
    name: str
    packages: tuple[str, ...] = ()
    ports: tuple[PortSpec, ...] = ()


@dataclass(frozen=True)
class MountSpec:
    """A data mount point; ``volume`` = a provider block volume of ``size_gib`` backs it."""

    mount_point: str
    size_gib: int
    volume: bool = False


@dataclass(frozen=True)
class ServerSpec:
    name: str
    role: str
    offering: str
    location: str
    vcpus: int
    memory_mib: int
    disk_gib: int
    sources: tuple[str, ...] = ()
    mounts: tuple[MountSpec, ...] = ()


@dataclass(frozen=True)
class Limits:
    """Provider limits from the target catalog; ``None`` = no published limit."""

    servers_per_network: int | None = None
    servers_per_placement_group: int | None = None
    placement_groups: int | None = None
    volumes_per_server: int | None = None


@dataclass(frozen=True)
class FleetSpec:
    target: str
    name: str
    servers: tuple[ServerSpec, ...]
    roles: Mapping[str, RoleSpec]
    admin_user: str
    ssh_public_keys: tuple[str, ...]
    admin_cidrs: tuple[str, ...]
    ntp_servers: tuple[str, ...]
    base_packages: tuple[str, ...]
    private_cidr: str
    network_prefix_length: int
    limits: Limits = field(default_factory=Limits)
    settings: Mapping[str, str] = field(default_factory=dict)
    test_stack: bool = False

    def setting(self, key: str) -> str:
        """A provider setting (``settings:`` in the stack config); missing = :class:`SpecError`."""
        try:
            return self.settings[key]
        except KeyError:
            raise SpecError(f"fleet.settings.{key}: missing (set it in the stack config)") from None


def _get(data: Mapping[str, Any], key: str, path: str, kind: type | tuple[type, ...]) -> Any:
    if key not in data:
        raise SpecError(f"{path}.{key}: missing")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SpecError(f"{path}.{key}: expected {getattr(kind, '__name__', kind)}, got {value!r}")
    return value


def _strings(data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
    values = data.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise SpecError(f"{path}.{key}: expected a list of strings")
    return tuple(values)


def _limit(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SpecError(f"fleet.limits.{key}: expected a positive integer or null, got {value!r}")
    return value


def _cidr(value: str, path: str, ipv4_only: bool = False) -> str:
    try:
        if ipv4_only:
            return str(ipaddress.IPv4Network(value, strict=True))
        return str(ipaddress.ip_network(value, strict=True))
    except ValueError as exc:
        raise SpecError(f"{path}: {exc}") from None


def _role(name: str, data: Mapping[str, Any]) -> RoleSpec:
    path = f"fleet.roles.{name}"
    ports = []
    for i, item in enumerate(data.get("ports", [])):
        where = f"{path}.ports[{i}]"
        port = _get(item, "port", where, int)
        protocol = item.get("protocol", "tcp")
        if not 1 <= port <= 65535 or protocol not in PROTOCOLS:
            raise SpecError(f"{where}: invalid port {port}/{protocol}")
        ports.append(PortSpec(port, protocol, bool(item.get("public", False))))
    return RoleSpec(name, _strings(data, "packages", path), tuple(ports))


def _server(i: int, data: Mapping[str, Any], roles: Mapping[str, RoleSpec]) -> ServerSpec:
    path = f"fleet.servers[{i}]"
    role = _get(data, "role", path, str)
    if role not in roles:
        raise SpecError(f"{path}.role: {role!r} is not in fleet.roles")
    mounts = tuple(
        MountSpec(
            _get(m, "mount_point", f"{path}.mounts[{j}]", str),
            _get(m, "size_gib", f"{path}.mounts[{j}]", int),
            bool(m.get("volume", False)),
        )
        for j, m in enumerate(data.get("mounts", []))
    )
    return ServerSpec(
        name=_get(data, "name", path, str),
        role=role,
        offering=_get(data, "offering", path, str),
        location=_get(data, "location", path, str),
        vcpus=_get(data, "vcpus", path, int),
        memory_mib=_get(data, "memory_mib", path, int),
        disk_gib=_get(data, "disk_gib", path, int),
        sources=_strings(data, "sources", path),
        mounts=mounts,
    )


def fleet_spec(data: Mapping[str, Any]) -> FleetSpec:
    """Parse and check the ``fleet`` config object."""
    if not isinstance(data, Mapping):
        raise SpecError("fleet: expected an object")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise SpecError(f"fleet.schema_version: expected {SCHEMA_VERSION}")
    roles_data = _get(data, "roles", "fleet", dict)
    roles = {name: _role(name, r) for name, r in roles_data.items()}
    servers_data: Sequence[Mapping[str, Any]] = _get(data, "servers", "fleet", list)
    servers = tuple(_server(i, s, roles) for i, s in enumerate(servers_data))
    names = [s.name for s in servers]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SpecError(f"fleet.servers: duplicate names {', '.join(duplicates)}")
    limits = data.get("limits", {})
    settings = data.get("settings", {})
    if not all(isinstance(v, str) for v in settings.values()):
        raise SpecError("fleet.settings: values must be strings")
    return FleetSpec(
        target=_get(data, "target", "fleet", str),
        name=_get(data, "name", "fleet", str),
        servers=servers,
        roles=roles,
        admin_user=_get(data, "admin_user", "fleet", str),
        ssh_public_keys=_strings(data, "ssh_public_keys", "fleet"),
        admin_cidrs=tuple(
            _cidr(c, f"fleet.admin_cidrs[{i}]")
            for i, c in enumerate(_strings(data, "admin_cidrs", "fleet"))
        ),
        ntp_servers=_strings(data, "ntp_servers", "fleet"),
        base_packages=_strings(data, "base_packages", "fleet"),
        private_cidr=_cidr(_get(data, "private_cidr", "fleet", str), "fleet.private_cidr", True),
        network_prefix_length=_get(data, "network_prefix_length", "fleet", int),
        limits=Limits(
            servers_per_network=_limit(limits, "servers_per_network"),
            servers_per_placement_group=_limit(limits, "servers_per_placement_group"),
            placement_groups=_limit(limits, "placement_groups"),
            volumes_per_server=_limit(limits, "volumes_per_server"),
        ),
        settings=dict(settings),
        test_stack=bool(data.get("test_stack", False)),
    )
