"""Block devices: disks and partitions with size, model and serial (``lsblk -P``).

Without ``lsblk`` (BusyBox) ``/proc/partitions`` gives names and sizes only. On EC2 Nitro the
NVMe model names EBS and the serial carries the volume id (``vol0123...``), which lets the
enrichment match file systems to the inventory's EBS volumes.
"""

from __future__ import annotations

import re

from planner.discovery.ssh.facts import BlockDevice, HostFacts
from planner.discovery.ssh.probes.base import Probe, ProbeOutputError, evidence, sections, to_int
from planner.discovery.ssh.signals import HostSignals

_PAIR = re.compile(r'([A-Z:-]+)="((?:[^"\\]|\\.)*)"')
_HEX = re.compile(r"\\x([0-9a-fA-F]{2})")


def _unescape(text: str) -> str:
    return _HEX.sub(lambda m: chr(int(m.group(1), 16)), text).strip()


def _from_lsblk(lines: list[str]) -> list[BlockDevice]:
    devices = []
    for line in lines:
        pairs = {key: _unescape(value) for key, value in _PAIR.findall(line)}
        if "NAME" not in pairs:
            continue
        name = pairs["NAME"]
        devices.append(
            BlockDevice(
                name=name,
                kind=pairs.get("TYPE") or None,
                parent=pairs.get("PKNAME") or None,
                size_bytes=to_int(pairs.get("SIZE", "")),
                model=pairs.get("MODEL") or None,
                serial=pairs.get("SERIAL") or None,
                fstype=pairs.get("FSTYPE") or None,
                mount_point=pairs.get("MOUNTPOINT") or None,
            )
        )
    names = [d.name for d in devices]
    for index, device in enumerate(devices):  # older lsblk has no PKNAME column
        if device.kind == "part" and device.parent is None:
            parent = next((n for n in names if is_partition_of(device.name, n)), None)
            devices[index] = device.model_copy(update={"parent": parent})
    return devices


def is_partition_of(name: str, disk: str) -> bool:
    """``sda1`` of ``sda``, ``nvme0n1p2`` of ``nvme0n1``, ``mmcblk0p1`` of ``mmcblk0``."""
    if name == disk or not name.startswith(disk):
        return False
    rest = name[len(disk) :]
    if disk[-1].isdigit():
        return rest.startswith("p") and rest[1:].isdigit()
    return rest.isdigit()


def _from_partitions(lines: list[str]) -> list[BlockDevice]:
    rows: list[tuple[str, int]] = []
    for line in lines:
        tokens = line.split()
        if len(tokens) == 4 and tokens[0].isdigit() and tokens[2].isdigit():
            rows.append((tokens[3], int(tokens[2]) * 1024))
    names = {name for name, _ in rows}
    devices = []
    for name, size in rows:
        parent = next((p for p in names if is_partition_of(name, p)), None)
        kind = "part" if parent else "disk"
        devices.append(BlockDevice(name=name, kind=kind, parent=parent, size_bytes=size))
    return devices


def parse(output: str) -> list[BlockDevice]:
    parts = sections(output, ("lsblk", "partitions"))
    devices = _from_lsblk(parts["lsblk"])
    if not devices:
        devices = _from_partitions(parts["partitions"])
    listed = " ".join(parts["partitions"]).split()
    if not devices and listed[:2] != ["major", "minor"] and listed:
        raise ProbeOutputError("neither lsblk nor /proc/partitions printed a device table")
    return devices


def contribute(value: list[BlockDevice], signals: HostSignals) -> HostFacts:
    found = []
    for device in value:
        service = signals.block_model_service(device.model) if device.model else None
        if service:
            detail = f"/dev/{device.name}: {device.model}"
            if device.serial:
                detail += f" ({device.serial})"
            found.append(evidence(service, "block-device-model", detail))
    return HostFacts(block_devices=value, evidence=found)


PROBE = Probe("block_devices", parse, contribute)
