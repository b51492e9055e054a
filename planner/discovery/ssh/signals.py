"""Host signals of provider coupling: the model of ``seeds/discovery/ssh_signals.yaml`` (pure).

The seed maps what a probe sees on a host (a package, a path, an address, an endpoint host name,
a DMI string) to a lock-in service id from the service table of the lock-in research notes
(``ssm``, ``cloudwatch``, ``efs``, ``ecr``, ``ec2`` ...). Probes ask these lookups; the knowledge
stays data.
"""

from __future__ import annotations

import functools
import re
from fnmatch import fnmatchcase
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from planner.models.base import Model
from planner.models.seeds import DateText, SourceRef


def _valid_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {value!r}: {exc}") from None
    return value


Regex = Annotated[str, AfterValidator(_valid_regex)]
"""A regular expression, checked when the seed loads."""


class PackageSignal(Model):
    name: str = Field(min_length=1, description="package name (deb, rpm, apk or snap)")
    service: str


class PathSignal(Model):
    path: str = Field(min_length=1, description="absolute path; shell-style * allowed")
    service: str


class AddressSignal(Model):
    address: str = Field(description="an IP address with a fixed provider meaning")
    service: str
    signal: str = Field(description="short name, e.g. imds, time-sync, vpc-resolver")


class TextSignal(Model):
    text: str = Field(min_length=1, description="literal text found in a configuration file")
    service: str
    signal: str


class PatternSignal(Model):
    """A regular expression (searched, case-insensitive) and the service it implies."""

    pattern: Regex
    service: str


class DmiSignal(Model):
    field: Literal["sys_vendor", "product_name", "board_asset_tag", "hypervisor_uuid"]
    pattern: Regex
    service: str


class HostSignals(Model):
    schema_version: Literal[1] = 1
    as_of: DateText
    sources: list[SourceRef] = Field(min_length=1)
    os_ids: dict[str, str] = Field(default_factory=dict, description="os-release ID -> service")
    packages: list[PackageSignal] = Field(default_factory=list)
    paths: list[PathSignal] = Field(default_factory=list)
    processes: list[PackageSignal] = Field(default_factory=list)
    addresses: list[AddressSignal] = Field(default_factory=list)
    texts: list[TextSignal] = Field(default_factory=list)
    endpoints: list[PatternSignal] = Field(
        default_factory=list, description="host-name patterns, first match wins"
    )
    endpoint_suffixes: list[str] = Field(
        default_factory=lambda: [".amazonaws.com", ".amazonaws.com.cn"],
        description="a host name ending so is a provider endpoint",
    )
    search_domains: list[PatternSignal] = Field(default_factory=list)
    mounts: list[PatternSignal] = Field(
        default_factory=list, description="patterns on 'FSTYPE SOURCE' of a mount"
    )
    block_models: list[PatternSignal] = Field(default_factory=list)
    images: list[PatternSignal] = Field(default_factory=list)
    dmi: list[DmiSignal] = Field(default_factory=list)

    def package_service(self, name: str) -> str | None:
        return next((p.service for p in self.packages if p.name == name), None)

    def process_service(self, name: str) -> str | None:
        return next((p.service for p in self.processes if p.name == name), None)

    def path_service(self, path: str) -> str | None:
        return next((p.service for p in self.paths if fnmatchcase(path, p.path)), None)

    def address_signal(self, address: str) -> AddressSignal | None:
        return next((a for a in self.addresses if a.address == address.lower()), None)

    def text_signal(self, text: str) -> TextSignal | None:
        return next((t for t in self.texts if t.text == text), None)

    def is_endpoint(self, host: str) -> bool:
        return host.lower().endswith(tuple(self.endpoint_suffixes))

    def endpoint_service(self, host: str) -> str:
        """The service behind an endpoint host name; the first label when no rule matches."""
        name = host.lower()
        found = _first_match(self.endpoints, name)
        if found is not None:
            return found
        return name.split(".", 1)[0]

    def search_domain_service(self, domain: str) -> str | None:
        return _first_match(self.search_domains, domain.lower())

    def mount_service(self, fstype: str, source: str) -> str | None:
        return _first_match(self.mounts, f"{fstype} {source}")

    def block_model_service(self, model: str) -> str | None:
        return _first_match(self.block_models, model)

    def image_service(self, image: str) -> str | None:
        return _first_match(self.images, image.lower())

    def dmi_services(self, values: dict[str, str]) -> list[tuple[str, str, str]]:
        """(service, field, value) for each DMI value that matches a rule."""
        found: list[tuple[str, str, str]] = []
        for rule in self.dmi:
            value = values.get(rule.field)
            if value is not None and _regex(rule.pattern).search(value):
                found.append((rule.service, rule.field, value))
        return found


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _first_match(rules: list[PatternSignal], text: str) -> str | None:
    return next((r.service for r in rules if _regex(r.pattern).search(text)), None)
