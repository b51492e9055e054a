"""DNS resolvers and search domains (``/etc/resolv.conf``, systemd-resolved's upstream list).

When ``/etc/resolv.conf`` points at systemd-resolved's local stub (127.0.0.53), the upstream
servers in ``/run/systemd/resolve/resolv.conf`` are the ones that matter for a move.
"""

from __future__ import annotations

from pydantic import Field

from planner.discovery.ssh.facts import HostFacts
from planner.discovery.ssh.probes.base import Probe, evidence, normalize_address, sections
from planner.discovery.ssh.signals import HostSignals
from planner.models.base import Model

_STUBS = {"127.0.0.53", "127.0.0.54"}


class Resolvers(Model):
    nameservers: list[str] = Field(default_factory=list)
    search: list[str] = Field(default_factory=list)
    upstream: list[str] = Field(default_factory=list, description="systemd-resolved upstreams")


def _read(lines: list[str]) -> tuple[list[str], list[str]]:
    servers: list[str] = []
    search: list[str] = []
    for line in lines:
        tokens = line.split()
        if not tokens or tokens[0].startswith(("#", ";")):
            continue
        if tokens[0] == "nameserver" and len(tokens) > 1:
            address = normalize_address(tokens[1])
            if address and address not in servers:
                servers.append(address)
        elif tokens[0] in ("search", "domain"):
            search.extend(d for d in tokens[1:] if d not in search)
    return servers, search


def parse(output: str) -> Resolvers:
    parts = sections(output, ("resolv.conf", "resolved"))
    servers, search = _read(parts["resolv.conf"])
    upstream, _ = _read(parts["resolved"])
    return Resolvers(nameservers=servers, search=search, upstream=upstream)


def effective(value: Resolvers) -> list[str]:
    """The resolvers queries really go to: upstreams replace systemd-resolved's stub."""
    if value.upstream and set(value.nameservers) <= _STUBS:
        return value.upstream
    return value.nameservers


def contribute(value: Resolvers, signals: HostSignals) -> HostFacts:
    resolvers = effective(value)
    found = []
    for address in resolvers:
        signal = signals.address_signal(address)
        if signal is not None:
            found.append(evidence(signal.service, f"resolver:{signal.signal}", address))
    for domain in value.search:
        service = signals.search_domain_service(domain)
        if service is not None:
            found.append(evidence(service, "search-domain", domain, "/etc/resolv.conf"))
    return HostFacts(resolvers=resolvers, search_domains=value.search, evidence=found)


PROBE = Probe("resolvers", parse, contribute)
