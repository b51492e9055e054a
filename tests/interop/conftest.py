"""Fixtures for the interop tests: fixture paths and golden-file comparison.

Golden files live in ``tests/interop/golden/``. After a deliberate change, regenerate them with
``UPDATE_GOLDEN=1 python -m pytest tests/interop`` and review the diff before committing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from planner.interop.report import ImportResult
from planner.io.documents import read_text
from planner.io.interop_files import IMPORTERS
from planner.io.inventory_file import dump_inventory

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def run_import(fmt: str, relative: str) -> ImportResult:
    """Import a fixture with a machine-independent source name (its path under fixtures/)."""
    path = FIXTURES / relative
    return IMPORTERS[fmt](read_text(path), relative, path)


def render(result: ImportResult) -> tuple[str, str]:
    """The imported inventory as YAML, and the problems and notes as text."""
    report = [*result.rendered_problems(), *(f"note: {n}" for n in result.notes)]
    text = "\n".join(report) + "\n"
    prefix = str(FIXTURES) + os.sep
    return dump_inventory(result.inventory).replace(prefix, ""), text.replace(prefix, "")


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if os.environ.get("UPDATE_GOLDEN"):
            path.write_text(actual, encoding="utf-8")
        assert path.exists(), f"missing golden file {path} (run with UPDATE_GOLDEN=1)"
        assert actual == path.read_text(encoding="utf-8"), f"differs from golden {name}"

    return check
