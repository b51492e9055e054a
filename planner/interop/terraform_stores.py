"""Terraform attributes -> data stores (buckets, databases, file systems, caches) and evidence.

Sizes are GiB in the AWS provider (``allocated_storage``, ``storage_capacity``, EBS
``volume_size``); ``0`` and ``""`` mean "not set" and stay unknown. EFS reports its metered size
in ``size_in_bytes[0].value``: the only used-bytes figure a state holds. Aurora's
``allocated_storage`` is meaningless (its storage grows by itself) and is ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from planner.interop.service_map import TerraformServiceMap
from planner.interop.values import GIB, role_from_tags

if TYPE_CHECKING:
    from planner.interop.terraform_state import StateResource


class Unusable(ValueError):
    """The resource lacks what we need (reported as a skipped row)."""


def attr(attrs: Mapping[str, Any], *names: str) -> Any:
    """The first attribute that is set: not None, "", 0, [] or {}."""
    for name in names:
        value = attrs.get(name)
        if value not in (None, "", 0, [], {}):
            return value
    return None


def first_block(attrs: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = attrs.get(name)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return {}


def tags_of(attrs: Mapping[str, Any]) -> dict[str, str]:
    tags = attrs.get("tags_all") or attrs.get("tags") or {}
    return {str(k): str(v) for k, v in tags.items() if v is not None}


def arn_parts(arn: Any) -> dict[str, str]:
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        return {}
    parts = arn.split(":", 5)
    out: dict[str, str] = {}
    if len(parts) > 4 and parts[3]:
        out["region"] = parts[3]
    if len(parts) > 4 and parts[4]:
        out["account"] = parts[4]
    return out


class StoreMapper:
    """Maps the data-store resource types; :class:`Builder` adds servers and volumes."""

    def __init__(self, source: str, services: TerraformServiceMap) -> None:
        self.source = source
        self.services = services
        self.evidence: list[dict[str, Any]] = []
        self.store_types: dict[str, Callable[[StateResource], dict[str, Any]]] = {
            "aws_s3_bucket": self._bucket,
            "aws_glacier_vault": self._vault,
            "aws_db_instance": self._database,
            "aws_rds_cluster": self._database,
            "aws_docdb_cluster": self._database,
            "aws_neptune_cluster": self._database,
            "aws_redshift_cluster": self._database,
            "aws_dynamodb_table": self._database,
            "aws_opensearch_domain": self._search,
            "aws_elasticsearch_domain": self._search,
            "aws_efs_file_system": self._file_system,
            "aws_fsx_lustre_file_system": self._file_system,
            "aws_fsx_windows_file_system": self._file_system,
            "aws_fsx_ontap_file_system": self._file_system,
            "aws_fsx_openzfs_file_system": self._file_system,
            "aws_elasticache_cluster": self._cache,
            "aws_elasticache_replication_group": self._cache,
            "aws_elasticache_serverless_cache": self._cache,
            "aws_memorydb_cluster": self._cache,
        }

    def evidence_for(self, resource: StateResource, service: str) -> dict[str, Any]:
        return {
            "service": service,
            "signal": f"terraform:{resource.type}",
            "origin": "import",
            "detail": attr(resource.attributes, "arn") or resource.address,
            "path": self.source,
            "line": resource.line,
        }

    def store(
        self, resource: StateResource, kind: str, service: str | None, ident: Any, **fields: Any
    ) -> dict[str, Any]:
        attrs = resource.attributes
        if not ident:
            raise Unusable("no identifier (name or id) in the attributes")
        tags = tags_of(attrs)
        region = attr(attrs, "region") or arn_parts(attrs.get("arn")).get("region")
        source = {"provider": "aws", **arn_parts(attrs.get("arn")), "resource_id": str(ident)}
        if region:
            source["region"] = region
        record: dict[str, Any] = {
            "id": str(ident),
            "kind": kind,
            "service": service,
            "source": source,
            "tags": tags,
            "role": role_from_tags(tags) or "unknown",
            **{k: v for k, v in fields.items() if v not in (None, "")},
        }
        record["lockin"] = [self.evidence_for(resource, service or resource.type)]
        return record

    def _bucket(self, r: StateResource) -> dict[str, Any]:
        return self.store(r, "object-storage", "s3", attr(r.attributes, "bucket", "id"))

    def _vault(self, r: StateResource) -> dict[str, Any]:
        return self.store(r, "object-storage", "glacier", attr(r.attributes, "name", "id"))

    def _database(self, r: StateResource) -> dict[str, Any]:
        a = r.attributes
        service, _ = self.services.service_for(r.type)
        engine = a.get("engine")
        service = self.services.engine_service(engine, self.services.db_engines) or service
        if r.type == "aws_dynamodb_table":
            service = "dynamodb"
        size = attr(a, "allocated_storage")
        if str(engine or "").startswith("aurora"):
            size = None  # Aurora storage grows on its own: allocated_storage means nothing
        return self.store(
            r,
            "database",
            service,
            attr(a, "identifier", "cluster_identifier", "name", "id"),
            engine=engine,
            engine_version=attr(a, "engine_version_actual", "engine_version"),
            instance_class=attr(a, "instance_class", "db_cluster_instance_class", "node_type"),
            size_bytes=int(size) * GIB if size else None,
        )

    def _search(self, r: StateResource) -> dict[str, Any]:
        a = r.attributes
        ebs, cluster = first_block(a, "ebs_options"), first_block(a, "cluster_config")
        size = attr(ebs, "volume_size")
        nodes = attr(cluster, "instance_count") or 1
        return self.store(
            r,
            "database",
            "opensearch",
            attr(a, "domain_name", "id"),
            engine=attr(a, "engine_version", "elasticsearch_version"),
            instance_class=attr(cluster, "instance_type"),
            size_bytes=int(size) * GIB * int(nodes) if size else None,
        )

    def _file_system(self, r: StateResource) -> dict[str, Any]:
        a = r.attributes
        metered = first_block(a, "size_in_bytes").get("value")
        capacity = attr(a, "storage_capacity")
        service = "efs" if r.type == "aws_efs_file_system" else "fsx"
        return self.store(
            r,
            "file-system",
            service,
            attr(a, "id"),
            used_bytes=int(metered) if isinstance(metered, int) else None,
            size_bytes=int(capacity) * GIB if capacity else None,
        )

    def _cache_service(self, a: Mapping[str, Any]) -> str:
        engine = a.get("engine") or "redis"
        return self.services.engine_service(engine, self.services.cache_engines) or "elasticache"

    def _cache(self, r: StateResource) -> dict[str, Any]:
        a = r.attributes
        service = "memorydb" if r.type == "aws_memorydb_cluster" else self._cache_service(a)
        return self.store(
            r,
            "cache",
            service,
            attr(a, "cluster_id", "replication_group_id", "name", "id"),
            engine=a.get("engine") or ("redis" if "elasticache" in r.type else None),
            engine_version=attr(a, "engine_version_actual", "engine_version"),
            instance_class=attr(a, "node_type"),
        )
