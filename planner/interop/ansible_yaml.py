"""Parse Ansible YAML inventories (``all: {hosts, vars, children}``) and ``group_vars`` files.

The YAML is composed, not constructed, so every value keeps its line and Ansible's own tags
(``!vault``, ``!unsafe``) do not break the reader. Vault-encrypted values are recognised and
never read. A group or host entry that has the wrong shape is reported with its line and skipped.
"""

from __future__ import annotations

import yaml

from planner.errors import InputError
from planner.interop.ansible_model import ALL, AnsibleInventory, Var, make_var
from planner.interop.report import RowProblem

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

_GROUP_KEYS = ("hosts", "vars", "children")


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _entries(
    node: yaml.Node, problems: list[RowProblem], where: str, problem: str, file: str | None = None
) -> list[tuple[yaml.Node, yaml.Node]]:
    """A mapping's (key, value) nodes; none for an empty value (``key:``, ``~``, ``null``), and
    none plus a problem (a skipped entry, with its line) for anything else."""
    if _is_null(node) or not _mapping(node, problems, where, problem, file):
        return []
    return list(node.value)


def _mapping(
    node: yaml.Node, problems: list[RowProblem], where: str, problem: str, file: str | None = None
) -> bool:
    """True for a mapping; anything else is reported (with its line) as a skipped entry."""
    if isinstance(node, yaml.MappingNode):
        return True
    problems.append(RowProblem(_line(node), where, problem, True, file))
    return False


def compose(text: str, source: str) -> yaml.Node | None:
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=_Loader)
        return node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}" if mark is not None else ""
        raise InputError(f"{source}{where}: syntax: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: syntax: {exc}") from None


def to_var(node: yaml.Node, file: str | None = None) -> Var:
    line = _line(node)
    if node.tag == "!vault":
        return Var(None, line, "vault", file)
    if node.tag == "!unsafe" and isinstance(node, yaml.ScalarNode):
        return Var(str(node.value), line, "plain", file)  # Ansible never templates !unsafe
    if _is_null(node):
        return Var(None, line, "plain", file)
    if isinstance(node, yaml.ScalarNode):
        return make_var(str(node.value), line, file)
    return Var(None, line, "complex", file)


def read_vars(
    node: yaml.Node, where: str, problems: list[RowProblem], file: str | None = None
) -> dict[str, Var]:
    entries = _entries(node, problems, where, "expected a mapping of variables", file)
    return {
        str(key.value): to_var(value, file)
        for key, value in entries
        if isinstance(key, yaml.ScalarNode)
    }


def _hosts(inventory: AnsibleInventory, group: str, node: yaml.Node) -> None:
    where = f"{group}.hosts"
    for key, value in _entries(node, inventory.problems, where, "expected a mapping of host: vars"):
        pattern, line = str(key.value), _line(key)
        variables = read_vars(value, f"{group}.hosts.{pattern}", inventory.problems)
        inventory.add_pattern(group, pattern, line, variables)


def _group(inventory: AnsibleInventory, name: str, node: yaml.Node, line: int) -> None:
    group = inventory.group(name, line)
    problem = "a group must be a mapping (hosts, vars, children)"
    for key, value in _entries(node, inventory.problems, name, problem):
        section = str(key.value)
        if section == "hosts":
            _hosts(inventory, name, value)
        elif section == "vars":
            group.vars.update(read_vars(value, f"{name}.vars", inventory.problems))
        elif section == "children":
            if isinstance(value, yaml.ScalarNode) and value.value in ("", "null", "~"):
                continue
            where = f"{name}.children"
            if not _mapping(value, inventory.problems, where, "expected a mapping of groups"):
                continue
            for child_key, child in value.value:
                child_name = str(child_key.value)
                inventory.add_child(name, child_name, _line(child_key))
                _group(inventory, child_name, child, _line(child_key))
        else:
            inventory.problems.append(
                RowProblem(
                    _line(key), f"{name}.{section}", "unknown group key (hosts, vars, children)"
                )
            )


def parse_yaml(text: str, source: str) -> AnsibleInventory:
    """Read a YAML (or JSON) inventory; malformed entries become problems with lines."""
    inventory = AnsibleInventory()
    root = compose(text, source)
    if root is None:
        return inventory
    if not isinstance(root, yaml.MappingNode):
        raise InputError(f"{source}:{_line(root)}: (document): expected a mapping of groups")
    for key, value in root.value:
        name = str(key.value)
        if name in _GROUP_KEYS and name != ALL:
            inventory.problems.append(
                RowProblem(
                    _line(key), name, f"'{name}' at the top level: put it under a group", True
                )
            )
            continue
        _group(inventory, name, value, _line(key))
    return inventory
