"""YAML saving that stays fast on large inventories, byte for byte what ``CSafeDumper`` writes.

PyYAML's representer spends most of a large dump on per-object bookkeeping (alias tracking, an
object keeper, a type-MRO lookup, a resolver call per node). :class:`FastSafeDumper` builds the
same node tree directly for JSON-like data — dicts, lists, str, int, float, bool, None — and
lets libyaml emit it, with the memoising resolver of :mod:`planner.io.fast_yaml`. Anything else
(an object that appears twice, which PyYAML writes as an anchor; dates, sets, bytes, other
types) goes through PyYAML's own representer unchanged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planner.io.fast_yaml import MAP, SEQ, STR, FastResolver

try:
    _Base: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - libyaml missing
    _Base = yaml.SafeDumper

_CORE = "tag:yaml.org,2002:"


class _Fallback(Exception):
    """The data needs PyYAML's full representer."""


class FastSafeDumper(FastResolver, _Base):  # type: ignore[misc]
    """``CSafeDumper`` with a direct representer for JSON-like data and the fast resolver."""

    def __init__(self, stream: Any, **options: Any) -> None:
        super().__init__(stream, **options)
        self._init_resolver()

    def represent(self, data: Any) -> None:
        """Serialise one document; the same node tree as ``SafeRepresenter`` would build."""
        try:
            node = _Representer(self).node(data)
        except (_Fallback, RecursionError):
            super().represent(data)
            return
        self.serialize(node)


class _Representer:
    """Builds nodes exactly as ``SafeRepresenter`` does for the JSON types, in one pass."""

    def __init__(self, dumper: Any) -> None:
        self._style = dumper.default_style
        self._flow_style = dumper.default_flow_style
        self._sort_keys = dumper.sort_keys
        self._float = dumper.represent_float
        self._containers_seen: set[int] = set()
        self._scalars: dict[type, Callable[[Any], tuple[str, str]]] = {
            str: lambda v: (STR, v),
            int: lambda v: (_CORE + "int", str(v)),
            bool: lambda v: (_CORE + "bool", "true" if v else "false"),
            type(None): lambda v: (_CORE + "null", "null"),
            float: self._float_value,
        }

    def _float_value(self, value: float) -> tuple[str, str]:
        node = self._float(value)
        return node.tag, node.value

    def node(self, data: Any) -> Node:
        kind = type(data)
        if kind is str:
            return ScalarNode(STR, data, style=self._style)
        scalar = self._scalars.get(kind)
        if scalar is not None:
            tag, value = scalar(data)
            return ScalarNode(tag, value, style=self._style)
        if kind is not dict and kind is not list:
            raise _Fallback  # dates, sets, bytes, subclasses, unsupported types
        if id(data) in self._containers_seen:  # shared: PyYAML writes an anchor and an alias
            raise _Fallback
        self._containers_seen.add(id(data))
        if kind is dict:
            return self._mapping(data)
        return self._sequence(data)

    def _plain(self, node: Node) -> bool:
        return node.__class__ is ScalarNode and not node.style

    def _sequence(self, data: list[Any]) -> Node:
        items = [self.node(item) for item in data]
        flow = self._flow_style
        if flow is None:
            flow = all(self._plain(item) for item in items)
        return SequenceNode(SEQ, items, flow_style=flow)

    def _mapping(self, data: dict[Any, Any]) -> Node:
        pairs = list(data.items())
        if self._sort_keys:
            with contextlib.suppress(TypeError):  # mixed key types stay in insertion order
                pairs = sorted(pairs)
        node = self.node
        items = [(node(key), node(value)) for key, value in pairs]
        flow = self._flow_style
        if flow is None:
            flow = all(self._plain(k) and self._plain(v) for k, v in items)
        return MappingNode(MAP, items, flow_style=flow)
