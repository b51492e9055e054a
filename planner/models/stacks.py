"""Models of ``seeds/stacks/targets.yaml``: the Pulumi stack targets and the fleet base defaults.

A :class:`StackTarget` says which Pulumi provider SDK builds the fleet at one target, what a user
needs to run it (credentials, the Pulumi CLI), which catalog providers or private target kinds
it serves and the default provider settings written into ``Pulumi.<stack>.yaml``. Limits are not
here: they come from the target catalog (``limits.yaml`` or the private target file).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from planner.models.base import Model
from planner.models.seeds import SourceRef


class SdkRef(Model):
    package: str = Field(description="PyPI distribution name")
    version: str = Field(description="the version exitplan was checked against")
    module: str = Field(description="import name")


class StackTarget(Model):
    """One ``stacks/<name>/`` Pulumi project."""

    title: str
    project: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="Pulumi project name")
    sdk: SdkRef
    source: str = Field(description="key into `sources`")
    credentials_env: list[str] = Field(min_length=1)
    secret_config: list[str] = Field(
        default_factory=list, description="provider config keys to set with --secret"
    )
    catalog_providers: list[str] = Field(default_factory=list)
    private_kinds: list[str] = Field(default_factory=list)
    firewall: str
    placement: str
    settings: dict[str, str] = Field(default_factory=dict)
    provider_settings: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="settings that differ per catalog provider"
    )
    notes: list[str] = Field(default_factory=list)


class FleetBase(Model):
    """The vanilla Linux base every server gets, and the network defaults."""

    admin_user: str = Field(pattern=r"^[a-z_][a-z0-9_-]{0,31}$")
    ntp_servers: list[str] = Field(min_length=1)
    ntp_source: str
    packages: list[str] = Field(min_length=1)
    packages_source: str
    public_ports: list[int] = Field(default_factory=list)
    public_ports_why: str
    private_cidr: str
    network_prefix_length: int = Field(ge=8, le=28)
    packages_by_process: dict[str, list[str]] = Field(default_factory=dict)
    packages_by_port: dict[int, list[str]] = Field(default_factory=dict)


class StackCatalog(Model):
    """The whole ``seeds/stacks/targets.yaml``."""

    schema_version: Literal[1] = 1
    as_of: dt.date
    sources: dict[str, SourceRef] = Field(min_length=1)
    base: FleetBase
    targets: dict[str, StackTarget] = Field(min_length=1)

    @model_validator(mode="after")
    def _sources_exist(self) -> StackCatalog:
        keys = [("base.ntp_source", self.base.ntp_source)]
        keys.append(("base.packages_source", self.base.packages_source))
        keys += [(f"targets.{n}.source", t.source) for n, t in self.targets.items()]
        for where, key in keys:
            if key not in self.sources:
                raise ValueError(f"{where}: {key!r} is not a key of `sources`")
        return self

    def target_for(self, provider: str, private_kind: str | None) -> str | None:
        """The stack target that serves a catalog provider (or a private target kind)."""
        for name, target in self.targets.items():
            if provider in target.catalog_providers:
                return name
            if private_kind is not None and private_kind in target.private_kinds:
                return name
        return None


class StackOptions(Model):
    """One ``exitplan stacks config|preview`` run's choices."""

    target: str
    name: str = Field(default="exit", pattern=r"^[a-z][a-z0-9-]{0,19}$")
    test_stack: bool = False
    admin_cidrs: list[str] = Field(default_factory=list)
    ssh_public_keys: list[str] = Field(default_factory=list)
    public_ports: list[int] | None = Field(default=None, description="None = seeds default")
    role_packages: dict[str, list[str]] = Field(default_factory=dict)
    settings: dict[str, str] = Field(default_factory=dict, description="provider settings")
