"""Firewall rules per role, deny by default: only the ports the inventory's services listen on.

Public ports (marked ``public`` by the config writer, e.g. 80/443) are open to everyone; every
other service port only to the fleet's private range; SSH (22) only to the admin CIDRs and the
private range. Everything else inbound is dropped. The same rules drive the provider firewall
(where the provider has one) and the host's nftables ruleset (always).
"""

from __future__ import annotations

from dataclasses import dataclass

from components.spec import FleetSpec, RoleSpec

ANYWHERE = ("0.0.0.0/0", "::/0")
SSH_PORT = 22


@dataclass(frozen=True)
class Rule:
    protocol: str
    port: int
    sources: tuple[str, ...]
    description: str


def role_rules(spec: FleetSpec, role: RoleSpec) -> tuple[Rule, ...]:
    """The inbound allow rules of one role, sorted by protocol and port."""
    ssh_sources = tuple(dict.fromkeys((*spec.admin_cidrs, spec.private_cidr)))
    rules = [Rule("tcp", SSH_PORT, ssh_sources, "ssh from admin networks and the fleet")]
    seen = {("tcp", SSH_PORT)}
    for port in sorted(role.ports, key=lambda p: (p.protocol, p.port)):
        if (port.protocol, port.port) in seen:
            continue
        seen.add((port.protocol, port.port))
        if port.public:
            rules.append(Rule(port.protocol, port.port, ANYWHERE, f"{role.name}: public service"))
        else:
            rules.append(
                Rule(port.protocol, port.port, (spec.private_cidr,), f"{role.name}: fleet only")
            )
    return tuple(rules)


def nftables_ruleset(rules: tuple[Rule, ...]) -> str:
    """An nftables ruleset: input policy drop, allow loopback, established, ICMP and ``rules``."""
    lines = [
        "#!/usr/sbin/nft -f",
        "# Written by exitplan: deny inbound by default, allow only the role's services.",
        "flush ruleset",
        "table inet filter {",
        "  chain input {",
        "    type filter hook input priority 0; policy drop;",
        "    iif lo accept",
        "    ct state established,related accept",
        "    ct state invalid drop",
        "    ip protocol icmp accept",
        "    ip6 nexthdr icmpv6 accept",
    ]
    for rule in rules:
        v4 = [s for s in rule.sources if ":" not in s]
        v6 = [s for s in rule.sources if ":" in s]
        for family, sources in (("ip", v4), ("ip6", v6)):
            if not sources:
                continue
            match = (
                ""
                if sources == ["0.0.0.0/0"] or sources == ["::/0"]
                else (f"{family} saddr {{ {', '.join(sources)} }} ")
            )
            if not match and family == "ip6":
                match = "meta nfproto ipv6 "
            elif not match:
                match = "meta nfproto ipv4 "
            lines.append(f"    {match}{rule.protocol} dport {rule.port} accept")
    lines += ["  }", "  chain forward {", "    type filter hook forward priority 0; policy drop;"]
    lines += ["  }", "  chain output {", "    type filter hook output priority 0; policy accept;"]
    lines += ["  }", "}", ""]
    return "\n".join(lines)
