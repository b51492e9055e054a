"""Disk write counters (``/proc/diskstats``) and the host's uptime, for the data change rate.

Two samples taken ``--sample`` seconds apart give the write rate over that window; a single
sample gives the average since boot. The host's own uptime is the clock, so the rate does not
depend on network delays. Only whole physical disks count (not partitions, loop, RAM, device
mapper or md devices), so writes are not counted twice through LVM; a mirrored md array still
counts each mirror's writes.
"""

from __future__ import annotations

from pydantic import Field

from planner.discovery.ssh.facts import HostFacts
from planner.discovery.ssh.probes.base import Probe, ProbeOutputError, sections, snippet
from planner.discovery.ssh.probes.block_devices import is_partition_of
from planner.discovery.ssh.signals import HostSignals
from planner.models.base import Model

SECTOR_BYTES = 512  # /proc/diskstats counts 512-byte sectors whatever the device's sector size
_VIRTUAL = ("loop", "ram", "zram", "dm-", "md", "sr", "fd", "nbd", "drbd")


class DiskSample(Model):
    uptime_seconds: float = Field(ge=0)
    sectors_written: dict[str, int] = Field(description="whole disk -> sectors written since boot")


def parse(output: str) -> DiskSample:
    parts = sections(output, ("uptime", "block", "diskstats"))
    uptime_line = " ".join(parts["uptime"]).split()
    try:
        uptime = float(uptime_line[0])
    except (IndexError, ValueError):
        raise ProbeOutputError(
            f"/proc/uptime printed {snippet(' '.join(parts['uptime']))}"
        ) from None
    disks = {name.strip() for name in parts["block"] if name.strip()}
    written: dict[str, int] = {}
    names: list[str] = []
    for line in parts["diskstats"]:
        tokens = line.split()
        if len(tokens) < 10 or not tokens[9].isdigit():
            continue
        names.append(tokens[2])
        written[tokens[2]] = int(tokens[9])
    if not written and any(line.strip() for line in parts["diskstats"]):
        raise ProbeOutputError("/proc/diskstats has no device lines")
    if not disks:  # no /sys/block listing: drop what looks like a partition
        disks = {n for n in names if not any(is_partition_of(n, d) for d in names)}
    whole = {
        name: count
        for name, count in written.items()
        if name in disks and not name.startswith(_VIRTUAL)
    }
    return DiskSample(uptime_seconds=uptime, sectors_written=whole)


def change_rate(first: DiskSample, second: DiskSample) -> float | None:
    """Bytes written per second between two samples; None if the clock did not advance."""
    window = second.uptime_seconds - first.uptime_seconds
    if window <= 0:
        return None
    sectors = 0
    for name, count in second.sectors_written.items():
        before = first.sectors_written.get(name)
        if before is not None and count >= before:
            sectors += count - before
    return sectors * SECTOR_BYTES / window


def since_boot_rate(sample: DiskSample) -> float | None:
    """Average bytes written per second since boot."""
    if sample.uptime_seconds <= 0:
        return None
    return sum(sample.sectors_written.values()) * SECTOR_BYTES / sample.uptime_seconds


def contribute(value: DiskSample, signals: HostSignals) -> HostFacts:
    rate = since_boot_rate(value)
    return HostFacts(change_rate_bytes_per_second=rate, change_rate_method="since-boot")


PROBE = Probe("diskstats", parse, contribute, sampled=True)
