"""Parse Ansible INI inventories: ``[group]``, ``[group:vars]``, ``[group:children]``.

Host lines are ``pattern [key=value ...]`` with shell-style quoting; patterns may carry a port
(``host:2222``) and ranges (``www[01:50].example.com``). Hosts before the first section are
ungrouped. A line that cannot be read is reported with its number and skipped; the rest is used.
"""

from __future__ import annotations

import re
import shlex

from planner.interop.ansible_model import UNGROUPED, AnsibleInventory, Var, make_var
from planner.interop.report import RowProblem

_SECTION = re.compile(r"^\[([^\]]*)\]\s*(?:[#;].*)?$")
_GROUP_NAME = re.compile(r"^[^\s:\[\]]+$")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _host_line(inventory: AnsibleInventory, group: str, line: str, number: int) -> None:
    try:
        tokens = shlex.split(line, comments=True)
    except ValueError as exc:
        inventory.problems.append(RowProblem(number, "host", f"cannot split line: {exc}", True))
        return
    if not tokens:
        return
    pattern, assignments = tokens[0], tokens[1:]
    variables: dict[str, Var] = {}
    for token in assignments:
        key, sep, value = token.partition("=")
        if not sep or not key:
            inventory.problems.append(
                RowProblem(
                    number, pattern, f"expected key=value after the host, got {token!r}", True
                )
            )
            return
        variables[key] = make_var(value, number)
    inventory.add_pattern(group, pattern, number, variables)


def _var_line(inventory: AnsibleInventory, group: str, line: str, number: int) -> None:
    key, sep, value = line.partition("=")
    key = key.strip()
    if not sep or not key or " " in key:
        inventory.problems.append(
            RowProblem(number, f"[{group}:vars]", f"expected key=value, got {line.strip()!r}", True)
        )
        return
    inventory.group(group).vars[key] = make_var(_unquote(value), number)


def parse_ini(text: str) -> AnsibleInventory:
    """Read an INI inventory; unreadable lines become skipped-row problems."""
    inventory = AnsibleInventory()
    group, kind, invalid_at = UNGROUPED, "hosts", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        section = _SECTION.match(line)
        if section:
            name, _, suffix = section.group(1).strip().partition(":")
            if not _GROUP_NAME.match(name) or suffix not in ("", "vars", "children"):
                inventory.problems.append(RowProblem(number, line, "invalid section header", True))
                group, kind, invalid_at = "", "invalid", number
                continue
            group, kind = name, suffix or "hosts"
            inventory.group(group, number)
            continue
        if line.startswith("["):
            inventory.problems.append(RowProblem(number, line, "unterminated section header", True))
            group, kind, invalid_at = "", "invalid", number
            continue
        if kind == "invalid":
            inventory.problems.append(
                RowProblem(number, line, f"in the invalid section at line {invalid_at}", True)
            )
            continue
        if kind == "hosts":
            _host_line(inventory, group, line, number)
        elif kind == "vars":
            _var_line(inventory, group, line, number)
        else:
            child = line.split()[0]
            if not _GROUP_NAME.match(child):
                inventory.problems.append(
                    RowProblem(number, f"[{group}:children]", f"invalid group name {child!r}", True)
                )
                continue
            inventory.add_child(group, child, number)
    return inventory
