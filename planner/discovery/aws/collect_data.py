"""Managed data stores per region (RDS/Aurora, ElastiCache, EFS, DynamoDB) and the census."""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.discovery.aws.calls import Caller
from planner.discovery.aws.census import hits_from_items
from planner.discovery.aws.harvest import metric_key
from planner.discovery.aws.metrics import MetricQuery, latest_values, recent_window
from planner.models.census import CensusCall

RDS_PERIOD_SECONDS = 300
RDS_LOOKBACK = dt.timedelta(hours=3)


def _rds_metric(name: str, dimension: str, value: str) -> MetricQuery:
    metric = {
        "Namespace": "AWS/RDS",
        "MetricName": name,
        "Dimensions": [{"Name": dimension, "Value": value}],
    }
    return MetricQuery(metric_key(name, dimension, value), metric, RDS_PERIOD_SECONDS)


def collect_rds(caller: Caller) -> dict[str, Any]:
    """DB instances and clusters, with FreeStorageSpace / VolumeBytesUsed for used bytes."""
    instances = caller.items("rds", "describe_db_instances", "DBInstances[]") or []
    clusters = caller.items("rds", "describe_db_clusters", "DBClusters[]") or []
    queries = [
        _rds_metric("FreeStorageSpace", "DBInstanceIdentifier", d["DBInstanceIdentifier"])
        for d in instances
        if not d.get("DBClusterIdentifier")
    ]
    queries += [
        _rds_metric("VolumeBytesUsed", "DBClusterIdentifier", c["DBClusterIdentifier"])
        for c in clusters
        if str(c.get("Engine", "")).startswith("aurora")
    ]
    values = latest_values(caller, queries, recent_window(RDS_LOOKBACK)) or {}
    return {
        "db_instances": instances,
        "db_clusters": clusters,
        "metrics": {key: found[0] for key, found in values.items()},
    }


def collect_cache(caller: Caller) -> dict[str, Any]:
    clusters = caller.items("elasticache", "describe_cache_clusters", "CacheClusters[]")
    return {"cache_clusters": clusters or []}


def collect_efs(caller: Caller) -> dict[str, Any]:
    return {"file_systems": caller.items("efs", "describe_file_systems", "FileSystems[]") or []}


def collect_dynamodb(caller: Caller) -> dict[str, Any]:
    tables = []
    for name in caller.items("dynamodb", "list_tables", "TableNames[]") or []:
        answer = caller.call("dynamodb", "describe_table", TableName=name)
        if answer and answer.get("Table"):
            tables.append(answer["Table"])
    return {"tables": tables}


def collect_census(
    caller: Caller, call: CensusCall, partition: str, account: str | None, region: str
) -> dict[str, Any]:
    """One census call; ``region`` is the region written into templated ARNs."""
    token = (call.token.request, call.token.response) if call.token else None
    items = caller.items(call.client, call.method, call.select, token=token, **call.params)
    if not items:
        return {}
    operation = caller.operation_name(call.client, call.method)
    hits = hits_from_items(
        call, items, operation=operation, partition=partition, region=region, account=account
    )
    return {"census": hits}
