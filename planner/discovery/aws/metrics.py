"""CloudWatch: latest values of many metrics with few GetMetricData calls (500 per call)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from planner.discovery.aws.calls import Caller

QUERIES_PER_CALL = 500


@dataclass(frozen=True)
class MetricQuery:
    key: str  # where the value goes in RegionHarvest.metrics
    metric: dict[str, Any]  # {Namespace, MetricName, Dimensions}
    period_seconds: int
    stat: str = "Average"


def recent_window(lookback: dt.timedelta) -> tuple[dt.datetime, dt.datetime]:
    """(now - lookback, now), to the second."""
    end = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return end - lookback, end


def whole_days_window(days: int) -> tuple[dt.datetime, dt.datetime]:
    """The last ``days`` complete UTC days: S3 storage metrics are daily datapoints stamped
    00:00 UTC, so a window ending at today's midnight reads only finished days."""
    end = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return end - dt.timedelta(days=days), end


def latest_values(
    caller: Caller, queries: list[MetricQuery], window: tuple[dt.datetime, dt.datetime]
) -> dict[str, list[float]] | None:
    """Latest datapoint of each query in ``window``, grouped by key (several metrics may share
    a key, e.g. the storage classes of one bucket). None if CloudWatch could not be read."""
    if not queries:
        return {}
    start, end = window
    out: dict[str, list[float]] = {}
    for first in range(0, len(queries), QUERIES_PER_CALL):
        batch = queries[first : first + QUERIES_PER_CALL]
        request = [
            {
                "Id": f"q{index}",
                "MetricStat": {"Metric": q.metric, "Period": q.period_seconds, "Stat": q.stat},
                "ReturnData": True,
            }
            for index, q in enumerate(batch)
        ]
        results = caller.items(
            "cloudwatch",
            "get_metric_data",
            "MetricDataResults[]",
            MetricDataQueries=request,
            StartTime=start,
            EndTime=end,
            ScanBy="TimestampDescending",
        )
        if results is None:
            return None
        for result in results:
            values = result.get("Values") or []
            index = int(str(result["Id"])[1:])
            if values:
                out.setdefault(batch[index].key, []).append(float(values[0]))
    return out
