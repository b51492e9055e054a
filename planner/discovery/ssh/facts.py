"""What SSH discovery learns about one host, and how each host's run ended (pure models).

Probes return their own parsed values; each probe turns its value into a partial
:class:`HostFacts`, and the partials are merged. :class:`HostResult` is one host's outcome —
facts (possibly partial) plus per-stage errors — and is what the progress file stores.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from planner.models import LockinEvidence, MailRelay
from planner.models.base import Model


class OsInfo(Model):
    id: str | None = None
    version_id: str | None = None
    pretty_name: str | None = None
    family: str | None = None
    kernel: str | None = None
    architecture: str | None = None


class FileSystem(Model):
    """A mounted local file system as ``df`` reports it (sizes in bytes)."""

    device: str
    mount_point: str
    fstype: str | None = None
    size_bytes: int | None = None
    used_bytes: int | None = None
    inodes_total: int | None = None
    inodes_used: int | None = None


class NetworkMount(Model):
    """An NFS/EFS/CIFS mount (from ``/proc/mounts``) or an fstab entry for one."""

    source: str
    server: str | None = None
    mount_point: str
    fstype: str
    mounted: bool = True


class BlockDevice(Model):
    name: str
    kind: str | None = None
    parent: str | None = None
    size_bytes: int | None = None
    model: str | None = None
    serial: str | None = None
    fstype: str | None = None
    mount_point: str | None = None


class Socket(Model):
    """A TCP/UDP socket; ``remote_*`` is empty for listening sockets."""

    protocol: Literal["tcp", "udp"] = "tcp"
    local_address: str | None = None
    local_port: int = Field(ge=0, le=65535)
    remote_address: str | None = None
    remote_port: int | None = Field(default=None, ge=0, le=65535)
    process: str | None = None


class HostFacts(Model):
    """Everything measured on one host. Lists are merged by concatenation, scalars by override."""

    hostname: str | None = None
    os: OsInfo | None = None
    addresses: list[str] = Field(default_factory=list, description="non-loopback interface IPs")
    vcpus: int | None = None
    cpu_model: str | None = None
    memory_bytes: int | None = None
    filesystems: list[FileSystem] = Field(default_factory=list)
    network_mounts: list[NetworkMount] = Field(default_factory=list)
    block_devices: list[BlockDevice] = Field(default_factory=list)
    listening: list[Socket] = Field(default_factory=list)
    connections: list[Socket] = Field(default_factory=list)
    resolvers: list[str] = Field(default_factory=list)
    search_domains: list[str] = Field(default_factory=list)
    mail_relays: list[MailRelay] = Field(default_factory=list)
    images: list[str] = Field(default_factory=list)
    evidence: list[LockinEvidence] = Field(default_factory=list)
    change_rate_bytes_per_second: float | None = None
    change_rate_window_seconds: float | None = Field(
        default=None, description="seconds between the two disk samples (host uptime clock)"
    )
    change_rate_method: Literal["sampled", "since-boot"] | None = None

    def merge(self, other: HostFacts) -> HostFacts:
        """A new :class:`HostFacts` with ``other``'s lists appended and its known scalars set."""
        data = self.model_dump()
        for name, value in other.model_dump().items():
            if isinstance(value, list):
                data[name] = [*data[name], *value]
            elif value is not None:
                data[name] = value
        return HostFacts.model_validate(data)


class StageError(Model):
    """One failure on a host: ``stage`` is ``connect`` or a probe name."""

    stage: str
    reason: str


HostStatus = Literal["ok", "partial", "failed"]


class HostResult(Model):
    """How discovery of one server ended: ``failed`` means no facts at all."""

    server_id: str
    target: str = Field(description="user@host:port (via jump) that was contacted")
    status: HostStatus
    facts: HostFacts | None = None
    errors: list[StageError] = Field(default_factory=list)
    seconds: float | None = Field(default=None, description="wall time spent on this host")
