"""Find and load the bundled reference data in ``seeds/``.

In a wheel the data sits in ``planner/_seeds``; in a checkout it is the top-level ``seeds/``.
``EXITPLAN_SEEDS`` overrides both (for tests and for teams that keep their own catalogs).
"""

from __future__ import annotations

import csv
import functools
import os
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from planner.errors import SeedError
from planner.io.documents import format_loc, line_of, parse_document, read_text
from planner.models.census import CensusSeed, EntryError
from planner.models.seeds import AwsInstanceType

T = TypeVar("T", bound=BaseModel)


def seeds_dir() -> Path:
    """The directory holding seed data."""
    override = os.environ.get("EXITPLAN_SEEDS")
    if override:
        return Path(override)
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_seeds", package.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    raise SeedError("seed data not found: reinstall exitplan or set EXITPLAN_SEEDS")


def seed_path(relative: str) -> Path:
    return seeds_dir() / relative


def load_yaml_seed(relative: str | Path, model: type[T], *, lines: bool = True) -> T:
    """Load one YAML seed file and validate it; invalid seed data is a :class:`SeedError`.

    With ``lines`` the error reads ``file:line: field: problem`` (the YAML is composed a second
    time, only when something is wrong, to find the line).
    """
    path = relative if isinstance(relative, Path) else seed_path(relative)
    text = read_text(path)
    try:
        return model.model_validate(parse_document(text, path))
    except ValidationError as exc:
        first = exc.errors()[0]
        if lines:
            raise SeedError(_located(path, text, first)) from None
        raise SeedError(f"{path}: {format_loc(tuple(first['loc']))}: {first['msg']}") from None


def _located(path: Path, text: str, error: ErrorDetails) -> str:
    """``file:line: field: problem`` for one pydantic error; an
    :class:`~planner.models.census.EntryError` behind it narrows the location to its ``at``."""
    cause = (error.get("ctx") or {}).get("error")
    loc = tuple(error["loc"]) + (cause.at if isinstance(cause, EntryError) else ())
    if error["type"] == "extra_forbidden":
        problem = "unknown field"
    elif error["type"] == "missing":
        problem = "required field is missing"
    else:
        problem = str(error["msg"]).removeprefix("Value error, ")
    line = line_of(text, loc)
    where = f"{path}:{line}" if line else str(path)
    return f"{where}: {format_loc(loc)}: {problem}"


def load_csv_seed(relative: str | Path, model: type[T]) -> list[T]:
    """Load a CSV seed file, one model per row; empty cells are ``None``."""
    path = relative if isinstance(relative, Path) else seed_path(relative)
    rows: list[T] = []
    reader = csv.DictReader(read_text(path).splitlines())
    for number, row in enumerate(reader, start=2):
        clean = {k: (v if v != "" else None) for k, v in row.items() if k is not None}
        try:
            rows.append(model.model_validate(clean))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise SeedError(
                f"{path}:{number}: {format_loc(tuple(first['loc']))}: {first['msg']}"
            ) from None
    return rows


@functools.cache
def aws_instance_types() -> dict[str, AwsInstanceType]:
    """Instance type -> :class:`AwsInstanceType`, loaded once per process."""
    return {
        row.instance_type: row for row in load_csv_seed("aws/instance_types.csv", AwsInstanceType)
    }


@functools.cache
def aws_census() -> CensusSeed:
    """The census calls of AWS discovery (``seeds/aws/census.yaml``), loaded once per process."""
    return load_yaml_seed("aws/census.yaml", CensusSeed)
