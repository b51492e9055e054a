"""Shared base class and small vocabularies for all models."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base model: unknown keys are errors, aliases and field names are both accepted."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=True)


class Provenance(StrEnum):
    """Where a value came from; planners trust ``measured`` over ``discovered`` over ``assumed``."""

    MEASURED = "measured"  # read on the host itself (SSH discovery, probes)
    DISCOVERED = "discovered"  # read from a provider API (AWS discovery)
    DECLARED = "declared"  # written by a person in an inventory file
    IMPORTED = "imported"  # taken from another tool's export
    ASSUMED = "assumed"  # generated or defaulted: no observation behind it


PROVENANCE_RANK = {
    Provenance.MEASURED: 4,
    Provenance.DISCOVERED: 3,
    Provenance.DECLARED: 2,
    Provenance.IMPORTED: 1,
    Provenance.ASSUMED: 0,
}
