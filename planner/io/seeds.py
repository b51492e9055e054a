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

from planner.errors import SeedError
from planner.io.documents import format_loc, load_document, read_text
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


def load_yaml_seed(relative: str | Path, model: type[T]) -> T:
    """Load one YAML seed file and validate it; invalid seed data is a :class:`SeedError`."""
    path = relative if isinstance(relative, Path) else seed_path(relative)
    data = load_document(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise SeedError(f"{path}: {format_loc(tuple(first['loc']))}: {first['msg']}") from None


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
