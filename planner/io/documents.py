"""Read YAML/JSON documents fast, and find the line of any path inside them when needed.

The fast path (:mod:`planner.io.fast_yaml`, or :mod:`json`) keeps no line numbers. Only when
something is wrong do we compose the YAML node tree, whose nodes carry line marks, once per
document (:class:`LineFinder`), and walk it to each offending path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from planner.errors import InputError
from planner.io.fast_yaml import FastSafeLoader, gc_paused

Loc = tuple[str | int, ...]


def read_text(path: str | Path) -> str:
    """Read a text file, turning OS and decoding errors into clear :class:`InputError`s."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
            if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                continue
            return text
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: not UTF-8 text")


def parse_document(text: str, path: str | Path) -> Any:
    """Parse YAML or JSON text; syntax errors become ``file:line: syntax: problem``."""
    name = str(path)
    if name.endswith(".json"):
        try:
            with gc_paused():
                return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}:{exc.lineno}: syntax: {exc.msg}") from None
    try:
        with gc_paused():
            return yaml.load(text, Loader=FastSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(f"{name}{line}: syntax: {problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{name}: syntax: {exc}") from None
    except (ValueError, KeyError, AttributeError) as exc:  # PyYAML's own, on ``!!int abc`` & co
        raise InputError(f"{name}: syntax: cannot read a tagged value: {exc}") from None


def load_document(path: str | Path) -> Any:
    """Read and parse a YAML or JSON file."""
    return parse_document(read_text(path), path)


class LineFinder:
    """Lines of paths inside one document; its node tree is composed at most once, on demand."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: yaml.Node | None = None
        self._composed = False

    def _tree(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                with gc_paused():
                    self._root = yaml.compose(self._text, Loader=FastSafeLoader)
            except yaml.YAMLError:
                self._root = None
        return self._root

    def line(self, loc: Loc) -> int | None:
        """1-based line of the value at ``loc`` (or of its nearest existing parent), if found."""
        node = self._tree()
        line: int | None = None
        for part in loc:
            if node is None:
                break
            line = node.start_mark.line + 1
            if isinstance(node, yaml.MappingNode):
                found = None
                for key_node, value_node in sorted(
                    node.value, key=lambda kv: kv[0].value != part
                ):  # exact key first, then its short alias (``used`` for ``used_bytes``)
                    key = key_node.value
                    if key == part or (isinstance(part, str) and part.startswith(f"{key}_")):
                        found = value_node
                        line = key_node.start_mark.line + 1
                        break
                node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                node = node.value[part] if 0 <= part < len(node.value) else None
            else:
                node = None
        else:
            if node is not None and not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
                line = node.start_mark.line + 1
        return line


def line_of(text: str, loc: Loc) -> int | None:
    """1-based line of the value at ``loc`` (or of its nearest existing parent), if found.

    Composes the whole document: to look up many paths, use one :class:`LineFinder`.
    """
    return LineFinder(text).line(loc)


def format_loc(loc: Loc) -> str:
    """``('servers', 3, 'volumes', 0, 'size')`` -> ``servers[3].volumes[0].size``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"
