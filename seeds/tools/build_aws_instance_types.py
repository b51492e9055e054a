"""Regenerate ``seeds/aws/instance_types.csv`` from the DescribeInstanceTypes records moto ships.

moto bundles full ``InstanceTypeInfo`` records (``moto/ec2/resources/instance_types.json.gz``); the
numbers are AWS's own. Run ``python seeds/tools/build_aws_instance_types.py`` after upgrading moto,
or pass ``--live`` with AWS credentials to read ``ec2:DescribeInstanceTypes`` directly.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import sys
from datetime import date
from pathlib import Path

COLUMNS = [
    "instance_type",
    "vcpus",
    "memory_mib",
    "network_performance",
    "baseline_gbps",
    "peak_gbps",
    "network_cards",
    "ebs_baseline_mbytes_per_second",
    "ebs_maximum_mbytes_per_second",
    "ebs_baseline_iops",
    "ebs_maximum_iops",
    "current_generation",
    "source",
    "as_of",
]


def _records_from_moto() -> tuple[dict[str, dict], str]:
    import moto

    path = Path(moto.__file__).parent / "ec2" / "resources" / "instance_types.json.gz"
    with gzip.open(path) as handle:
        data = json.load(handle)
    return data, f"AWS DescribeInstanceTypes records bundled in moto {moto.__version__}"


def _records_live() -> tuple[dict[str, dict], str]:
    import boto3

    client = boto3.client("ec2")
    out: dict[str, dict] = {}
    for page in client.get_paginator("describe_instance_types").paginate():
        for item in page["InstanceTypes"]:
            out[item["InstanceType"]] = item
    return out, f"AWS ec2:DescribeInstanceTypes ({client.meta.region_name})"


def _row(item: dict, source: str, as_of: str) -> dict[str, object]:
    net = item.get("NetworkInfo", {})
    cards = net.get("NetworkCards") or [{}]
    card0 = cards[0]
    ebs = item.get("EbsInfo", {}).get("EbsOptimizedInfo", {})
    return {
        "instance_type": item["InstanceType"],
        "vcpus": item["VCpuInfo"]["DefaultVCpus"],
        "memory_mib": item["MemoryInfo"]["SizeInMiB"],
        "network_performance": net.get("NetworkPerformance", ""),
        "baseline_gbps": card0.get("BaselineBandwidthInGbps", ""),
        "peak_gbps": card0.get("PeakBandwidthInGbps", ""),
        "network_cards": len(cards),
        "ebs_baseline_mbytes_per_second": ebs.get("BaselineThroughputInMBps", ""),
        "ebs_maximum_mbytes_per_second": ebs.get("MaximumThroughputInMBps", ""),
        "ebs_baseline_iops": ebs.get("BaselineIops", ""),
        "ebs_maximum_iops": ebs.get("MaximumIops", ""),
        "current_generation": str(bool(item.get("CurrentGeneration"))).lower(),
        "source": source,
        "as_of": as_of,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--live", action="store_true", help="read from the AWS API")
    parser.add_argument(
        "-o", "--output", default=str(Path(__file__).parents[1] / "aws" / "instance_types.csv")
    )
    args = parser.parse_args()
    records, source = _records_live() if args.live else _records_from_moto()
    as_of = os.environ.get("EXITPLAN_AS_OF", date.today().isoformat())
    rows = [_row(records[key], source, as_of) for key in sorted(records)]
    tmp = Path(args.output + ".tmp")
    with tmp.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(args.output)
    print(f"wrote {len(rows)} instance types to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
