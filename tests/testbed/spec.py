"""What a testbed should look like: hosts, their port limits, the shared uplink."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .netns import TBF_LATENCY_SECONDS

Site = Literal["source", "destination"]
DEFAULT_CIPHER = "aes128-gcm@openssh.com"
MAX_HOSTS_PER_SITE = 100
_NAME_RE = re.compile(r"^[a-z][a-z0-9]{0,19}$")


@dataclass(frozen=True)
class HostSpec:
    """One host. ``port_rate`` limits both directions unless ``egress``/``ingress`` override."""

    name: str
    site: Site = "source"
    port_rate_bits_per_second: float | None = None
    egress_rate_bits_per_second: float | None = None
    ingress_rate_bits_per_second: float | None = None

    @property
    def egress(self) -> float | None:
        return self.egress_rate_bits_per_second or self.port_rate_bits_per_second

    @property
    def ingress(self) -> float | None:
        return self.ingress_rate_bits_per_second or self.port_rate_bits_per_second


@dataclass(frozen=True)
class TestbedSpec:
    """Hosts plus the shared uplink between the source router and the destination site."""

    hosts: tuple[HostSpec, ...]
    uplink_rate_bits_per_second: float | None = None
    queue_latency_seconds: float = TBF_LATENCY_SECONDS
    cipher: str | None = DEFAULT_CIPHER

    __test__ = False  # not a pytest test class

    def __post_init__(self) -> None:
        names = [host.name for host in self.hosts]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate host names in {names}")
        for host in self.hosts:
            if not _NAME_RE.match(host.name):
                raise ValueError(
                    f"host name {host.name!r}: lower-case letters and digits, ≤ 20 characters"
                )
        for site in ("source", "destination"):
            if sum(host.site == site for host in self.hosts) > MAX_HOSTS_PER_SITE:
                raise ValueError(f"at most {MAX_HOSTS_PER_SITE} {site} hosts")


@dataclass
class Host:
    name: str
    site: Site
    namespace: str
    address: str
    gateway: str
    peer_dev: str
    directory: Path
    spec: HostSpec
    sshd: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def data_dir(self) -> Path:
        """This host's own directory for data (namespaces share the filesystem)."""
        return self.directory / "data"
