"""OS release, kernel, architecture, host name, interface addresses and DMI vendor strings."""

from __future__ import annotations

import ipaddress
import shlex

from pydantic import Field

from planner.discovery.ssh.facts import HostFacts, OsInfo
from planner.discovery.ssh.probes.base import (
    Probe,
    ProbeOutputError,
    evidence,
    normalize_address,
    sections,
    snippet,
)
from planner.discovery.ssh.signals import HostSignals
from planner.models.base import Model

_FAMILIES = (
    ("amzn", "amazon"),
    ("rhel", "rhel"),
    ("centos", "rhel"),
    ("fedora", "rhel"),
    ("debian", "debian"),
    ("ubuntu", "debian"),
    ("alpine", "alpine"),
    ("suse", "suse"),
    ("sles", "suse"),
    ("opensuse", "suse"),
    ("arch", "arch"),
)
_DMI_FILES = {
    "/sys/class/dmi/id/sys_vendor": "sys_vendor",
    "/sys/class/dmi/id/product_name": "product_name",
    "/sys/class/dmi/id/board_asset_tag": "board_asset_tag",
    "/sys/hypervisor/uuid": "hypervisor_uuid",
}


class OsRelease(Model):
    release: dict[str, str] = Field(default_factory=dict, description="os-release KEY -> value")
    kernel: str
    architecture: str
    hostname: str | None = None
    addresses: list[str] = Field(default_factory=list)
    dmi: dict[str, str] = Field(default_factory=dict)


def _release_fields(lines: list[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in lines:
        key, sep, raw = line.strip().partition("=")
        if not sep or not key.isidentifier() or key.startswith("#"):
            continue
        try:
            parts = shlex.split(raw)
            value = parts[0] if len(parts) == 1 else raw
        except ValueError:
            value = raw.strip("\"'")
        fields[key] = value
    return fields


def _local_only(address: str) -> bool:
    """Loopback and link-local addresses say nothing about where a host is reached."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return True
    return parsed.is_loopback or parsed.is_link_local


def _addresses(lines: list[str]) -> list[str]:
    found: list[str] = []
    for line in lines:
        tokens = line.split()
        for key in ("inet", "inet6"):
            if key in tokens[:-1]:
                address = normalize_address(tokens[tokens.index(key) + 1].split("/", 1)[0])
                if address and not _local_only(address) and address not in found:
                    found.append(address)
    return found


def parse(output: str) -> OsRelease:
    parts = sections(output, ("os-release", "uname", "hostname", "addresses", "dmi"))
    uname = " ".join(parts["uname"]).split()
    if len(uname) != 3:
        raise ProbeOutputError(
            f"uname printed {snippet(' '.join(parts['uname']))}, expected 'Linux RELEASE MACHINE'"
        )
    dmi: dict[str, str] = {}
    for line in parts["dmi"]:
        path, _, value = line.partition(":")
        if path in _DMI_FILES and value.strip():
            dmi[_DMI_FILES[path]] = value.strip()
    hostname = next((h.strip() for h in parts["hostname"] if h.strip()), None)
    return OsRelease(
        release=_release_fields(parts["os-release"]),
        kernel=uname[1],
        architecture=uname[2],
        hostname=hostname,
        addresses=_addresses(parts["addresses"]),
        dmi=dmi,
    )


def family(release: dict[str, str]) -> str | None:
    """debian, rhel, amazon, alpine, suse, arch, or the ID itself."""
    ids = [release.get("ID", "").lower(), *release.get("ID_LIKE", "").lower().split()]
    for known, name in _FAMILIES:
        if any(i == known or i.startswith(f"{known}-") for i in ids if i):
            return name
    return ids[0] or None


def contribute(value: OsRelease, signals: HostSignals) -> HostFacts:
    os_id = value.release.get("ID")
    found = []
    if os_id and os_id in signals.os_ids:
        detail = value.release.get("PRETTY_NAME") or os_id
        found.append(evidence(signals.os_ids[os_id], f"os:{os_id}", detail, "/etc/os-release"))
    for service, field, text in signals.dmi_services(value.dmi):
        found.append(evidence(service, f"dmi:{field}", text))
    return HostFacts(
        hostname=value.hostname,
        addresses=value.addresses,
        os=OsInfo(
            id=os_id,
            version_id=value.release.get("VERSION_ID"),
            pretty_name=value.release.get("PRETTY_NAME"),
            family=family(value.release),
            kernel=value.kernel,
            architecture=value.architecture,
        ),
        evidence=found,
    )


PROBE = Probe("os_release", parse, contribute)
