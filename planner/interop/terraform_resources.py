"""Map Terraform AWS resources to servers, data stores and lock-in evidence.

Sizes in the AWS provider are GiB (``volume_size``, ``size``, ``allocated_storage``) and
throughputs MiB/s; ``0`` and ``""`` mean "not set" and stay unknown. EFS reports its metered
size in ``size_in_bytes[0].value``: the only used-bytes figure a state holds. vCPUs, memory and
network/EBS limits of an instance come from the bundled instance-type catalog when the state
does not say.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from planner.interop.service_map import TerraformServiceMap
from planner.interop.values import GIB, MIB, UniqueIds, mark_imported, role_from_tags
from planner.models.seeds import AwsInstanceType

if TYPE_CHECKING:
    from planner.interop.terraform_state import StateResource

Record = tuple[str, int | None, str, dict[str, Any]]  # kind, line, address, model data


class Unusable(ValueError):
    """The resource lacks what we need (reported as a skipped row)."""


def _get(attrs: Mapping[str, Any], *names: str) -> Any:
    """The first attribute that is set: not None, "", 0, [] or {}."""
    for name in names:
        value = attrs.get(name)
        if value not in (None, "", 0, [], {}):
            return value
    return None


def _first(attrs: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = attrs.get(name)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return {}


def _tags(attrs: Mapping[str, Any]) -> dict[str, str]:
    tags = attrs.get("tags_all") or attrs.get("tags") or {}
    return {str(k): str(v) for k, v in tags.items() if v is not None}


def _arn_parts(arn: Any) -> dict[str, str]:
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        return {}
    parts = arn.split(":", 5)
    out: dict[str, str] = {}
    if len(parts) > 4 and parts[3]:
        out["region"] = parts[3]
    if len(parts) > 4 and parts[4]:
        out["account"] = parts[4]
    return out


def _volume(block: Mapping[str, Any]) -> dict[str, Any]:
    volume: dict[str, Any] = {}
    if _get(block, "volume_id", "id"):
        volume["id"] = _get(block, "volume_id", "id")
    if _get(block, "device_name"):
        volume["device"] = block["device_name"]
    size = _get(block, "volume_size", "size")
    if size:
        volume["size_bytes"] = int(size) * GIB
    if _get(block, "volume_type", "type"):
        volume["volume_type"] = _get(block, "volume_type", "type")
    if _get(block, "iops"):
        volume["iops"] = int(block["iops"])
    if _get(block, "throughput"):
        volume["throughput_bytes_per_second"] = int(block["throughput"]) * MIB
    if _get(block, "snapshot_id"):
        volume["snapshot_ids"] = [block["snapshot_id"]]
    return volume


class Builder:
    """Collects resources, then resolves attachments and hands out unique ids."""

    def __init__(
        self,
        source: str,
        services: TerraformServiceMap,
        instance_types: Mapping[str, AwsInstanceType],
    ) -> None:
        self.source = source
        self.services = services
        self.instance_types = instance_types
        self.servers: dict[str, tuple[StateResource, dict[str, Any]]] = {}
        self.volumes: dict[str, tuple[StateResource, dict[str, Any]]] = {}
        self.attachments: list[StateResource] = []
        self.stores: list[tuple[StateResource, dict[str, Any]]] = []
        self.evidence: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self._stores: dict[str, Callable[[StateResource], dict[str, Any]]] = {
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
            "detail": _get(resource.attributes, "arn") or resource.address,
            "path": self.source,
            "line": resource.line,
        }

    def add(self, resource: StateResource) -> None:
        kind, attrs = resource.type, resource.attributes
        if kind == "aws_instance":
            self.servers[self._require(resource, "id")] = (resource, self._server(resource))
        elif kind == "aws_ebs_volume":
            self.volumes[self._require(resource, "id")] = (resource, _volume(attrs))
        elif kind == "aws_volume_attachment":
            self._require(resource, "instance_id", "volume_id")
            self.attachments.append(resource)
        elif kind in self._stores:
            if kind == "aws_elasticache_cluster" and _get(attrs, "replication_group_id"):
                self.evidence.append(self.evidence_for(resource, self._cache_service(attrs)))
                return  # a member of a replication group: the group is the store
            self.stores.append((resource, self._stores[kind](resource)))
        else:
            service, _ = self.services.service_for(kind)
            engine = self.services.engine_service(attrs.get("engine"), self.services.db_engines)
            if engine and kind.startswith(("aws_db_", "aws_rds_")):
                service = engine
            self.evidence.append(self.evidence_for(resource, service))

    @staticmethod
    def _require(resource: StateResource, *names: str) -> str:
        for name in names:
            if not _get(resource.attributes, name):
                raise Unusable(f"attribute {name!r} is missing or empty")
        return str(resource.attributes[names[0]])

    def _server(self, resource: StateResource) -> dict[str, Any]:
        attrs = resource.attributes
        tags = _tags(attrs)
        record: dict[str, Any] = {
            "id": attrs["id"],
            "source": {
                "provider": "aws",
                **_arn_parts(attrs.get("arn")),
                "zone": _get(attrs, "availability_zone"),
                "resource_id": attrs["id"],
            },
            "tags": tags,
            "role": role_from_tags(tags) or "unknown",
            "instance_type": _get(attrs, "instance_type"),
            "hostname": _get(attrs, "private_dns"),
            "address": _get(attrs, "private_ip", "public_ip"),
            "private_address": _get(attrs, "private_ip"),
            "public_address": _get(attrs, "public_ip"),
        }
        if record["source"].get("zone") and "region" not in record["source"]:
            record["source"]["region"] = record["source"]["zone"][:-1]
        cpu = _first(attrs, "cpu_options")
        cores = _get(cpu, "core_count") or _get(attrs, "cpu_core_count")
        threads = _get(cpu, "threads_per_core") or _get(attrs, "cpu_threads_per_core") or 1
        catalog = self.instance_types.get(str(record["instance_type"]))
        if cores:
            record["vcpus"] = int(cores) * int(threads)
        elif catalog:
            record["vcpus"] = catalog.vcpus
        if catalog:
            record["memory_bytes"] = catalog.memory_mib * MIB
            record["network"] = {
                "baseline_bits_per_second": (catalog.baseline_gbps or 0) * 1e9 or None,
                "burst_bits_per_second": (catalog.peak_gbps or 0) * 1e9 or None,
            }
            record["storage"] = {
                "baseline_bytes_per_second": (catalog.ebs_baseline_mbytes_per_second or 0) * 1e6
                or None,
                "burst_bytes_per_second": (catalog.ebs_maximum_mbytes_per_second or 0) * 1e6
                or None,
                "baseline_iops": catalog.ebs_baseline_iops,
            }
        blocks = [*(attrs.get("root_block_device") or []), *(attrs.get("ebs_block_device") or [])]
        record["volumes"] = [_volume(b) for b in blocks if isinstance(b, dict)]
        if _get(attrs, "iam_instance_profile"):
            evidence = self.evidence_for(resource, "iam")
            evidence["signal"] = "terraform:aws_instance.iam_instance_profile"
            evidence["detail"] = f"instance profile {attrs['iam_instance_profile']}"
            record["lockin"] = [evidence]
        return record

    def _store(
        self, resource: StateResource, kind: str, service: str | None, ident: Any, **fields: Any
    ) -> dict[str, Any]:
        attrs = resource.attributes
        if not ident:
            raise Unusable("no identifier (name or id) in the attributes")
        tags = _tags(attrs)
        region = _get(attrs, "region") or _arn_parts(attrs.get("arn")).get("region")
        source = {"provider": "aws", **_arn_parts(attrs.get("arn")), "resource_id": str(ident)}
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
        return self._store(r, "object-storage", "s3", _get(r.attributes, "bucket", "id"))

    def _vault(self, r: StateResource) -> dict[str, Any]:
        return self._store(r, "object-storage", "glacier", _get(r.attributes, "name", "id"))

    def _database(self, r: StateResource) -> dict[str, Any]:
        a = r.attributes
        service, _ = self.services.service_for(r.type)
        engine = a.get("engine")
        service = self.services.engine_service(engine, self.services.db_engines) or service
        if r.type == "aws_dynamodb_table":
            service = "dynamodb"
        size = _get(a, "allocated_storage")
        if str(engine or "").startswith("aurora"):
            size = None  # Aurora storage grows on its own: allocated_storage means nothing
        return self._store(
            r,
            "database",
            service,
            _get(a, "identifier", "cluster_identifier", "name", "id"),
            engine=engine,
            engine_version=_get(a, "engine_version_actual", "engine_version"),
            instance_class=_get(a, "instance_class", "db_cluster_instance_class", "node_type"),
            size_bytes=int(size) * GIB if size else None,
        )

    def _search(self, r: StateResource) -> dict[str, Any]:
        a = r.attributes
        ebs, cluster = _first(a, "ebs_options"), _first(a, "cluster_config")
        size = _get(ebs, "volume_size")
        nodes = _get(cluster, "instance_count") or 1
        return self._store(
            r,
            "database",
            "opensearch",
            _get(a, "domain_name", "id"),
            engine=_get(a, "engine_version", "elasticsearch_version"),
            instance_class=_get(cluster, "instance_type"),
            size_bytes=int(size) * GIB * int(nodes) if size else None,
        )

    def _file_system(self, r: StateResource) -> dict[str, Any]:
        a = r.attributes
        metered = _first(a, "size_in_bytes").get("value")
        capacity = _get(a, "storage_capacity")
        service = "efs" if r.type == "aws_efs_file_system" else "fsx"
        return self._store(
            r,
            "file-system",
            service,
            _get(a, "id"),
            used_bytes=int(metered) if isinstance(metered, int) else None,
            size_bytes=int(capacity) * GIB if capacity else None,
        )

    def _cache_service(self, a: Mapping[str, Any]) -> str:
        engine = a.get("engine") or "redis"
        return self.services.engine_service(engine, self.services.cache_engines) or "elasticache"

    def _cache(self, r: StateResource) -> dict[str, Any]:
        a = r.attributes
        service = "memorydb" if r.type == "aws_memorydb_cluster" else self._cache_service(a)
        return self._store(
            r,
            "cache",
            service,
            _get(a, "cluster_id", "replication_group_id", "name", "id"),
            engine=a.get("engine") or ("redis" if "elasticache" in r.type else None),
            engine_version=_get(a, "engine_version_actual", "engine_version"),
            instance_class=_get(a, "node_type"),
        )

    def _attach(self) -> set[str]:
        attached: set[str] = set()
        for attachment in self.attachments:
            attrs = attachment.attributes
            server = self.servers.get(attrs["instance_id"])
            volume = self.volumes.get(attrs["volume_id"])
            if server is None or volume is None:
                missing = "instance" if server is None else "volume"
                self.notes.append(
                    f"{attachment.address}: {missing} {attrs[missing + '_id']} is not in this "
                    "state; attachment ignored"
                )
                continue
            data = {**volume[1], "device": attrs.get("device_name") or volume[1].get("device")}
            existing = [v for v in server[1]["volumes"] if v.get("id") == attrs["volume_id"]]
            if existing:
                existing[0].update({k: v for k, v in data.items() if k not in existing[0]})
            else:
                server[1]["volumes"].append(data)
            attached.add(attrs["volume_id"])
        return attached

    def finish(self) -> list[Record]:
        """Resolve attachments; return model data with unique ids, servers first."""
        attached = self._attach()
        inline = {v.get("id") for _, data in self.servers.values() for v in data["volumes"]}
        ids = UniqueIds()
        out: list[Record] = []
        for resource, data in self.servers.values():
            data["id"] = ids.claim(data["id"])
            data = {k: v for k, v in data.items() if v not in (None, "", [], {})}
            out.append(("server", resource.line, resource.address, mark_imported(data)))
        for volume_id, (resource, volume) in self.volumes.items():
            if volume_id in attached or volume_id in inline:
                continue
            store = self._store(
                resource, "other", "ebs", volume_id, size_bytes=volume.get("size_bytes")
            )
            self.stores.append((resource, store))
            self.notes.append(
                f"{resource.address}: volume {volume_id} is not attached to an "
                "instance in this state; listed as a data store"
            )
        for resource, data in self.stores:
            wanted = data["id"]
            data["id"] = ids.claim(wanted)
            if data["id"] != wanted:
                self.notes.append(
                    f"{resource.address}: id {wanted!r} already used; stored as {data['id']!r}"
                )
            data = {k: v for k, v in data.items() if v not in (None, "", [], {})}
            out.append(("store", resource.line, resource.address, mark_imported(data)))
        return out
