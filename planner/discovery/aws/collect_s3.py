"""S3: bucket list and regions (global), then size and object count per region.

Sizes come from the daily CloudWatch storage metrics ``BucketSizeBytes`` (summed over storage
classes) and ``NumberOfObjects``. Listing every object is slow on large buckets, so it is only a
fallback for buckets without metrics, and only with ``--deep``.
"""

from __future__ import annotations

from typing import Any

from planner.discovery.aws.calls import Caller
from planner.discovery.aws.harvest import Bucket
from planner.discovery.aws.metrics import MetricQuery, latest_values, whole_days_window

DAY_SECONDS = 86_400
LOOKBACK_DAYS = 3


def bucket_region(constraint: str | None) -> str:
    """GetBucketLocation's answer as a region: empty means us-east-1, ``EU`` is eu-west-1."""
    if not constraint:
        return "us-east-1"
    return "eu-west-1" if constraint == "EU" else constraint


def list_buckets(caller: Caller) -> list[Bucket] | None:
    found = caller.items("s3", "list_buckets", "Buckets[]")
    if found is None:
        return None
    return [Bucket(name=b["Name"], region=b.get("BucketRegion")) for b in found]


def locate(caller: Caller, bucket: Bucket) -> Bucket:
    if bucket.region:
        return bucket
    answer = caller.call("s3", "get_bucket_location", Bucket=bucket.name)
    if answer is not None:
        bucket.region = bucket_region(answer.get("LocationConstraint"))
    return bucket


def _metric_queries(caller: Caller, names: set[str]) -> list[MetricQuery]:
    queries = []
    seen: set[tuple[str, ...]] = set()
    for metric_name in ("BucketSizeBytes", "NumberOfObjects"):
        metrics = caller.items(
            "cloudwatch", "list_metrics", "Metrics[]", Namespace="AWS/S3", MetricName=metric_name
        )
        for metric in metrics or []:
            dims = {d["Name"]: d["Value"] for d in metric.get("Dimensions") or []}
            identity = (metric_name, *sorted(f"{k}={v}" for k, v in dims.items()))
            if dims.get("BucketName") in names and identity not in seen:
                seen.add(identity)
                metric = {k: metric[k] for k in ("Namespace", "MetricName", "Dimensions")}
                key = f"{metric_name}/{dims['BucketName']}"
                queries.append(MetricQuery(key, metric, DAY_SECONDS))
    return queries


def _list_objects(caller: Caller, bucket: Bucket) -> None:
    """Sum sizes page by page (1,000 keys each) without holding the listing in memory."""
    client = caller.client("s3")

    def count() -> tuple[int, int]:
        size = objects = 0
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket.name):
            for item in page.get("Contents") or []:
                size += int(item.get("Size", 0))
                objects += 1
        return size, objects

    found = caller.guarded("s3", "ListObjectsV2", count)
    if found is not None:
        bucket.size_bytes, bucket.object_count = found
        bucket.size_from = "listing"


def measure_buckets(caller: Caller, buckets: list[Bucket], deep: bool) -> dict[str, Any]:
    """Fill size and object count of this region's buckets (metrics, then listing if deep)."""
    names = {b.name for b in buckets}
    queries = _metric_queries(caller, names)
    values = latest_values(caller, queries, whole_days_window(LOOKBACK_DAYS)) or {}
    for bucket in buckets:
        sizes = values.get(f"BucketSizeBytes/{bucket.name}")
        counts = values.get(f"NumberOfObjects/{bucket.name}")
        if sizes is not None:
            bucket.size_bytes = int(sum(sizes))
            bucket.size_from = "metrics"
        if counts is not None:
            bucket.object_count = int(max(counts))
        if deep and bucket.size_bytes is None:
            _list_objects(caller, bucket)
    return {}
