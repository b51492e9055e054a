"""Load and save inventory files (YAML or JSON) with ``file:line: path: problem`` errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from planner.errors import InventoryError
from planner.io.atomic import write_text
from planner.io.documents import LineFinder, Loc, format_loc, parse_document, read_text
from planner.io.fast_yaml import gc_paused
from planner.io.fast_yaml_dump import FastSafeDumper
from planner.models import Inventory

MAX_REPORTED = 50


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    msg = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    if kind in {"int_parsing", "float_parsing", "int_type", "float_type", "string_type"}:
        msg = f"{msg}, got {error.get('input')!r}"
    return msg


def _located(path: str | Path, lines: LineFinder | None, loc: Loc, message: str) -> str:
    line = lines.line(loc) if lines is not None else None
    where = f"{path}:{line}" if line else str(path)
    return f"{where}: {format_loc(loc)}: {message}"


def _report(
    path: str | Path, text: str, problems: list[tuple[Loc, str]], total: int
) -> InventoryError:
    """Name file, line, path and problem for the first :data:`MAX_REPORTED` of ``total``."""
    lines = LineFinder(text) if text else None  # the node tree is composed once, not per problem
    out = [_located(path, lines, loc, message) for loc, message in problems[:MAX_REPORTED]]
    if total > MAX_REPORTED:
        out.append(f"{path}: ... and {total - MAX_REPORTED} more problems")
    return InventoryError(out)


def validate_document(data: Any, path: str | Path, text: str, model: type[BaseModel]) -> Any:
    """Validate parsed data against ``model``; errors name file, line, path and problem."""
    if not isinstance(data, dict):
        raise InventoryError([f"{path}:1: (document): expected a mapping at the top level"])
    try:
        with gc_paused():  # tens of thousands of model objects, none of them in a cycle
            return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        problems = [(tuple(e["loc"]), _message(dict(e))) for e in errors[:MAX_REPORTED]]
        raise _report(path, text, problems, len(errors)) from None


def load_inventory(path: str | Path) -> Inventory:
    """Read, validate and cross-check an inventory file. Raises :class:`InventoryError`."""
    text = read_text(path)
    data = parse_document(text, path)
    inventory: Inventory = validate_document(data, path, text, Inventory)
    problems = inventory.problems()
    if problems:
        located = [(p.loc, p.message) for p in problems[:MAX_REPORTED]]
        raise _report(path, text, located, len(problems))
    return inventory


def dump_inventory(inventory: Inventory, fmt: str = "yaml") -> str:
    """Serialise an inventory: unknown (None) values are left out, so they stay unknown."""
    with gc_paused():  # millions of short-lived objects, none of them in a cycle
        data = inventory.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        data = {"schema_version": inventory.schema_version, **data}
        if fmt == "json":
            return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        return yaml.dump(
            data, Dumper=FastSafeDumper, sort_keys=False, allow_unicode=True, width=100
        )


def save_inventory(inventory: Inventory, path: str | Path) -> Path:
    """Write an inventory atomically; ``.json`` gives JSON, anything else YAML."""
    fmt = "json" if str(path).endswith(".json") else "yaml"
    return write_text(path, dump_inventory(inventory, fmt))
