"""File systems: size, used bytes and used inodes (``df -P``), mounts, fstab, NFS/EFS mounts.

``df -P -B1`` (GNU, BusyBox with DF_FANCY) or ``df -P -k`` gives sizes; ``df -P -i`` gives
inodes, and used inodes are the file count. ``/proc/mounts`` gives each mount point's type, which
decides what is a local volume (data to copy), a network mount (a dependency), or neither
(tmpfs, proc, cgroup ...).
"""

from __future__ import annotations

import re

from pydantic import Field

from planner.discovery.ssh.facts import FileSystem, HostFacts, NetworkMount
from planner.discovery.ssh.probes.base import (
    Probe,
    ProbeOutputError,
    evidence,
    sections,
    snippet,
    to_int,
)
from planner.discovery.ssh.signals import HostSignals
from planner.models import LockinEvidence
from planner.models.base import Model

LOCAL_TYPES = frozenset(
    {"ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "jfs", "reiserfs", "vfat", "exfat"}
    | {"ntfs", "ntfs3", "fuseblk", "bcachefs", "nilfs2", "ufs", "hfsplus"}
)
NETWORK_TYPES = frozenset(
    {"nfs", "nfs4", "efs", "cifs", "smb3", "smbfs", "glusterfs", "ceph", "fuse.sshfs"}
    | {"fuse.s3fs", "fuse.goofys", "fuse.mountpoint-s3", "fuse.rclone", "9p"}
)
_BLOCKS = re.compile(r"^(\d+)([kKmMgG]?)-blocks$")
_SCALE = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


class MountEntry(Model):
    source: str
    mount_point: str
    fstype: str


class FilesystemReport(Model):
    """Every ``df`` row joined with its inode row and mount type (nothing filtered yet)."""

    filesystems: list[FileSystem] = Field(default_factory=list)
    mounts: list[MountEntry] = Field(default_factory=list)
    fstab: list[MountEntry] = Field(default_factory=list)


def _unescape(text: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)


def _df_tables(lines: list[str]) -> list[tuple[int, dict[str, tuple[str, int | None, int | None]]]]:
    """Each df table as (unit, {mount point: (device, total, used)}); totals scaled by unit."""
    tables: list[tuple[int, dict[str, tuple[str, int | None, int | None]]]] = []
    for line in lines:
        tokens = line.split()
        if not tokens:
            continue
        if tokens[0] == "Filesystem" and len(tokens) >= 2:
            match = _BLOCKS.match(tokens[1])
            unit = int(match[1]) * _SCALE[match[2].lower()] if match else 1
            tables.append((unit, {}))
            continue
        if not tables:
            raise ProbeOutputError(f"df output has no header line (first line: {snippet(line)})")
        unit, rows = tables[-1]
        # three number-or-dash columns then a percentage (or -) split device from mount point
        for i in range(1, len(tokens) - 4):
            numbers = tokens[i : i + 3]
            percent = tokens[i + 3]
            if all(n == "-" or n.isdigit() for n in numbers) and (
                percent.endswith("%") or percent == "-"
            ):
                device = " ".join(tokens[:i])
                mount = " ".join(tokens[i + 4 :])
                total, used = to_int(numbers[0]), to_int(numbers[1])
                rows.setdefault(
                    mount,
                    (device, total * unit if total is not None else None, used and used * unit),
                )
                break
    return tables


def _mount_entries(lines: list[str]) -> list[MountEntry]:
    entries = []
    for line in lines:
        tokens = line.split()
        if len(tokens) < 3 or tokens[0].startswith("#"):
            continue
        entries.append(
            MountEntry(
                source=_unescape(tokens[0]), mount_point=_unescape(tokens[1]), fstype=tokens[2]
            )
        )
    return entries


def parse(output: str) -> FilesystemReport:
    parts = sections(output, ("df-bytes", "df-inodes", "mounts", "fstab"))
    size_tables = _df_tables(parts["df-bytes"])
    if not size_tables or not any(rows for _, rows in size_tables):
        raise ProbeOutputError("df printed no file systems (is df installed?)")
    inode_rows: dict[str, tuple[str, int | None, int | None]] = {}
    for _, rows in _df_tables(parts["df-inodes"]):
        for mount, row in rows.items():
            inode_rows.setdefault(mount, row)
    mounts = _mount_entries(parts["mounts"])
    types = {m.mount_point: m.fstype for m in mounts}
    merged: dict[str, FileSystem] = {}
    for _, rows in size_tables:  # the first table wins (-B1 before the -k fallback)
        for mount, (device, total, used) in rows.items():
            if mount in merged:
                continue
            inodes = inode_rows.get(mount)
            merged[mount] = FileSystem(
                device=device,
                mount_point=mount,
                fstype=types.get(mount),
                size_bytes=total,
                used_bytes=used,
                inodes_total=inodes[1] if inodes else None,
                inodes_used=inodes[2] if inodes else None,
            )
    return FilesystemReport(
        filesystems=list(merged.values()), mounts=mounts, fstab=_mount_entries(parts["fstab"])
    )


def is_local(fs: FileSystem) -> bool:
    """Holds data that moves with the server: a disk file system (or a container's root)."""
    if fs.fstype is None:
        return fs.device.startswith("/dev/")
    return fs.fstype in LOCAL_TYPES or (fs.fstype == "overlay" and fs.mount_point == "/")


def local_volumes(filesystems: list[FileSystem]) -> list[FileSystem]:
    """Local file systems, one per device (bind mounts and btrfs subvolumes share a device)."""
    best: dict[str, FileSystem] = {}
    for fs in filesystems:
        if not is_local(fs):
            continue
        if fs.inodes_total == 0:  # btrfs, vfat: no inode table, so the file count is unknown
            fs = fs.model_copy(update={"inodes_total": None, "inodes_used": None})
        kept = best.get(fs.device)
        if kept is None or len(fs.mount_point) < len(kept.mount_point):
            best[fs.device] = fs
    return list(best.values())


def _server(source: str) -> str | None:
    if source.startswith("//"):
        return source[2:].split("/", 1)[0] or None
    host, sep, _ = source.partition(":/")
    return host.strip("[]") if sep and host else None


def network_mounts(report: FilesystemReport) -> list[NetworkMount]:
    found: dict[str, NetworkMount] = {}
    for entry in report.mounts:
        if entry.fstype in NETWORK_TYPES:
            found[entry.mount_point] = NetworkMount(
                source=entry.source,
                server=_server(entry.source),
                mount_point=entry.mount_point,
                fstype=entry.fstype,
            )
    for entry in report.fstab:
        if entry.fstype in NETWORK_TYPES and entry.mount_point not in found:
            found[entry.mount_point] = NetworkMount(
                source=entry.source,
                server=_server(entry.source),
                mount_point=entry.mount_point,
                fstype=entry.fstype,
                mounted=False,
            )
    return list(found.values())


def _mount_evidence(report: FilesystemReport, signals: HostSignals) -> list[LockinEvidence]:
    found: dict[tuple[str, str], LockinEvidence] = {}
    for path, entries in (("/proc/mounts", report.mounts), ("/etc/fstab", report.fstab)):
        for entry in entries:
            service = signals.mount_service(entry.fstype, entry.source)
            server = _server(entry.source)
            if service is None and server and signals.is_endpoint(server):
                service = signals.endpoint_service(server)
            key = (service or "", entry.mount_point)
            if service and key not in found:
                detail = f"{entry.source} on {entry.mount_point} ({entry.fstype})"
                found[key] = evidence(service, f"mount:{entry.fstype}", detail, path)
    return list(found.values())


def contribute(value: FilesystemReport, signals: HostSignals) -> HostFacts:
    return HostFacts(
        filesystems=local_volumes(value.filesystems),
        network_mounts=network_mounts(value),
        evidence=_mount_evidence(value, signals),
    )


PROBE = Probe("filesystems", parse, contribute)
