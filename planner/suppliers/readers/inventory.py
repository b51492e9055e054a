"""Supplier evidence in an inventory: what SSH discovery saw leaving the hosts.

Established connections (``servers[].connections``) and configured resolvers
(``servers[].resolvers``) become :class:`Endpoint` records when they reach outside: private,
loopback, link-local, shared (CGNAT), multicast and reserved addresses are not suppliers, and
neither are the inventory's own hosts (any of their addresses or host names). Connections on SMTP
ports are the hosts' mail relays. Host names in the lock-in evidence discovery attached (a
``relayhost`` line in ``/etc/postfix/main.cf``, an endpoint in a config file) become ``shost:``
tokens with that file and line, and the OS of each server says which package archive it updates
from (``os:ubuntu``). Pure: model in, endpoints and tokens out.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

from planner.audit.observations import Token
from planner.models import Inventory
from planner.suppliers.catalog import HOST_CANDIDATE, SupplierCatalog

LineOf = Callable[..., int | None]


@dataclass(frozen=True)
class Endpoint:
    """An outside address a host talks to (a connection) or asks (a resolver)."""

    kind: str  # "connection" or "resolver"
    address: str
    host: str | None
    port: int | None
    process: str | None
    server: str
    path: str
    line: int | None
    workload: str


def _no_line(*_: str | int) -> int | None:
    return None


def is_outside(address: str) -> bool:
    """True for a global unicast address; False for private, loopback, link-local, CGNAT ..."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def own_names(inventory: Inventory) -> set[str]:
    """Every address and host name of the inventory's servers, lower case."""
    names: set[str] = set()
    for server in inventory.servers:
        for value in (
            server.address,
            server.private_address,
            server.public_address,
            server.hostname,
        ):
            if value:
                names.add(value.lower().rstrip("."))
    return names


def scan_inventory(
    inventory: Inventory, path: str, cat: SupplierCatalog, line: LineOf = _no_line
) -> tuple[list[Endpoint], list[Token]]:
    own = own_names(inventory)
    endpoints: list[Endpoint] = []
    tokens: list[Token] = []
    for index, server in enumerate(inventory.servers):
        workload = f"role:{server.role}"
        for j, conn in enumerate(server.connections):
            host = (conn.remote_host or "").lower().rstrip(".") or None
            if conn.remote_address.lower() in own or (host and host in own):
                continue
            if not is_outside(conn.remote_address) and not (host and cat.owner_of_host(host)):
                continue
            endpoints.append(
                Endpoint(
                    "connection",
                    conn.remote_address,
                    host,
                    conn.remote_port,
                    conn.process,
                    server.id,
                    path,
                    line("servers", index, "connections", j) or line("servers", index),
                    workload,
                )
            )
        for address in server.resolvers:
            if address.lower() in own or not is_outside(address):
                continue
            at = line("servers", index, "resolvers") or line("servers", index)
            endpoints.append(
                Endpoint("resolver", address, None, 53, None, server.id, path, at, workload)
            )
        os_name = (server.os.name or "").lower()
        if os_name:
            at = line("servers", index, "os") or line("servers", index)
            tokens.append(
                Token(f"os:{os_name}", path, at, workload, "inventory", f"os:{os_name}", server.id)
            )
        for j, ev in enumerate(server.lockin):
            at = ev.line or line("servers", index, "lockin", j) or line("servers", index)
            for text in (ev.detail or "", ev.signal):
                for m in HOST_CANDIDATE.finditer(text):
                    host = m.group(1).lower()
                    if cat.owner_of_host(host):
                        where = ev.path or path
                        tokens.append(
                            Token(
                                f"shost:{host}",
                                where,
                                at,
                                workload,
                                f"inventory:{ev.origin}",
                                f"config:{host}",
                                server.id,
                            )
                        )
    return endpoints, tokens
