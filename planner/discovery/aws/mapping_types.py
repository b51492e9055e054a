"""Pure mapping of DescribeInstanceTypes records to network and EBS-optimized limits.

Network: Gbit/s (10^9 bit/s) from network card 0. EBS-optimized: MB/s (10^6 bytes/s).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.models import NetworkLimits, StorageLimits
from planner.models.seeds import AwsInstanceType

GBIT = 1_000_000_000
MBYTE = 1_000_000


def limits_from_type(info: Mapping[str, Any]) -> tuple[NetworkLimits, StorageLimits]:
    """Network card 0 baseline/peak and EBS-optimized baseline/maximum of an instance type.

    Card 0 only: multi-card types must not be summed (research/transfer_facts.md §1.3).
    """
    cards = (info.get("NetworkInfo") or {}).get("NetworkCards") or []
    card = next((c for c in cards if c.get("NetworkCardIndex", 0) == 0), cards[0] if cards else {})
    base, peak = card.get("BaselineBandwidthInGbps"), card.get("PeakBandwidthInGbps")
    ebs = (info.get("EbsInfo") or {}).get("EbsOptimizedInfo") or {}
    ebs_base, ebs_max = ebs.get("BaselineThroughputInMBps"), ebs.get("MaximumThroughputInMBps")
    network = NetworkLimits(
        baseline_bits_per_second=float(base) * GBIT if base is not None else None,
        burst_bits_per_second=float(peak) * GBIT if peak is not None else None,
    )
    storage = StorageLimits(
        baseline_bytes_per_second=float(ebs_base) * MBYTE if ebs_base is not None else None,
        burst_bytes_per_second=float(ebs_max) * MBYTE if ebs_max is not None else None,
        baseline_iops=ebs.get("BaselineIops"),
    )
    return network, storage


def type_info_from_seed(row: AwsInstanceType) -> dict[str, Any]:
    """A DescribeInstanceTypes-shaped record from the bundled catalog (fallback when denied)."""
    card: dict[str, Any] = {"NetworkCardIndex": 0}
    if row.baseline_gbps is not None:
        card["BaselineBandwidthInGbps"] = row.baseline_gbps
    if row.peak_gbps is not None:
        card["PeakBandwidthInGbps"] = row.peak_gbps
    ebs: dict[str, Any] = {}
    if row.ebs_baseline_mbytes_per_second is not None:
        ebs["BaselineThroughputInMBps"] = row.ebs_baseline_mbytes_per_second
    if row.ebs_maximum_mbytes_per_second is not None:
        ebs["MaximumThroughputInMBps"] = row.ebs_maximum_mbytes_per_second
    if row.ebs_baseline_iops is not None:
        ebs["BaselineIops"] = row.ebs_baseline_iops
    return {
        "InstanceType": row.instance_type,
        "VCpuInfo": {"DefaultVCpus": row.vcpus},
        "MemoryInfo": {"SizeInMiB": row.memory_mib},
        "NetworkInfo": {"NetworkPerformance": row.network_performance, "NetworkCards": [card]},
        "EbsInfo": {"EbsOptimizedInfo": ebs},
    }
