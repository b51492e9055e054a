"""Pure mapping of EC2 responses (instances, instance types, volumes, snapshots) to servers.

Inputs are the dicts boto3 returns (or their JSON recordings); outputs are inventory models. No
I/O, no clock, no SDK: unit-tested on recorded responses. Units follow AWS: EBS sizes in GiB,
throughput in MiB/s, network in Gbit/s (10^9), EBS-optimized limits in MB/s (10^6).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from planner.discovery.aws.mapping_types import limits_from_type
from planner.models import (
    DataStore,
    DataStoreKind,
    LockinEvidence,
    NetworkLimits,
    OperatingSystem,
    Provenance,
    Server,
    Source,
    StorageLimits,
    Volume,
)

GIB = 2**30
MIB = 2**20
LIVE_STATES = frozenset({"pending", "running", "stopping", "stopped"})
ROLE_TAG_KEYS = ("role", "server-role", "server_role", "tier")
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "web": ("web", "www", "frontend", "nginx", "httpd", "apache"),
    "app": ("app", "api", "backend", "service"),
    "db": ("db", "database", "postgres", "postgresql", "pg", "mysql", "mariadb", "mongo", "sql"),
    "cache": ("cache", "redis", "memcached", "valkey"),
    "worker": ("worker", "jobs", "sidekiq", "celery", "batch"),
    "media": ("media", "assets", "files", "storage", "uploads"),
    "queue": ("queue", "mq", "rabbitmq", "kafka", "broker"),
    "search": ("search", "elasticsearch", "opensearch", "solr"),
    "monitoring": ("monitoring", "prometheus", "grafana", "metrics", "logging"),
    "bastion": ("bastion", "jump", "jumphost"),
}
_WORD_TO_ROLE = {word: role for role, words in ROLE_WORDS.items() for word in words}
_OS_FAMILY = (
    ("red hat", "rhel"),
    ("suse", "suse"),
    ("ubuntu", "debian"),
    ("windows", "windows"),
)


def tags_of(raw: Mapping[str, Any]) -> dict[str, str]:
    """``Tags``/``TagList`` ([{Key, Value}]) as a dict."""
    pairs = raw.get("Tags") or raw.get("TagList") or []
    return {str(t["Key"]): str(t.get("Value", "")) for t in pairs if "Key" in t}


def role_hint(tags: Mapping[str, str]) -> str | None:
    """A role from a ``Role``-like tag, else from the words of the ``Name`` tag."""
    lowered = {k.lower(): v for k, v in tags.items()}
    for key in ROLE_TAG_KEYS:
        value = lowered.get(key, "").strip().lower()
        if value:
            return _WORD_TO_ROLE.get(value, re.sub(r"[^a-z0-9_-]+", "-", value).strip("-"))
    for word in re.split(r"[^a-z]+", tags.get("Name", "").lower()):
        if word in _WORD_TO_ROLE:
            return _WORD_TO_ROLE[word]
    return None


def operating_system(instance: Mapping[str, Any]) -> tuple[str, OperatingSystem]:
    """(platform, OS facts) from ``Platform``/``PlatformDetails``/``Architecture``."""
    details = instance.get("PlatformDetails")
    platform = "windows" if str(instance.get("Platform", "")).lower() == "windows" else "linux"
    family = None
    if details:
        lowered = str(details).lower()
        family = next((fam for needle, fam in _OS_FAMILY if needle in lowered), None)
    if platform == "windows":
        family = "windows"
    return platform, OperatingSystem(
        name=str(details) if details else None,
        family=family,
        architecture=instance.get("Architecture"),
    )


def arn(partition: str, service: str, region: str, account: str | None, resource: str) -> str:
    return f"arn:{partition}:{service}:{region}:{account or ''}:{resource}"


def snapshots_by_volume(
    snapshots: Iterable[Mapping[str, Any]], account: str | None
) -> dict[str, list[str]]:
    """Completed snapshots owned by ``account``, per volume, newest first."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for snap in snapshots:
        if account and snap.get("OwnerId") not in (None, account):
            continue
        if snap.get("State", "completed") != "completed" or not snap.get("VolumeId"):
            continue
        started = str(snap.get("StartTime", ""))
        grouped.setdefault(snap["VolumeId"], []).append((started, snap["SnapshotId"]))
    return {vol: [sid for _, sid in sorted(items, reverse=True)] for vol, items in grouped.items()}


def volume_from_raw(
    raw: Mapping[str, Any], device: str | None, snapshot_ids: list[str] | None = None
) -> Volume:
    """An EBS volume; throughput only where it is provisioned (gp3), else the type's default."""
    throughput = raw.get("Throughput")
    iops = raw.get("Iops")
    return Volume(
        id=raw["VolumeId"],
        device=device,
        size_bytes=int(raw["Size"]) * GIB if raw.get("Size") is not None else None,
        volume_type=raw.get("VolumeType"),
        iops=int(iops) if iops is not None else None,
        throughput_bytes_per_second=float(throughput) * MIB if throughput is not None else None,
        snapshot_ids=snapshot_ids or [],
    )


def server_from_instance(
    instance: Mapping[str, Any],
    *,
    region: str,
    partition: str,
    type_info: Mapping[str, Any] | None,
    volumes: list[Volume],
    type_assumed: bool = False,
) -> Server:
    """One EC2 instance as a :class:`Server` (id = instance id)."""
    account = instance.get("OwnerId")
    tags = tags_of(instance)
    platform, os_facts = operating_system(instance)
    private, public = instance.get("PrivateIpAddress"), instance.get("PublicIpAddress")
    instance_id = str(instance["InstanceId"])
    evidence = [
        LockinEvidence(
            service="ec2",
            signal="ec2:DescribeInstances",
            origin="aws-api",
            detail=arn(partition, "ec2", region, account, f"instance/{instance_id}"),
        )
    ]
    profile = (instance.get("IamInstanceProfile") or {}).get("Arn")
    if profile:
        evidence.append(
            LockinEvidence(
                service="iam", signal="ec2:instance-profile", origin="aws-api", detail=profile
            )
        )
    from_type = Provenance.ASSUMED if type_assumed else Provenance.DISCOVERED
    provenance: dict[str, Provenance] = {"instance_type": Provenance.DISCOVERED}
    vcpus = memory = None
    network, storage = NetworkLimits(), StorageLimits()
    if type_info:
        vcpus = (type_info.get("VCpuInfo") or {}).get("DefaultVCpus")
        mib = (type_info.get("MemoryInfo") or {}).get("SizeInMiB")
        memory = int(mib) * MIB if mib is not None else None
        network, storage = limits_from_type(type_info)
        provenance.update(vcpus=from_type, memory_bytes=from_type, network=from_type)
        provenance["storage"] = from_type
    role = role_hint(tags)
    if role:
        provenance["role"] = Provenance.DISCOVERED
    return Server(
        id=instance_id,
        hostname=instance.get("PrivateDnsName") or instance.get("PublicDnsName") or None,
        address=private or public,
        private_address=private,
        public_address=public,
        source=Source(
            provider="aws",
            account=account,
            region=region,
            zone=(instance.get("Placement") or {}).get("AvailabilityZone"),
            resource_id=instance_id,
        ),
        instance_type=instance.get("InstanceType"),
        platform=platform,
        vcpus=vcpus,
        memory_bytes=memory,
        os=os_facts,
        role=role or "unknown",
        tags=tags,
        volumes=volumes,
        network=network,
        storage=storage,
        lockin=evidence,
        provenance=provenance,
    )


def servers_and_loose_volumes(
    instances: Sequence[Mapping[str, Any]],
    volumes: Sequence[Mapping[str, Any]],
    snapshots: Sequence[Mapping[str, Any]],
    *,
    region: str,
    partition: str,
    account: str | None,
    instance_types: Mapping[str, Mapping[str, Any]],
    assumed_types: set[str] | frozenset[str] = frozenset(),
) -> tuple[list[Server], list[DataStore]]:
    """Live instances with their attached volumes, and volumes attached to no live instance.

    A multi-attached volume is listed once, on the first instance (by id) it is attached to.
    """
    live = {i["InstanceId"]: i for i in instances if _state(i) in LIVE_STATES}
    snaps = snapshots_by_volume(snapshots, account)
    attached: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    loose: list[DataStore] = []
    for vol in sorted(volumes, key=lambda v: v["VolumeId"]):
        hosts = sorted(
            (a["InstanceId"], a.get("Device"))
            for a in vol.get("Attachments") or []
            if a.get("InstanceId") in live
        )
        if hosts:
            instance_id, device = hosts[0]
            attached.setdefault(instance_id, []).append((device or "", vol))
        else:
            loose.append(_loose_volume(vol, region, partition, account))
    servers = []
    for instance_id, instance in sorted(live.items()):
        root = instance.get("RootDeviceName")
        mounted = sorted(attached.get(instance_id, []), key=lambda dv: (dv[0] != root, dv[0]))
        server_volumes = [
            volume_from_raw(vol, device or None, snaps.get(vol["VolumeId"]))
            for device, vol in mounted
        ]
        itype = instance.get("InstanceType")
        servers.append(
            server_from_instance(
                instance,
                region=region,
                partition=partition,
                type_info=instance_types.get(itype) if itype else None,
                volumes=server_volumes,
                type_assumed=itype in assumed_types,
            )
        )
    return servers, loose


def _state(instance: Mapping[str, Any]) -> str:
    return str((instance.get("State") or {}).get("Name", "running"))


def _loose_volume(
    vol: Mapping[str, Any], region: str, partition: str, account: str | None
) -> DataStore:
    size = vol.get("Size")
    return DataStore(
        id=str(vol["VolumeId"]),
        kind=DataStoreKind.OTHER,
        service="ebs",
        engine=vol.get("VolumeType"),
        source=Source(
            provider="aws",
            account=account,
            region=region,
            zone=vol.get("AvailabilityZone"),
            resource_id=str(vol["VolumeId"]),
        ),
        tags=tags_of(vol),
        size_bytes=int(size) * GIB if size is not None else None,
        lockin=[
            LockinEvidence(
                service="ebs",
                signal="ec2:DescribeVolumes",
                origin="aws-api",
                detail=arn(partition, "ec2", region, account, f"volume/{vol['VolumeId']}"),
            )
        ],
        provenance={"size_bytes": Provenance.DISCOVERED},
    )
