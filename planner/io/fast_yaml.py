"""YAML loading that stays fast on inventories of tens of thousands of servers.

Same results as ``yaml.load(text, Loader=yaml.CSafeLoader)``, measured faster by three things:

* **No cyclic garbage collection while parsing.** libyaml hands Python millions of small node
  and mark objects; with the collector on, every few hundred allocations it re-walks all of
  them, and that was most of the load time. Nothing built here forms a cycle, so pausing the
  collector loses nothing (:func:`gc_paused`).
* **A quicker resolver.** libyaml calls ``resolve`` once per scalar. PyYAML's version walks the
  path-resolver machinery and concatenates lists on every call; this one looks up a table
  keyed on the first character, built from the very same implicit resolvers, and remembers
  the answer for values it has seen (mapping keys repeat on every server).
* **A direct constructor.** Plain mappings, sequences and the core scalar tags are built in one
  pass without PyYAML's per-node generator and bookkeeping. Anything else — merge keys
  (``<<``), anchors shared by containers, ``!!set``/``!!omap``/``!!binary``, unknown tags,
  complex keys, nesting deeper than Python's recursion limit — hands the already-composed node
  tree to PyYAML's own ``SafeConstructor``, so rare documents get exactly the standard
  behaviour, errors included, without a re-parse. Two deliberate differences: a core scalar
  with an explicit tag that cannot be read (``!!int abc``) is a ``ConstructorError`` with its
  line, where PyYAML leaks a bare ``ValueError``/``KeyError``; and a key repeated in a plain
  mapping is a ``ConstructorError`` at the repeat, where PyYAML keeps the last value silently
  (an inventory volume with two ``used:`` lines must not lose one without a word).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Base = yaml.SafeLoader

_CORE = "tag:yaml.org,2002:"
STR, MAP, SEQ = _CORE + "str", _CORE + "map", _CORE + "seq"
_FAST_SCALARS = ("null", "bool", "int", "float", "timestamp")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Switch the cyclic garbage collector off for the block (reference counting still frees)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Fallback(Exception):
    """The document uses something only PyYAML's full constructor handles."""


class FastResolver:
    """PyYAML's implicit resolution, table-driven and memoised (no path resolvers in use).

    Mixed into a libyaml loader or dumper, which call :meth:`resolve` for every node.
    """

    yaml_implicit_resolvers: dict[Any, list[tuple[str, Any]]]
    yaml_path_resolvers: dict[Any, Any]

    def _init_resolver(self) -> None:
        self._resolved: dict[str, str] = {}
        wildcard = list(self.yaml_implicit_resolvers.get(None, []))
        self._by_first: dict[str, list[tuple[str, Any]]] = {
            first: list(resolvers) + wildcard
            for first, resolvers in self.yaml_implicit_resolvers.items()
            if first is not None
        }
        self._wildcard = wildcard
        if self.yaml_path_resolvers:  # pragma: no cover - nobody registers path resolvers here
            raise RuntimeError("FastResolver does not support YAML path resolvers")

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers are registered, so there is no path to track."""

    def ascend_resolver(self) -> None:
        """No path resolvers are registered, so there is no path to track."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        """The same tag PyYAML's ``Resolver.resolve`` gives when no path resolvers exist."""
        if kind is ScalarNode:
            if not implicit[0]:
                return STR
            tag = self._resolved.get(value)
            if tag is None:
                tag = self._resolved[value] = self._resolve_plain(value)
            return tag
        return SEQ if kind is SequenceNode else MAP

    def _resolve_plain(self, value: str) -> str:
        for tag, regexp in self._by_first.get(value[:1], self._wildcard):
            if regexp.match(value):
                return str(tag)
        return STR


class FastSafeLoader(FastResolver, _Base):  # type: ignore[misc]
    """``CSafeLoader`` with the fast resolver and a one-pass constructor for plain data."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._init_resolver()
        self._scalar_constructors: dict[str, Callable[[Any, Node], Any]] = {
            _CORE + name: self.yaml_constructors[_CORE + name] for name in _FAST_SCALARS
        }

    def get_single_data(self) -> Any:
        """Compose the single document and build plain Python data from it."""
        node = self.get_single_node()
        if node is None:
            return None
        try:
            return _Builder(self._scalar_constructors, self).build(node)
        except (_Fallback, RecursionError):  # PyYAML's constructor is not recursive
            return self.construct_document(node)


class _Builder:
    """One pass over a composed node tree, for the tags whose meaning is plain data."""

    def __init__(self, scalars: dict[str, Callable[[Any, Node], Any]], loader: Any) -> None:
        self._scalars = scalars
        self._loader = loader
        self._containers_seen: set[int] = set()

    def build(self, node: Node) -> Any:
        if node.__class__ is ScalarNode:
            return node.value if node.tag == STR else self._scalar(node)
        if id(node) in self._containers_seen:  # an alias: PyYAML shares the object
            raise _Fallback
        self._containers_seen.add(id(node))
        if node.__class__ is MappingNode and node.tag == MAP:
            return self._mapping(node)
        if node.__class__ is SequenceNode and node.tag == SEQ:
            return [self.build(child) for child in node.value]
        raise _Fallback

    def _mapping(self, node: Node) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        seen: set[str] = set()  # key texts: ``1`` and ``true`` are one Python key, not a repeat
        build = self.build
        for key_node, value_node in node.value:
            if key_node.tag == STR and key_node.__class__ is ScalarNode:
                key = key_node.value
            elif key_node.__class__ is ScalarNode:
                key = self._scalar(key_node)  # merge (<<) and value (=) keys fall back here
            else:
                raise _Fallback  # complex keys: PyYAML reports them
            if key_node.value in seen:
                first = next(k for k, _ in node.value if k.value == key_node.value)
                raise ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first on line {first.start_mark.line + 1}): "
                    "the later value would silently replace the earlier one",
                    key_node.start_mark,
                )
            seen.add(key_node.value)
            value_tag = value_node.tag
            if value_tag == STR and value_node.__class__ is ScalarNode:
                out[key] = value_node.value
            else:
                out[key] = build(value_node)
        return out

    def _scalar(self, node: Node) -> Any:
        construct = self._scalars.get(node.tag)
        if construct is None:
            raise _Fallback
        try:
            return construct(self._loader, node)
        except (ValueError, KeyError, AttributeError) as exc:  # ``!!int abc``: PyYAML's raw error
            raise ConstructorError(
                None, None, f"cannot read {node.value!r} as {node.tag}", node.start_mark
            ) from exc
