"""Load and save inventory files (YAML or JSON) with ``file:line: path: problem`` errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from planner.errors import InventoryError
from planner.io.atomic import write_text
from planner.io.documents import Loc, format_loc, line_of, parse_document, read_text
from planner.models import Inventory

MAX_REPORTED = 50

try:
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Dumper = yaml.SafeDumper


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


def _located(path: str | Path, text: str, loc: Loc, message: str) -> str:
    line = line_of(text, loc) if text else None
    where = f"{path}:{line}" if line else str(path)
    return f"{where}: {format_loc(loc)}: {message}"


def validate_document(data: Any, path: str | Path, text: str, model: type[BaseModel]) -> Any:
    """Validate parsed data against ``model``; errors name file, line, path and problem."""
    if not isinstance(data, dict):
        raise InventoryError([f"{path}:1: (document): expected a mapping at the top level"])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        lines = [
            _located(path, text, tuple(e["loc"]), _message(dict(e))) for e in errors[:MAX_REPORTED]
        ]
        if len(errors) > MAX_REPORTED:
            lines.append(f"{path}: ... and {len(errors) - MAX_REPORTED} more problems")
        raise InventoryError(lines) from None


def load_inventory(path: str | Path) -> Inventory:
    """Read, validate and cross-check an inventory file. Raises :class:`InventoryError`."""
    text = read_text(path)
    data = parse_document(text, path)
    inventory: Inventory = validate_document(data, path, text, Inventory)
    problems = inventory.problems()
    if problems:
        lines = [_located(path, text, p.loc, p.message) for p in problems[:MAX_REPORTED]]
        if len(problems) > MAX_REPORTED:
            lines.append(f"{path}: ... and {len(problems) - MAX_REPORTED} more problems")
        raise InventoryError(lines)
    return inventory


def dump_inventory(inventory: Inventory, fmt: str = "yaml") -> str:
    """Serialise an inventory: unknown (None) values are left out, so they stay unknown."""
    data = inventory.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"schema_version": inventory.schema_version, **data}
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return str(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100))


def save_inventory(inventory: Inventory, path: str | Path) -> Path:
    """Write an inventory atomically; ``.json`` gives JSON, anything else YAML."""
    fmt = "json" if str(path).endswith(".json") else "yaml"
    return write_text(path, dump_inventory(inventory, fmt))
