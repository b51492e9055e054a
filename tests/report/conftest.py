"""Fixtures for report tests: the contract-shaped plan and audit documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def plan500() -> dict[str, Any]:
    return load("plan-500.json")


@pytest.fixture
def plan_small() -> dict[str, Any]:
    return load("plan-small.json")


@pytest.fixture
def audit() -> dict[str, Any]:
    return load("audit.json")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``test-artifacts/`` at the repository root (git-ignored): screenshots and PDFs."""
    path = Path(__file__).resolve().parents[2] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
