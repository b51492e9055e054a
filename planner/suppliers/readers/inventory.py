"""Supplier evidence in an inventory: what SSH discovery saw leaving the hosts.

Established connections (``servers[].connections``), configured resolvers
(``servers[].resolvers``) and configured mail relays (``servers[].mail_relays``: postfix
``relayhost``, exim smarthost, ...) become :class:`Endpoint` records when they reach outside:
private, loopback, link-local, shared (CGNAT), multicast and reserved addresses are not
suppliers, and neither are the inventory's own hosts (any of their addresses or host names) nor
relays named inside the fleet's own domains or private name spaces (``.internal``, ``.lan``, a
single label). Connections on SMTP ports are mail relays too. Host names in the lock-in
evidence discovery attached (an endpoint in a config file) become ``shost:`` tokens with that
file and line, and the OS of each server says which package archive it updates from
(``os:ubuntu``). Pure: model in, endpoints and tokens out.
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

    kind: str  # "connection", "resolver" or "mail-relay"
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


_PRIVATE_SUFFIXES = (
    ".internal",
    ".local",
    ".localdomain",
    ".lan",
    ".home.arpa",
    ".corp",
    ".intranet",
    ".private",
)


def is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def own_domains(inventory: Inventory) -> set[str]:
    """The DNS domains the fleet's own host names live in (``db-1.corp.example.com`` -> ...)."""
    domains: set[str] = set()
    for server in inventory.servers:
        name = (server.hostname or "").lower().rstrip(".")
        if "." in name and not is_address(name):
            domains.add(name.split(".", 1)[1])
    return domains


def is_internal_name(host: str, domains: set[str]) -> bool:
    """A relay name that stays inside: one label, a private suffix or one of the fleet's domains."""
    return (
        "." not in host
        or host.endswith(_PRIVATE_SUFFIXES)
        or any(host == d or host.endswith("." + d) for d in domains)
    )


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


def _where(path: str | None, line: int | None) -> str | None:
    return f"{path}:{line}" if path and line else path


def scan_inventory(
    inventory: Inventory, path: str, cat: SupplierCatalog, line: LineOf = _no_line
) -> tuple[list[Endpoint], list[Token]]:
    own = own_names(inventory)
    domains = own_domains(inventory)
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
        for j, relay in enumerate(server.mail_relays):
            host = relay.host.lower().rstrip(".")
            if host in own:
                continue
            if is_address(host):
                if not is_outside(host):
                    continue
            elif not cat.owner_of_host(host) and is_internal_name(host, domains):
                continue
            at = line("servers", index, "mail_relays", j) or line("servers", index)
            endpoints.append(
                Endpoint(
                    "mail-relay",
                    host,
                    None if is_address(host) else host,
                    relay.port,
                    " ".join(p for p in (relay.agent, _where(relay.path, relay.line)) if p),
                    server.id,
                    path,
                    at,
                    workload,
                )
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
