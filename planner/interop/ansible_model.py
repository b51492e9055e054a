"""A neutral model of an Ansible inventory (groups, hosts, variables with their lines).

Both the INI and the YAML parser fill an :class:`AnsibleInventory`; :func:`host_vars` then
resolves a host's connection variables with Ansible's precedence: group variables from the
shallowest group to the deepest (``all`` first, ties by name), then ``group_vars/`` files in the
same order, then the host's own variables, then ``host_vars/`` files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planner.interop.report import RowProblem
from planner.interop.values import is_ip

ALL, UNGROUPED = "all", "ungrouped"


@dataclass(frozen=True)
class Var:
    """One variable value: plain text, a vault-encrypted value or a Jinja template."""

    value: str | None
    line: int | None
    kind: str = "plain"  # plain | vault | template | complex
    file: str | None = None


def make_var(value: str | None, line: int | None, file: str | None = None) -> Var:
    if value is not None and "{{" in value:
        return Var(value, line, "template", file)
    return Var(value, line, "plain", file)


@dataclass
class AnsibleGroup:
    name: str
    line: int | None = None
    hosts: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    vars: dict[str, Var] = field(default_factory=dict)
    file_vars: dict[str, Var] = field(default_factory=dict)


@dataclass
class AnsibleHost:
    name: str
    line: int
    vars: dict[str, Var] = field(default_factory=dict)
    file_vars: dict[str, Var] = field(default_factory=dict)


@dataclass
class AnsibleInventory:
    groups: dict[str, AnsibleGroup] = field(default_factory=dict)
    hosts: dict[str, AnsibleHost] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    records: int = 0

    def __post_init__(self) -> None:
        for implicit in (ALL, UNGROUPED):  # Ansible's two groups that always exist
            self.group(implicit)

    def group(self, name: str, line: int | None = None) -> AnsibleGroup:
        group = self.groups.get(name)
        if group is None:
            group = self.groups[name] = AnsibleGroup(name, line)
        elif group.line is None:
            group.line = line
        return group

    def add_host(self, group: str, name: str, line: int, variables: dict[str, Var]) -> None:
        host = self.hosts.get(name)
        if host is None:
            host = self.hosts[name] = AnsibleHost(name, line)
        host.vars.update(variables)
        members = self.group(group).hosts
        if name not in members:
            members.append(name)

    def add_pattern(self, group: str, pattern: str, line: int, variables: dict[str, Var]) -> None:
        """Add the hosts of ``pattern`` (``web[01:03].example``, ``db:2222``) to ``group``."""
        name, port = split_port(pattern)
        try:
            names = [name] if is_ip(name) else expand_pattern(name)
        except ValueError as exc:
            self.problems.append(RowProblem(line, pattern, str(exc), skipped=True))
            return
        if port is not None:
            variables = {"ansible_port": make_var(port, line), **variables}
        self.records += len(names)
        for host in names:
            self.add_host(group, host, line, variables)

    def add_child(self, parent: str, child: str, line: int | None) -> None:
        self.group(child, line)
        children = self.group(parent).children
        if child not in children:
            children.append(child)

    def depths(self) -> dict[str, int]:
        """Longest distance of each group from ``all`` (cycles are cut and reported)."""
        parents: dict[str, list[str]] = {name: [] for name in self.groups}
        for group in self.groups.values():
            for child in group.children:
                parents.setdefault(child, []).append(group.name)
        depth: dict[str, int] = {}

        def visit(name: str, trail: tuple[str, ...]) -> int:
            if name in depth:
                return depth[name]
            if name in trail:
                self.problems.append(
                    RowProblem(
                        self.groups[name].line,
                        name,
                        "group is its own ancestor: " + " -> ".join((*trail, name)),
                    )
                )
                return 0
            above = [visit(p, (*trail, name)) for p in parents.get(name, []) if p != ALL]
            depth[name] = 0 if name == ALL else 1 + max(above, default=0)
            return depth[name]

        for name in list(self.groups):
            visit(name, ())
        return depth

    def groups_of(self, host: str) -> list[str]:
        """Every group the host is in, directly or through children, in file order."""
        direct = [g.name for g in self.groups.values() if host in g.hosts]
        found: list[str] = []
        stack = list(direct)
        while stack:
            name = stack.pop(0)
            if name in found:
                continue
            found.append(name)
            stack.extend(g.name for g in self.groups.values() if name in g.children)
        return found


def host_vars(inventory: AnsibleInventory, host: str, depth: dict[str, int]) -> dict[str, Var]:
    groups = [g for g in inventory.groups_of(host) if g != ALL]
    ordered = [ALL, *sorted(groups, key=lambda g: (depth.get(g, 1), g))]
    effective: dict[str, Var] = {}
    for name in ordered:
        if name in inventory.groups:
            effective.update(inventory.groups[name].vars)
    for name in ordered:
        if name in inventory.groups:
            effective.update(inventory.groups[name].file_vars)
    effective.update(inventory.hosts[host].vars)
    effective.update(inventory.hosts[host].file_vars)
    return effective


_RANGE = re.compile(r"^(.*?)\[([0-9a-zA-Z]+):([0-9a-zA-Z]+)(?::(\d+))?\](.*)$")


def expand_pattern(pattern: str) -> list[str]:
    """Expand Ansible host ranges: ``www[01:50].example.com``, ``db-[a:f]``, ``n[1:9:2]``."""
    match = _RANGE.match(pattern)
    if not match:
        if "[" in pattern or "]" in pattern:
            raise ValueError(f"invalid host range in {pattern!r}")
        return [pattern]
    head, start, end, step_text, tail = match.groups()
    step = int(step_text) if step_text else 1
    if step < 1:
        raise ValueError(f"invalid range step in {pattern!r}")
    if start.isdigit() and end.isdigit():
        width = len(start) if start.startswith("0") and len(start) > 1 else 0
        first, last = int(start), int(end)
        if first > last:
            raise ValueError(f"range start is after its end in {pattern!r}")
        items = [str(n).zfill(width) for n in range(first, last + 1, step)]
    elif len(start) == 1 and len(end) == 1 and start.isalpha() and end.isalpha():
        if start > end:
            raise ValueError(f"range start is after its end in {pattern!r}")
        items = [chr(c) for c in range(ord(start), ord(end) + 1, step)]
    else:
        raise ValueError(f"invalid host range in {pattern!r}")
    return [name for item in items for name in expand_pattern(f"{head}{item}{tail}")]


_IPV6_PORT = re.compile(r"^\[([0-9a-fA-F:.]*:[0-9a-fA-F:.]*:[0-9a-fA-F:.]*)\](?::(\d+))?$")
_HOST_PORT = re.compile(r"^(.+):(\d+)$")


def split_port(pattern: str) -> tuple[str, str | None]:
    """``host:2222`` -> (``host``, ``2222``); IPv6 addresses keep their colons."""
    match = _IPV6_PORT.match(pattern)
    if match:
        return match.group(1), match.group(2)
    without_ranges = re.sub(r"\[[^\]]*\]", "0", pattern)
    if without_ranges.count(":") > 1:
        return pattern, None  # a bare IPv6 address
    match = _HOST_PORT.match(pattern)
    if match:
        return match.group(1), match.group(2)
    return pattern, None
