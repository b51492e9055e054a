"""Which lock-in service a Terraform AWS resource type belongs to (data: ``seeds/interop/``).

The seed lists resource types per service id (ids of the service table in the lock-in
knowledge base); an entry ending in ``*`` is a prefix and the longest matching prefix wins. A
type the seed does not list falls back to its boto3 client name: the first word after ``aws_``,
translated through ``client_names`` where Terraform and boto3 spell it differently.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from planner.models.base import Model
from planner.models.seeds import SourceRef

SEED = "interop/terraform_aws.yaml"


class TerraformServiceMap(Model):
    """Terraform resource types -> lock-in service ids, with engines for databases and caches."""

    as_of: dt.date
    sources: list[SourceRef] = Field(min_length=1)
    services: dict[str, list[str]] = Field(min_length=1)
    client_names: dict[str, str] = Field(default_factory=dict)
    db_engines: dict[str, str] = Field(description="engine prefix -> service id (RDS, Aurora)")
    cache_engines: dict[str, str] = Field(description="engine -> service id (ElastiCache)")

    @model_validator(mode="after")
    def _unique(self) -> TerraformServiceMap:
        seen: dict[str, str] = {}
        for service, types in self.services.items():
            for entry in types:
                if entry in seen:
                    raise ValueError(f"{entry} is listed under {seen[entry]} and {service}")
                seen[entry] = service
        return self

    def _index(self) -> tuple[dict[str, str], list[tuple[str, str]]]:
        cached: tuple[dict[str, str], list[tuple[str, str]]] | None = getattr(self, "_cache", None)
        if cached is None:
            exact = {t: s for s, types in self.services.items() for t in types if "*" not in t}
            prefixes = sorted(
                (
                    (t.rstrip("*"), s)
                    for s, types in self.services.items()
                    for t in types
                    if "*" in t
                ),
                key=lambda item: -len(item[0]),
            )
            cached = (exact, prefixes)
            object.__setattr__(self, "_cache", cached)
        return cached

    def service_for(self, resource_type: str) -> tuple[str, bool]:
        """(service id, True if the seed lists the type; False for the boto3-name fallback)."""
        exact, prefixes = self._index()
        if resource_type in exact:
            return exact[resource_type], True
        for prefix, service in prefixes:
            if resource_type.startswith(prefix):
                return service, True
        word = resource_type.split("_", 2)[1] if resource_type.count("_") else resource_type
        return self.client_names.get(word, word), False

    def engine_service(self, engine: str | None, table: dict[str, str]) -> str | None:
        if not engine:
            return None
        matches = [prefix for prefix in table if engine.lower().startswith(prefix)]
        return table[max(matches, key=len)] if matches else None
