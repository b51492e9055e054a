"""A real-network testbed: hosts as Linux network namespaces, OpenSSH, tc tbf rate limits.

Import it from tests and benchmarks as ``tests.testbed`` (from the repository root)::

    from tests.testbed import HostSpec, Testbed, TestbedSpec

    spec = TestbedSpec(
        hosts=(HostSpec("src1", port_rate_bits_per_second=100e6),
               HostSpec("dst1", site="destination")),
        uplink_rate_bits_per_second=300e6,
    )
    with Testbed(spec) as bed:
        data = bed.make_files("src1", "big", count=1, size_bytes=20_000_000)
        result = bed.measure_transfer("src1", "dst1", data, tool="rsync", streams=1)

See ``tests/testbed/README.md`` for the layout, the tbf parameters and measured figures.
"""

from .netns import CommandError, cleanup_stale, unavailable_reason
from .spec import Host, HostSpec, TestbedSpec
from .topology import Testbed
from .transfer import (
    TransferError,
    TransferJob,
    TransferResult,
    aggregate_rate_bits_per_second,
    make_files,
)

__all__ = [
    "CommandError",
    "Host",
    "HostSpec",
    "Testbed",
    "TestbedSpec",
    "TransferError",
    "TransferJob",
    "TransferResult",
    "aggregate_rate_bits_per_second",
    "cleanup_stale",
    "make_files",
    "unavailable_reason",
]
