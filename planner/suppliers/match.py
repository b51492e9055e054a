"""Map observations, outside endpoints and DNS records to suppliers with the rule catalogue.

IaC resources match every rule whose type glob (and attribute condition) fits, so one
``cloudflare_record`` with ``proxied = true`` is evidence of both Cloudflare DNS and the CDN.
Tokens match by kind (packages, imports, host names, environment variables, configuration keys,
files, the lock-in readers' SDK and pattern tokens, service ids from discovery, OS ids).
Endpoints (connections, resolvers, configured mail relays) match by host name, then by
published address range; an outside endpoint no rule claims becomes an *unclassified supplier*
(unless it is an AWS endpoint: the cloud itself is the lock-in dimension's subject). DNS records
match by type; NS, MX and CNAME targets outside the zone's own domain that no rule claims are
unclassified suppliers too. A rule's ``implies`` adds evidence to the implied supplier (APNs ->
the App Store). Pure.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from planner.audit.match import attribute_matches
from planner.audit.observations import Observations, Token
from planner.audit.readers.text import HOST
from planner.suppliers.catalog import SupplierCatalog
from planner.suppliers.readers.inventory import Endpoint
from planner.suppliers.readers.manifests import manifest_kind
from planner.suppliers.zonefile import DnsRecord

UNCLASSIFIED = "unclassified:"
_SHORT_SLD = {"co", "com", "net", "org", "gov", "edu", "ac", "ne", "or"}
_DNS_FUNCTION = {
    "NS": "DNS hosting",
    "MX": "inbound e-mail",
    "CNAME": "service behind a CNAME",
    "ALIAS": "service behind an alias record",
}


@dataclass(frozen=True)
class SupplierHit:
    supplier: str
    path: str | None
    line: int | None
    signal: str
    origin: str
    workload: str
    detail: str | None = None


@dataclass
class Unknown:
    """What is known of an unclassified supplier: its name and what it seems to do."""

    name: str
    functions: list[str] = field(default_factory=list)

    def add(self, function: str) -> None:
        if function not in self.functions:
            self.functions.append(function)


@dataclass
class Zone:
    """One DNS input: its records, the file it came from and the zone's own domain."""

    path: str
    origin: str | None
    records: list[DnsRecord]


@dataclass
class Matches:
    hits: list[SupplierHit] = field(default_factory=list)
    unknown: dict[str, Unknown] = field(default_factory=dict)


def base_domain(name: str) -> str:
    """``mx1.mail.example.co.uk`` -> ``example.co.uk``; ``a.b.example.com`` -> ``example.com``."""
    labels = name.lower().rstrip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SHORT_SLD:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _resource_hits(obs: Observations, cat: SupplierCatalog) -> list[SupplierHit]:
    hits = []
    for res in obs.resources:
        if res.kind not in cat.iac:
            continue
        attrs = dict(res.attrs)
        found: dict[str, str] = {}
        for spec, rule_id in cat.iac[res.kind]:
            if fnmatchcase(res.type, spec.type) and attribute_matches(spec, attrs):
                signal = f"{res.kind}:{res.type}" + (f".{spec.attribute}" if spec.attribute else "")
                if rule_id not in found or spec.attribute:
                    found[rule_id] = signal
        detail = f"{res.type}.{res.name}" if res.name else res.type
        for rule_id, signal in found.items():
            hits.append(
                SupplierHit(rule_id, res.path, res.line, signal, res.origin, res.workload, detail)
            )
    return hits


def _token_owners(tok: Token, cat: SupplierCatalog) -> list[str]:
    kind, _, rest = tok.token.partition(":")
    if kind == "import":
        name = posixpath.basename(tok.path or "")
        return [] if manifest_kind(name) else [o for o in [cat.owner_of_import(rest)] if o]
    if kind == "pkg":
        eco, _, name = rest.partition(":")
        owner = cat.owner_of_package(eco, name)
    elif kind == "goimport":
        owner = cat.owner_of_package("go", rest)
    elif kind == "shost":
        owner = cat.owner_of_host(rest)
    elif kind == "sfile":
        return cat.owners_of_file(rest)
    else:
        owner = cat.tokens.get(tok.token.lower())
    return [owner] if owner else []


def _endpoint_hits(endpoints: list[Endpoint], cat: SupplierCatalog, m: Matches) -> None:
    ports = cat.vocabulary.ports
    for ep in endpoints:
        owner = (cat.owner_of_host(ep.host) if ep.host else None) or cat.owner_of_address(
            ep.address
        )
        where = f"[{ep.address}]" if ":" in ep.address else ep.address
        if ep.kind == "resolver":
            signal = f"resolver:{ep.address}"
        elif ep.kind == "mail-relay":
            signal = f"mail-relay:{ep.host or where}" + (f":{ep.port}" if ep.port else "")
        else:
            signal = f"connection:{ep.host or where}:{ep.port}"
        detail = ep.server + (f" ({ep.process})" if ep.process else "")
        if owner is None:
            if ep.host and HOST.fullmatch(ep.host):
                continue  # an AWS endpoint: the lock-in dimension covers the cloud itself
            key = ep.host or ep.address
            owner = UNCLASSIFIED + key
            unknown = m.unknown.setdefault(owner, Unknown(key))
            if ep.kind == "resolver":
                unknown.add("DNS resolver")
            elif ep.kind == "mail-relay":
                unknown.add("outbound e-mail relay")
            else:
                unknown.add(ports.get(ep.port or -1, f"service on port {ep.port}"))
        m.hits.append(
            SupplierHit(
                owner, ep.path, ep.line, signal, f"inventory:{ep.kind}", ep.workload, detail
            )
        )


def _own_zone(target: str, zone: Zone) -> bool:
    if zone.origin is None:
        return False
    origin = zone.origin.lower()
    return (
        target == origin
        or target.endswith("." + origin)
        or base_domain(target) == base_domain(origin)
    )


def _dns_hit(m: Matches, zone: Zone, owner: str, record: DnsRecord, signal: str) -> None:
    workload = f"dns:{zone.origin or zone.path}"
    m.hits.append(SupplierHit(owner, zone.path, record.line, signal, "dns", workload, record.owner))


def _dns_hits(zones: list[Zone], cat: SupplierCatalog, m: Matches) -> None:
    for zone in zones:
        for record in zone.records:
            kind = {"NS": "ns", "SOA": "ns", "MX": "mx", "TXT": "txt", "CAA": "caa"}.get(
                record.rtype, "cname"
            )
            values = record.targets or (record.data[:1] if record.rtype == "SOA" else [])
            if record.rtype == "TXT":
                values = [record.text]
            elif record.rtype == "CAA":
                values = [record.data[2]] if record.data[1].lower().startswith("issue") else []
            for value in values:
                owner = cat.owner_of_dns(kind, value)
                if owner:
                    shown = _matched_part(cat, owner, value) if kind == "txt" else value
                    _dns_hit(m, zone, owner, record, f"dns:{record.rtype} {shown}")
                elif record.rtype in _DNS_FUNCTION and value and not _own_zone(value, zone):
                    key = base_domain(value)
                    owner = UNCLASSIFIED + key
                    m.unknown.setdefault(owner, Unknown(key)).add(_DNS_FUNCTION[record.rtype])
                    _dns_hit(m, zone, owner, record, f"dns:{record.rtype} {value}")
            owner = cat.owner_of_dns("owner", record.owner)
            if owner:
                _dns_hit(m, zone, owner, record, f"dns:owner {record.owner}")


def _matched_part(cat: SupplierCatalog, owner: str, text: str) -> str:
    for regex, rule_id in cat.dns.get("txt", []):
        if rule_id == owner and (found := regex.search(text)):
            return found.group(0)
    return text[:80]


def _implied(hits: list[SupplierHit], cat: SupplierCatalog) -> list[SupplierHit]:
    out: dict[tuple[object, ...], SupplierHit] = {}
    for h in hits:
        rule = cat.rules.get(h.supplier)
        for target in rule.implies if rule else []:
            key = (target, h.path, h.line, h.workload)
            out.setdefault(
                key,
                SupplierHit(
                    target,
                    h.path,
                    h.line,
                    f"implied-by:{h.supplier}",
                    h.origin,
                    h.workload,
                    h.signal,
                ),
            )
    return list(out.values())


def match_suppliers(
    obs: Observations, endpoints: list[Endpoint], zones: list[Zone], cat: SupplierCatalog
) -> Matches:
    """Every supplier hit, in input order, and what is known of the unclassified ones."""
    m = Matches()
    m.hits.extend(_resource_hits(obs, cat))
    for tok in obs.tokens:
        for owner in _token_owners(tok, cat):
            m.hits.append(
                SupplierHit(
                    owner,
                    tok.path,
                    tok.line,
                    tok.signal or tok.token,
                    tok.origin,
                    tok.workload,
                    tok.detail,
                )
            )
    _endpoint_hits(endpoints, cat, m)
    _dns_hits(zones, cat, m)
    m.hits.extend(_implied(m.hits, cat))
    return m
