"""Shared fixtures: the CLI runner and paths into the repository."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli.main import app

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def cli() -> Callable[..., object]:
    """Invoke ``exitplan`` in-process: ``cli("inventory", "validate", path)``."""
    runner = CliRunner()

    def invoke(*args: object, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke
