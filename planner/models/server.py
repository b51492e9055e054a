"""A source server and the parts that describe it: access, OS, volumes, limits, evidence."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field

from planner.models.base import Model, Provenance
from planner.units import BytesPerSecond, RateBitsPerSecond, SizeBytes


def _alias(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class SshAccess(Model):
    """How to reach the host over SSH. Never holds a secret: keys come from ssh-agent or config."""

    user: str | None = None
    port: int = Field(default=22, ge=1, le=65535)
    jump_host: str | None = Field(default=None, description="ProxyJump spec: [user@]host[:port]")


class Source(Model):
    """Where the resource lives today."""

    provider: str | None = None
    account: str | None = None
    region: str | None = None
    zone: str | None = None
    resource_id: str | None = Field(default=None, description="e.g. the EC2 instance id")


class OperatingSystem(Model):
    name: str | None = None
    version: str | None = None
    kernel: str | None = None
    family: str | None = Field(default=None, description="debian, rhel, amazon, alpine, ...")
    architecture: str | None = None


class Volume(Model):
    """A block volume or file system on the server. ``used_bytes`` is what must be copied."""

    id: str | None = None
    device: str | None = None
    mount_point: str | None = None
    filesystem: str | None = None
    size_bytes: SizeBytes | None = Field(
        default=None, validation_alias=_alias("size_bytes", "size")
    )
    used_bytes: SizeBytes | None = Field(
        default=None, validation_alias=_alias("used_bytes", "used")
    )
    file_count: int | None = Field(default=None, ge=0)
    volume_type: str | None = Field(default=None, description="gp2, gp3, io1, io2, st1, sc1, ...")
    throughput_bytes_per_second: BytesPerSecond | None = Field(
        default=None,
        validation_alias=_alias("throughput_bytes_per_second", "throughput"),
        description="provisioned throughput (gp3, io*); None means the type's default",
    )
    iops: int | None = Field(default=None, ge=0)
    snapshot_ids: list[str] = Field(default_factory=list)


class NetworkLimits(Model):
    """Sustained and burst bandwidth of the instance (per direction)."""

    baseline_bits_per_second: RateBitsPerSecond | None = Field(
        default=None, validation_alias=_alias("baseline_bits_per_second", "baseline")
    )
    burst_bits_per_second: RateBitsPerSecond | None = Field(
        default=None, validation_alias=_alias("burst_bits_per_second", "burst")
    )


class StorageLimits(Model):
    """The instance's own block-storage limits (EBS-optimized bandwidth)."""

    baseline_bytes_per_second: BytesPerSecond | None = Field(
        default=None, validation_alias=_alias("baseline_bytes_per_second", "baseline")
    )
    burst_bytes_per_second: BytesPerSecond | None = Field(
        default=None, validation_alias=_alias("burst_bytes_per_second", "burst")
    )
    baseline_iops: int | None = Field(default=None, ge=0)


class ListeningService(Model):
    port: int = Field(ge=0, le=65535)
    protocol: Literal["tcp", "udp"] = "tcp"
    address: str | None = None
    process: str | None = None


class Connection(Model):
    """An established connection seen on the host (a dependency edge or an outside supplier)."""

    remote_address: str
    remote_port: int = Field(ge=0, le=65535)
    local_port: int | None = Field(default=None, ge=0, le=65535)
    process: str | None = None
    remote_host: str | None = Field(default=None, description="a name for the remote, if known")


class MailRelay(Model):
    """A host the server hands its outgoing mail to (postfix ``relayhost``, exim smarthost, ...).

    Read from the mail agent's configuration, never from its credential files: a relay that
    needs a password still shows up here by host and port only.
    """

    host: str = Field(min_length=1, description="host name or address, without brackets")
    port: int | None = Field(default=None, ge=1, le=65535)
    agent: str = Field(description="postfix, exim, sendmail, ssmtp, msmtp, nullmailer, dma, ...")
    path: str | None = Field(default=None, description="the configuration file on the host")
    line: int | None = Field(default=None, ge=1)


class LockinEvidence(Model):
    """One sign that a workload depends on a provider service."""

    service: str = Field(description="lock-in service id, e.g. s3, dynamodb, ssm")
    signal: str = Field(description="what matched, e.g. package:amazon-ssm-agent")
    origin: str = Field(description="ssh, aws-api, iac, code, import, generated")
    detail: str | None = Field(default=None, description="ARN, path, config line, ...")
    path: str | None = None
    line: int | None = Field(default=None, ge=1)


class Server(Model):
    """One source server to be moved."""

    id: str = Field(min_length=1)
    hostname: str | None = None
    address: str | None = None
    private_address: str | None = None
    public_address: str | None = None
    ssh: SshAccess = Field(default_factory=SshAccess)
    source: Source = Field(default_factory=Source)
    instance_type: str | None = None
    platform: str | None = Field(default=None, description="linux or windows")
    vcpus: int | None = Field(default=None, ge=0)
    memory_bytes: SizeBytes | None = Field(
        default=None, validation_alias=_alias("memory_bytes", "memory")
    )
    os: OperatingSystem = Field(default_factory=OperatingSystem)
    role: str = "unknown"
    tags: dict[str, str] = Field(default_factory=dict)
    volumes: list[Volume] = Field(default_factory=list)
    network: NetworkLimits = Field(default_factory=NetworkLimits)
    storage: StorageLimits = Field(default_factory=StorageLimits)
    change_rate_bytes_per_second: BytesPerSecond | None = Field(
        default=None,
        validation_alias=_alias("change_rate_bytes_per_second", "change_rate"),
        description="bytes written per second: what the cutover must catch up on",
    )
    services: list[ListeningService] = Field(default_factory=list)
    connections: list[Connection] = Field(default_factory=list)
    resolvers: list[str] = Field(default_factory=list)
    mail_relays: list[MailRelay] = Field(
        default_factory=list, description="where the host's mail agent sends outgoing mail"
    )
    dependencies: list[str] = Field(
        default_factory=list,
        description="ids of other servers/data stores, or managed services as 'aws:SERVICE'",
    )
    lockin: list[LockinEvidence] = Field(default_factory=list)
    monthly_cost_usd: float | None = Field(default=None, ge=0)
    provenance: dict[str, Provenance] = Field(
        default_factory=dict, description="field name -> where its value came from"
    )

    @property
    def used_bytes(self) -> int | None:
        """Bytes to copy: the sum of known volume usage; None if no volume usage is known."""
        known = [v.used_bytes for v in self.volumes if v.used_bytes is not None]
        return sum(known) if known else None

    @property
    def file_count(self) -> int | None:
        known = [v.file_count for v in self.volumes if v.file_count is not None]
        return sum(known) if known else None
