"""Fixtures for the core tests."""

import pytest
from catalog_helpers import tiny_catalog

from planner.models.catalog import Catalog


@pytest.fixture(scope="session")
def tiny() -> Catalog:
    return tiny_catalog()
