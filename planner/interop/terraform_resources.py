"""Map Terraform AWS resources to servers (with their volumes) and lock-in evidence.

``aws_instance`` becomes a server with its root and inline EBS volumes; ``aws_ebs_volume`` plus
``aws_volume_attachment`` add attached volumes (a volume named both inline and by an attachment
counts once); an unattached volume becomes a data store. EBS sizes are GiB and throughputs MiB/s.
vCPUs, memory and network/EBS limits come from the bundled instance-type catalog when the state
does not say. Data stores are mapped by :mod:`planner.interop.terraform_stores`; any other
resource becomes account-level evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from planner.interop.service_map import TerraformServiceMap
from planner.interop.terraform_stores import (
    StoreMapper,
    Unusable,
    arn_parts,
    attr,
    first_block,
    tags_of,
)
from planner.interop.values import GIB, MIB, UniqueIds, mark_imported, role_from_tags
from planner.models.seeds import AwsInstanceType

if TYPE_CHECKING:
    from planner.interop.terraform_state import StateResource

Record = tuple[str, int | None, str, dict[str, Any]]  # kind, line, address, model data


def _volume(block: Mapping[str, Any]) -> dict[str, Any]:
    volume: dict[str, Any] = {}
    if attr(block, "volume_id", "id"):
        volume["id"] = attr(block, "volume_id", "id")
    if attr(block, "device_name"):
        volume["device"] = block["device_name"]
    size = attr(block, "volume_size", "size")
    if size:
        volume["size_bytes"] = int(size) * GIB
    if attr(block, "volume_type", "type"):
        volume["volume_type"] = attr(block, "volume_type", "type")
    if attr(block, "iops"):
        volume["iops"] = int(block["iops"])
    if attr(block, "throughput"):
        volume["throughput_bytes_per_second"] = int(block["throughput"]) * MIB
    if attr(block, "snapshot_id"):
        volume["snapshot_ids"] = [block["snapshot_id"]]
    return volume


class Builder(StoreMapper):
    """Collects resources, then resolves attachments and hands out unique ids."""

    def __init__(
        self,
        source: str,
        services: TerraformServiceMap,
        instance_types: Mapping[str, AwsInstanceType],
    ) -> None:
        super().__init__(source, services)
        self.instance_types = instance_types
        self.servers: dict[str, tuple[StateResource, dict[str, Any]]] = {}
        self.volumes: dict[str, tuple[StateResource, dict[str, Any]]] = {}
        self.attachments: list[StateResource] = []
        self.stores: list[tuple[StateResource, dict[str, Any]]] = []
        self.notes: list[str] = []

    def add(self, resource: StateResource) -> None:
        kind, attrs = resource.type, resource.attributes
        if kind == "aws_instance":
            self.servers[self._require(resource, "id")] = (resource, self._server(resource))
        elif kind == "aws_ebs_volume":
            self.volumes[self._require(resource, "id")] = (resource, _volume(attrs))
        elif kind == "aws_volume_attachment":
            self._require(resource, "instance_id", "volume_id")
            self.attachments.append(resource)
        elif kind in self.store_types:
            if kind == "aws_elasticache_cluster" and attr(attrs, "replication_group_id"):
                self.evidence.append(self.evidence_for(resource, self._cache_service(attrs)))
                return  # a member of a replication group: the group is the store
            self.stores.append((resource, self.store_types[kind](resource)))
        else:
            service, _ = self.services.service_for(kind)
            engine = self.services.engine_service(attrs.get("engine"), self.services.db_engines)
            if engine and kind.startswith(("aws_db_", "aws_rds_")):
                service = engine
            self.evidence.append(self.evidence_for(resource, service))

    @staticmethod
    def _require(resource: StateResource, *names: str) -> str:
        for name in names:
            if not attr(resource.attributes, name):
                raise Unusable(f"attribute {name!r} is missing or empty")
        return str(resource.attributes[names[0]])

    def _server(self, resource: StateResource) -> dict[str, Any]:
        attrs = resource.attributes
        tags = tags_of(attrs)
        record: dict[str, Any] = {
            "id": attrs["id"],
            "source": {
                "provider": "aws",
                **arn_parts(attrs.get("arn")),
                "zone": attr(attrs, "availability_zone"),
                "resource_id": attrs["id"],
            },
            "tags": tags,
            "role": role_from_tags(tags) or "unknown",
            "instance_type": attr(attrs, "instance_type"),
            "hostname": attr(attrs, "private_dns"),
            "address": attr(attrs, "private_ip", "public_ip"),
            "private_address": attr(attrs, "private_ip"),
            "public_address": attr(attrs, "public_ip"),
        }
        if record["source"].get("zone") and "region" not in record["source"]:
            record["source"]["region"] = record["source"]["zone"][:-1]
        cpu = first_block(attrs, "cpu_options")
        cores = attr(cpu, "core_count") or attr(attrs, "cpu_core_count")
        threads = attr(cpu, "threads_per_core") or attr(attrs, "cpu_threads_per_core") or 1
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
        if attr(attrs, "iam_instance_profile"):
            evidence = self.evidence_for(resource, "iam")
            evidence["signal"] = "terraform:aws_instance.iam_instance_profile"
            evidence["detail"] = f"instance profile {attrs['iam_instance_profile']}"
            record["lockin"] = [evidence]
        return record

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
            store = self.store(
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
