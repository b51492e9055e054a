"""The supplier rule catalogue with lookup indexes: which supplier owns which signal.

Built once from the validated :class:`~planner.models.suppliers.SupplierRule` list. Exact tokens
(packages, environment variables, configuration keys, lock-in reader tokens, discovery service ids,
OS ids) go to a dict, and a token owned by two rules is a conflict (a test keeps the list empty);
imports, Go modules and Maven groups match by prefix; host names by whole-name regexes (most
specific rule first: the one whose pattern has the most literal characters); addresses by the
longest matching network; DNS record targets by per-type regexes; IaC types by globs. Pure.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from planner.audit.catalog import norm_import
from planner.models.lockin import IacSignal
from planner.models.suppliers import SupplierRule, SupplierVocabulary

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
HOST_CANDIDATE = re.compile(
    r"(?<![\w.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![\w-])", re.IGNORECASE
)
DNS_KINDS = ("ns", "mx", "cname", "txt", "caa", "owner")


def _alternation(words: list[str], flags: int = 0, boundary: str = r"\w") -> re.Pattern[str] | None:
    if not words:
        return None
    body = "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<![{boundary}])({body})(?![{boundary}])", flags)


@dataclass
class SupplierCatalog:
    rules: dict[str, SupplierRule]
    vocabulary: SupplierVocabulary
    tokens: dict[str, str] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    hosts: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    any_host: re.Pattern[str] | None = None
    networks: list[tuple[Network, str]] = field(default_factory=list)
    imports: list[tuple[str, str]] = field(default_factory=list)
    prefixes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    dns: dict[str, list[tuple[re.Pattern[str], str]]] = field(default_factory=dict)
    iac: dict[str, list[tuple[IacSignal, str]]] = field(default_factory=dict)
    files: list[tuple[str, str]] = field(default_factory=list)
    env: re.Pattern[str] | None = None
    config: re.Pattern[str] | None = None

    @classmethod
    def build(cls, rules: list[SupplierRule], vocabulary: SupplierVocabulary) -> SupplierCatalog:
        cat = cls({r.id: r for r in rules}, vocabulary)
        env: list[str] = []
        config: list[str] = []
        host_specs: list[tuple[str, str]] = []
        for rule in rules:
            sig = rule.signals
            for token in sig.packages.tokens():
                eco = token.split(":")[1]
                if eco in ("go", "maven"):
                    cat.prefixes.setdefault(eco, []).append((token.split(":", 2)[2], rule.id))
                elif eco == "pypi":
                    cat._own("pkg:pypi:" + re.sub(r"[-_.]+", "-", token.split(":", 2)[2]), rule.id)
                else:
                    cat._own(token, rule.id)
            for name in sig.env:
                cat._own(f"env:{name}", rule.id)
                env.append(name)
            for key in sig.config_keys:
                cat._own(f"cfg:{key.lower()}", rule.id)
                config.append(key)
            for token in sig.tokens:
                cat._own(token.lower(), rule.id)
            for service in sig.services:
                cat._own(f"service:{service}", rule.id)
            for os_id in sig.os_ids:
                cat._own(f"os:{os_id.lower()}", rule.id)
            cat.imports.extend((norm_import(name), rule.id) for name in sig.imports)
            host_specs.extend((rx, rule.id) for rx in sig.hosts)
            cat.networks.extend((ipaddress.ip_network(a), rule.id) for a in sig.addresses)
            for kind in DNS_KINDS:
                for rx in getattr(sig.dns, kind):
                    flags = re.IGNORECASE
                    cat.dns.setdefault(kind, []).append((re.compile(rx, flags), rule.id))
            for spec in sig.terraform:
                cat.iac.setdefault("terraform", []).append((spec, rule.id))
            for spec in sig.cloudformation:
                cat.iac.setdefault("cloudformation", []).append((spec, rule.id))
            cat.files.extend((glob, rule.id) for glob in sig.files)
        host_specs.sort(key=lambda item: (-len(re.sub(r"\\.|[^a-z0-9]", "", item[0])), item[1]))
        cat.hosts = [(re.compile(rx, re.IGNORECASE), rid) for rx, rid in host_specs]
        if host_specs:
            cat.any_host = re.compile("|".join(f"(?:{rx})" for rx, _ in host_specs), re.IGNORECASE)
        cat.networks.sort(key=lambda item: -item[0].prefixlen)
        cat.imports.sort(key=lambda item: -len(item[0]))
        for items in cat.prefixes.values():
            items.sort(key=lambda item: -len(item[0]))
        cat.env = _alternation(env, boundary=r"A-Za-z0-9_")
        cat.config = _alternation(config, re.IGNORECASE, boundary=r"\w-")
        return cat

    def _own(self, token: str, rule_id: str) -> None:
        token = token.lower()
        if token in self.tokens and self.tokens[token] != rule_id:
            self.conflicts.append(f"{token}: {self.tokens[token]} and {rule_id}")
            return
        self.tokens[token] = rule_id

    # ---------------------------------------------------------------- lookups
    def owner_of_host(self, host: str) -> str | None:
        host = host.lower().rstrip(".")
        if self.any_host is None or not self.any_host.fullmatch(host):
            return None
        for regex, rule_id in self.hosts:
            if regex.fullmatch(host):
                return rule_id
        return None

    def owner_of_address(self, address: str) -> str | None:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return None
        for network, rule_id in self.networks:
            if network.version == ip.version and ip in network:
                return rule_id
        return None

    def owner_of_import(self, module: str) -> str | None:
        name = norm_import(module)
        for prefix, rule_id in self.imports:
            if name == prefix or name.startswith((prefix + ".", prefix + "/")):
                return rule_id
        return None

    def owner_of_package(self, ecosystem: str, name: str) -> str | None:
        lower = name.lower()
        if ecosystem in self.prefixes:
            for prefix, rule_id in self.prefixes[ecosystem]:
                if lower == prefix or lower.startswith((prefix + "/", prefix + ":", prefix + ".")):
                    return rule_id
            return None
        if ecosystem == "pypi":
            lower = re.sub(r"[-_.]+", "-", lower)
        return self.tokens.get(f"pkg:{ecosystem}:{lower}")

    def owner_of_dns(self, kind: str, value: str) -> str | None:
        text = value.lower().rstrip(".") if kind not in ("txt", "caa") else value
        for regex, rule_id in self.dns.get(kind, []):
            if regex.search(text) if kind in ("txt", "caa") else regex.fullmatch(text):
                return rule_id
        return None

    def owners_of_file(self, relpath: str) -> list[str]:
        return [
            rule_id
            for glob, rule_id in self.files
            if fnmatchcase(relpath, glob) or fnmatchcase(relpath, "*/" + glob)
        ]
