"""Fixtures for the core tests."""

import pytest

from planner.models.catalog import Catalog
from tests.core.catalog_helpers import tiny_catalog


@pytest.fixture(scope="session")
def tiny() -> Catalog:
    return tiny_catalog()
