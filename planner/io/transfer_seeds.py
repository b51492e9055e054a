"""Load the transfer planner's seed files (``seeds/transfer/``) into one validated bundle."""

from __future__ import annotations

import functools

from pydantic import BaseModel

from planner.io.seeds import load_yaml_seed
from planner.models.transfer_seeds import (
    CutoverSeeds,
    DatabaseSeeds,
    EbsSeeds,
    EgressSeeds,
    NetworkSeeds,
    S3Seeds,
    ToolSeeds,
    TransferSeeds,
)

FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "ebs": ("transfer/ebs_volume_types.yaml", EbsSeeds),
    "network": ("transfer/network_rules.yaml", NetworkSeeds),
    "egress": ("transfer/egress_prices.yaml", EgressSeeds),
    "tools": ("transfer/tools.yaml", ToolSeeds),
    "s3": ("transfer/s3.yaml", S3Seeds),
    "databases": ("transfer/databases.yaml", DatabaseSeeds),
    "cutover": ("transfer/cutover.yaml", CutoverSeeds),
}


@functools.cache
def transfer_seeds() -> TransferSeeds:
    """Every transfer seed file, validated, loaded once per process (:class:`SeedError` if bad)."""
    parts: dict[str, BaseModel] = {}
    for key, (path, model) in FILES.items():
        parts[key] = load_yaml_seed(path, model)
    return TransferSeeds.model_validate(parts)
