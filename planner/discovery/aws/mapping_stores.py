"""Pure mapping of managed data stores (S3, RDS/Aurora, ElastiCache, EFS, DynamoDB) to models.

Service ids are those of the lock-in knowledge base (research/lockin_knowledge.md §1): ``s3``,
``rds-postgresql``, ``aurora-mysql``, ``elasticache-redis``, ``efs``, ``dynamodb``...
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from planner.discovery.aws.harvest import Bucket, CensusHit, metric_key
from planner.discovery.aws.mapping import GIB, arn, tags_of
from planner.models import DataStore, DataStoreKind, LockinEvidence, Provenance, Source

RDS_ENGINES = (
    ("aurora-postgresql", "aurora-postgresql"),
    ("aurora-mysql", "aurora-mysql"),
    ("aurora", "aurora-mysql"),  # Aurora MySQL 5.6 is engine "aurora"
    ("postgres", "rds-postgresql"),
    ("mysql", "rds-mysql"),
    ("mariadb", "rds-mariadb"),
    ("oracle", "rds-oracle"),
    ("custom-oracle", "rds-oracle"),
    ("sqlserver", "rds-sqlserver"),
    ("custom-sqlserver", "rds-sqlserver"),
    ("db2", "rds-db2"),
    ("docdb", "documentdb"),
    ("neptune", "neptune"),
)
CACHE_ENGINES = {
    "redis": "elasticache-redis",
    "valkey": "elasticache-valkey",
    "memcached": "elasticache-memcached",
}


def rds_service_id(engine: str | None) -> str:
    """Lock-in service id of an RDS engine name (``postgres`` -> ``rds-postgresql``)."""
    name = (engine or "").lower()
    for prefix, service in RDS_ENGINES:
        if name == prefix or name.startswith(prefix + "-"):
            return service
    return "rds"


def evidence(service: str, signal: str, detail: str) -> LockinEvidence:
    return LockinEvidence(service=service, signal=signal, origin="aws-api", detail=detail)


def census_evidence(hits: Iterable[CensusHit]) -> list[LockinEvidence]:
    """Account-level evidence, sorted by service and ARN, without duplicates."""
    unique = sorted({(h.service, h.arn, h.signal) for h in hits})
    return [evidence(service, signal, detail) for service, detail, signal in unique]


def _source(region: str | None, account: str | None, resource_id: str | None) -> Source:
    return Source(provider="aws", account=account, region=region, resource_id=resource_id)


def store_from_bucket(bucket: Bucket, *, partition: str, account: str | None) -> DataStore:
    provenance = {}
    if bucket.size_bytes is not None:
        provenance["used_bytes"] = Provenance.DISCOVERED
    return DataStore(
        id=bucket.name,
        kind=DataStoreKind.OBJECT_STORAGE,
        service="s3",
        source=_source(bucket.region, account, bucket.name),
        used_bytes=bucket.size_bytes,
        object_count=bucket.object_count,
        lockin=[evidence("s3", "s3:ListBuckets", f"arn:{partition}:s3:::{bucket.name}")],
        provenance=provenance,
    )


def _used(size: int | None, free: float | None) -> int | None:
    if size is None or free is None:
        return None
    return max(0, min(size, size - int(free)))


def stores_from_rds(
    db_instances: Sequence[Mapping[str, Any]],
    db_clusters: Sequence[Mapping[str, Any]],
    metrics: Mapping[str, float],
    *,
    region: str,
    account: str | None,
) -> list[DataStore]:
    """One store per cluster (members folded in) and per stand-alone DB instance.

    Used bytes: ``AllocatedStorage - FreeStorageSpace`` for instances; ``VolumeBytesUsed`` for
    Aurora clusters, whose allocated size is not fixed (left unknown).
    """
    by_id = {d["DBInstanceIdentifier"]: d for d in db_instances}
    stores = []
    clustered: set[str] = set()
    for cluster in db_clusters:
        cid = str(cluster["DBClusterIdentifier"])
        members = cluster.get("DBClusterMembers") or []
        clustered.update(m["DBInstanceIdentifier"] for m in members)
        writer = next((m for m in members if m.get("IsClusterWriter")), None)
        writer_class = by_id.get(writer["DBInstanceIdentifier"], {}) if writer else {}
        engine = cluster.get("Engine")
        aurora = str(engine or "").startswith("aurora")
        allocated = cluster.get("AllocatedStorage")
        size = None if aurora or allocated is None else int(allocated) * GIB
        used_metric = metrics.get(metric_key("VolumeBytesUsed", "DBClusterIdentifier", cid))
        used = int(used_metric) if aurora and used_metric is not None else None
        service = rds_service_id(engine)
        stores.append(
            DataStore(
                id=cid,
                kind=DataStoreKind.DATABASE,
                service=service,
                engine=engine,
                engine_version=cluster.get("EngineVersion"),
                instance_class=cluster.get("DBClusterInstanceClass")
                or writer_class.get("DBInstanceClass"),
                source=_source(region, account, cluster.get("DBClusterArn")),
                tags=tags_of(cluster),
                size_bytes=size,
                used_bytes=used,
                lockin=[evidence(service, "rds:DescribeDBClusters", _cluster_arn(cluster))],
                provenance=_provenance(size, used),
            )
        )
    for db in db_instances:
        iid = str(db["DBInstanceIdentifier"])
        if iid in clustered or db.get("DBClusterIdentifier"):
            continue
        allocated = db.get("AllocatedStorage")
        size = int(allocated) * GIB if allocated is not None else None
        free = metrics.get(metric_key("FreeStorageSpace", "DBInstanceIdentifier", iid))
        used = _used(size, free)
        service = rds_service_id(db.get("Engine"))
        source_db = db.get("ReadReplicaSourceDBInstanceIdentifier")
        stores.append(
            DataStore(
                id=iid,
                kind=DataStoreKind.DATABASE,
                service=service,
                engine=db.get("Engine"),
                engine_version=db.get("EngineVersion"),
                instance_class=db.get("DBInstanceClass"),
                source=Source(
                    provider="aws",
                    account=account,
                    region=region,
                    zone=db.get("AvailabilityZone"),
                    resource_id=db.get("DBInstanceArn"),
                ),
                tags=tags_of(db),
                size_bytes=size,
                used_bytes=used,
                dependencies=[str(source_db)] if source_db else [],
                lockin=[
                    evidence(service, "rds:DescribeDBInstances", str(db.get("DBInstanceArn", iid)))
                ],
                provenance=_provenance(size, used),
            )
        )
    return stores


def _cluster_arn(cluster: Mapping[str, Any]) -> str:
    return str(cluster.get("DBClusterArn") or cluster["DBClusterIdentifier"])


def _dependency_key(region: str | None, dependency: str) -> tuple[str | None, str]:
    """(region, name) of a dependency: ``arn:aws:rds:eu-west-1:1:db:orders`` gives
    ``('eu-west-1', 'orders')``; a plain identifier is in the dependent's own region."""
    if dependency.startswith("arn:"):
        parts = dependency.split(":")
        return (parts[3] if len(parts) > 3 else region), parts[-1]
    return region, dependency


def _provenance(size: int | None, used: int | None) -> dict[str, Provenance]:
    out = {}
    if size is not None:
        out["size_bytes"] = Provenance.DISCOVERED
    if used is not None:
        out["used_bytes"] = Provenance.DISCOVERED
    return out


def stores_from_cache_clusters(
    clusters: Sequence[Mapping[str, Any]], *, region: str, partition: str, account: str | None
) -> list[DataStore]:
    """One store per replication group (its node clusters folded in) or stand-alone cluster."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for cluster in clusters:
        key = cluster.get("ReplicationGroupId") or cluster["CacheClusterId"]
        groups.setdefault(str(key), []).append(cluster)
    stores = []
    for key, members in sorted(groups.items()):
        first = members[0]
        service = CACHE_ENGINES.get(str(first.get("Engine", "")).lower(), "elasticache")
        grouped = bool(first.get("ReplicationGroupId"))
        detail = (
            arn(partition, "elasticache", region, account, f"replicationgroup:{key}")
            if grouped
            else str(
                first.get("ARN") or arn(partition, "elasticache", region, account, f"cluster:{key}")
            )
        )
        stores.append(
            DataStore(
                id=key,
                kind=DataStoreKind.CACHE,
                service=service,
                engine=first.get("Engine"),
                engine_version=first.get("EngineVersion"),
                instance_class=first.get("CacheNodeType"),
                source=_source(region, account, detail),
                lockin=[evidence(service, "elasticache:DescribeCacheClusters", detail)],
            )
        )
    return stores


def store_from_file_system(
    fs: Mapping[str, Any], *, region: str, partition: str, account: str | None
) -> DataStore:
    fid = str(fs["FileSystemId"])
    detail = str(
        fs.get("FileSystemArn")
        or arn(partition, "elasticfilesystem", region, account, f"file-system/{fid}")
    )
    value = (fs.get("SizeInBytes") or {}).get("Value")
    used = int(value) if value is not None else None
    return DataStore(
        id=fid,
        kind=DataStoreKind.FILE_SYSTEM,
        service="efs",
        source=_source(region, account, detail),
        tags=tags_of(fs),
        used_bytes=used,
        lockin=[evidence("efs", "efs:DescribeFileSystems", detail)],
        provenance=_provenance(None, used),
    )


def store_from_table(
    table: Mapping[str, Any], *, region: str, partition: str, account: str | None
) -> DataStore:
    """A DynamoDB table. ``TableSizeBytes`` is refreshed about every six hours, so a zero size
    next to a non-zero item count is stale and recorded as unknown."""
    name = str(table["TableName"])
    detail = str(
        table.get("TableArn") or arn(partition, "dynamodb", region, account, f"table/{name}")
    )
    items = table.get("ItemCount")
    size = table.get("TableSizeBytes")
    used = None if size is None or (size == 0 and items) else int(size)
    return DataStore(
        id=name,
        kind=DataStoreKind.DATABASE,
        service="dynamodb",
        engine="dynamodb",
        source=_source(region, account, detail),
        used_bytes=used,
        object_count=int(items) if items is not None else None,
        lockin=[evidence("dynamodb", "dynamodb:DescribeTable", detail)],
        provenance=_provenance(None, used),
    )


def unique_ids(stores: list[DataStore], taken: set[str]) -> list[DataStore]:
    """Give every store an id no server or earlier store has: ``name``, else ``name@region``,
    else ``service/name@region``. Dependencies are rewritten and dangling ones dropped."""
    renamed: dict[tuple[str | None, str], str] = {}
    out: list[DataStore] = []
    for store in stores:
        region = store.source.region
        candidates = [store.id, f"{store.id}@{region}", f"{store.service}/{store.id}@{region}"]
        new_id = next((c for c in candidates if c not in taken), None)
        number = 2
        while new_id is None:
            candidate = f"{store.service}/{store.id}@{region}#{number}"
            new_id = candidate if candidate not in taken else None
            number += 1
        taken.add(new_id)
        renamed[(region, store.id)] = new_id
        out.append(store if new_id == store.id else store.model_copy(update={"id": new_id}))
    result = []
    for store in out:
        deps = [renamed.get(_dependency_key(store.source.region, d)) for d in store.dependencies]
        kept = [d for d in deps if d is not None and d != store.id]
        result.append(
            store if kept == store.dependencies else store.model_copy(update={"dependencies": kept})
        )
    return result
