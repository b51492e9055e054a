"""Pure assembly of a :class:`Harvest` into an :class:`Inventory` plus discovery statistics."""

from __future__ import annotations

from collections import Counter
from typing import Any

from planner.discovery.aws.harvest import Harvest
from planner.discovery.aws.mapping import servers_and_loose_volumes, snapshots_by_volume
from planner.discovery.aws.mapping_stores import (
    census_evidence,
    store_from_bucket,
    store_from_file_system,
    store_from_table,
    stores_from_cache_clusters,
    stores_from_rds,
    unique_ids,
)
from planner.models import DataStore, Inventory, Server


def build_inventory(harvest: Harvest) -> Inventory:
    """Servers, data stores and account-level lock-in evidence, in a stable order."""
    partition, account = harvest.partition, harvest.account
    servers: list[Server] = []
    stores: list[DataStore] = []
    hits = list(harvest.global_census)
    for name in sorted(harvest.regions):
        region = harvest.regions[name]
        found, loose = servers_and_loose_volumes(
            region.instances,
            region.volumes,
            region.snapshots,
            region=name,
            partition=partition,
            account=account,
            instance_types=harvest.instance_types,
            assumed_types=harvest.assumed_instance_types,
        )
        servers.extend(found)
        stores.extend(
            stores_from_rds(
                region.db_instances,
                region.db_clusters,
                region.metrics,
                region=name,
                account=account,
            )
        )
        stores.extend(
            stores_from_cache_clusters(
                region.cache_clusters, region=name, partition=partition, account=account
            )
        )
        for fs in region.file_systems:
            stores.append(
                store_from_file_system(fs, region=name, partition=partition, account=account)
            )
        for table in region.tables:
            stores.append(
                store_from_table(table, region=name, partition=partition, account=account)
            )
        stores.extend(loose)
        hits.extend(region.census)
    for bucket in sorted(harvest.buckets, key=lambda b: b.name):
        stores.append(store_from_bucket(bucket, partition=partition, account=account))
    taken = {s.id for s in servers}
    return Inventory(
        servers=servers,
        data_stores=unique_ids(stores, taken),
        lockin=census_evidence(hits),
    )


def statistics(inventory: Inventory, harvest: Harvest) -> dict[str, Any]:
    """Counts for the run's metadata and the CLI summary."""
    evidence = [e for s in inventory.servers for e in s.lockin]
    evidence += [e for d in inventory.data_stores for e in d.lockin]
    evidence += list(inventory.lockin)
    census = Counter(e.service for e in evidence)
    snapshots = [s for r in harvest.regions.values() for s in r.snapshots]
    by_volume = snapshots_by_volume(snapshots, harvest.account)
    volume_ids = {v["VolumeId"] for r in harvest.regions.values() for v in r.volumes}
    by_region: dict[str, dict[str, int]] = {}
    for server in inventory.servers:
        row = by_region.setdefault(server.source.region or "?", _empty_row())
        row["servers"] += 1
        row["volumes"] += len(server.volumes)
    for store in inventory.data_stores:
        row = by_region.setdefault(store.source.region or "?", _empty_row())
        row["data_stores"] += 1
    for hit in inventory.lockin:
        region = hit.detail.split(":")[3] if hit.detail and hit.detail.count(":") > 3 else ""
        row = by_region.setdefault(region or "global", _empty_row())
        row["managed_resources"] += 1
    buckets = harvest.buckets
    return {
        "servers": len(inventory.servers),
        "volumes": sum(len(s.volumes) for s in inventory.servers),
        "data_stores": dict(Counter(str(d.kind) for d in inventory.data_stores)),
        "total_bytes": inventory.total_bytes,
        "snapshots": {
            "total": sum(len(v) for v in by_volume.values()),
            "volumes_with_snapshots": len(set(by_volume) & volume_ids),
        },
        "buckets": {
            "total": len(buckets),
            "size_from_metrics": sum(1 for b in buckets if b.size_from == "metrics"),
            "size_from_listing": sum(1 for b in buckets if b.size_from == "listing"),
            "size_unknown": sorted(b.name for b in buckets if b.size_bytes is None),
            "in_other_regions": harvest.buckets_elsewhere,
        },
        "instance_types_assumed": sorted(harvest.assumed_instance_types),
        "census": dict(sorted(census.items())),
        "regions": dict(sorted(by_region.items())),
    }


def _empty_row() -> dict[str, int]:
    return {"servers": 0, "volumes": 0, "data_stores": 0, "managed_resources": 0}
