"""YAML documents with line numbers, tolerant of any tag (``!Ref``, ``!GetAtt``, ``!Sub``, custom).

The node tree is composed (not constructed), so unknown tags never fail; tagged nodes become
CloudFormation-style intrinsic mappings (``!Ref X`` -> ``{"Ref": "X"}``, ``!Sub s`` ->
``{"Fn::Sub": s}``). Scalars stay strings. ``lines`` maps a path of keys/indexes to the line
(1-based) where that key or item starts.
"""

from __future__ import annotations

from typing import Any

import yaml

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

Path = tuple[str | int, ...]
MAX_DEPTH = 200
MAX_NODES = 1_000_000  # aliases can expand a small file enormously (billion laughs)
MAX_ALIAS_USES = 1_000  # conversions of one aliased node before we call it a bomb


class LocatedDoc:
    def __init__(self, data: Any, lines: dict[Path, int]) -> None:
        self.data = data
        self.lines = lines

    def line(self, *path: str | int) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def load_all(text: str) -> list[LocatedDoc]:
    """Every document in ``text``; raises ``yaml.YAMLError`` on syntax errors."""
    docs = []
    for node in yaml.compose_all(text, Loader=_Loader):
        if node is None:
            continue
        lines: dict[Path, int] = {(): node.start_mark.line + 1}
        docs.append(LocatedDoc(_convert(node, (), lines, 0, [MAX_NODES], {}), lines))
    return docs


def _tagged(tag: str, value: Any) -> dict[str, Any]:
    name = tag[1:] if tag.startswith("!") else tag
    return {"Ref": value} if name == "Ref" else {f"Fn::{name}": value}


def _convert(
    node: yaml.Node,
    path: Path,
    lines: dict[Path, int],
    depth: int,
    budget: list[int],
    seen: dict[int, int],
) -> Any:
    budget[0] -= 1
    if not isinstance(node, yaml.ScalarNode):
        seen[id(node)] = uses = seen.get(id(node), 0) + 1
        if uses > MAX_ALIAS_USES:
            budget[0] = -1
    if depth > MAX_DEPTH or budget[0] < 0:
        raise yaml.YAMLError("document nested too deeply or expands too much")
    custom = node.tag.startswith("!")
    if isinstance(node, yaml.ScalarNode):
        value: Any = node.value
    elif isinstance(node, yaml.SequenceNode):
        value = []
        for index, item in enumerate(node.value):
            sub = (*path, index)
            lines[sub] = item.start_mark.line + 1
            value.append(_convert(item, sub, lines, depth + 1, budget, seen))
    elif isinstance(node, yaml.MappingNode):
        value = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            if key == "<<":
                continue
            sub = (*path, key)
            lines[sub] = key_node.start_mark.line + 1
            value[key] = _convert(value_node, sub, lines, depth + 1, budget, seen)
    else:  # pragma: no cover - composer yields only these
        value = None
    return _tagged(node.tag, value) if custom else value
