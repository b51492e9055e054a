"""Installed packages (dpkg, rpm, apk, snap); cloud agents among them become evidence.

Only matches are kept in the host facts: the full list is large and says nothing about the move.
"""

from __future__ import annotations

import re
from typing import Literal

from planner.discovery.ssh.facts import HostFacts
from planner.discovery.ssh.probes.base import Probe, ProbeOutputError, evidence, sections
from planner.discovery.ssh.signals import HostSignals
from planner.models.base import Model

_APK = re.compile(r"^(?P<name>.+)-(?P<version>[^-]+-r\d+)$")


class Package(Model):
    name: str
    version: str | None = None
    manager: Literal["dpkg", "rpm", "apk", "snap"]


def _dpkg(lines: list[str]) -> list[Package]:
    found = []
    for line in lines:
        fields = line.split("\t")
        if len(fields) == 3 and len(fields[0]) >= 2 and fields[0][1] == "i":
            found.append(Package(name=fields[1], version=fields[2] or None, manager="dpkg"))
    return found


def _rpm(lines: list[str]) -> list[Package]:
    found = []
    for line in lines:
        name, sep, version = line.partition("\t")
        if sep and name and " " not in name:
            found.append(Package(name=name, version=version or None, manager="rpm"))
    return found


def _apk(lines: list[str]) -> list[Package]:
    found = []
    for line in lines:
        match = _APK.match(line.strip())
        if match:
            found.append(Package(name=match["name"], version=match["version"], manager="apk"))
    return found


def _snap(lines: list[str]) -> list[Package]:
    found = []
    for line in lines:
        tokens = line.split()
        if len(tokens) >= 2 and tokens[0] != "Name":
            found.append(Package(name=tokens[0], version=tokens[1], manager="snap"))
    return found


def parse(output: str) -> list[Package]:
    parts = sections(output, ("dpkg", "rpm", "apk", "snap"))
    packages: list[Package] = []
    for name, reader in (("dpkg", _dpkg), ("rpm", _rpm), ("apk", _apk), ("snap", _snap)):
        lines = [line for line in parts[name] if line.strip()]
        found = reader(lines)
        if lines and not found and name != "snap":
            raise ProbeOutputError(f"{name} printed lines but none is a package")
        packages.extend(found)
    return packages


def contribute(value: list[Package], signals: HostSignals) -> HostFacts:
    found = []
    for package in value:
        service = signals.package_service(package.name)
        if service:
            detail = f"{package.manager} {package.name} {package.version or ''}".strip()
            found.append(evidence(service, f"package:{package.name}", detail))
    return HostFacts(evidence=found)


PROBE = Probe("packages", parse, contribute)
