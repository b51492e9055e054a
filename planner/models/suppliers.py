"""Supplier rules as data: every outside party that can cut a fleet off, not only the cloud.

One :class:`SupplierRule` per supplier and function (``seeds/suppliers/<id>.yaml``): what it does
for the fleet (a function category from the vocabulary), who operates it, how to recognise it
(API host names, published address ranges, SDK packages per ecosystem, code imports, DNS record
targets, IaC types, environment variables and configuration keys), what could replace it and how
long replacing it takes (a replacement class). The vocabulary (``seeds/suppliers/_vocabulary.yaml``,
:class:`SupplierVocabulary`) defines the function categories, the replacement classes and the
weights of the "single points of supplier failure" score.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from planner.models.base import Model
from planner.models.lockin import RULE_ID, IacSignals, Level, SourceCite, check_regexes

ECOSYSTEMS = ("pypi", "npm", "go", "rubygems", "maven")


class Packages(Model):
    """Dependency names per ecosystem, as written in the manifests (case-insensitive)."""

    pypi: list[str] = Field(default_factory=list, description="requirements.txt, pyproject.toml")
    npm: list[str] = Field(default_factory=list, description="package.json")
    go: list[str] = Field(default_factory=list, description="go.mod module paths (prefixes)")
    rubygems: list[str] = Field(default_factory=list, description="Gemfile gem names")
    maven: list[str] = Field(
        default_factory=list, description="pom.xml/Gradle 'groupId:artifactId' (or groupId)"
    )

    def tokens(self) -> list[str]:
        return [f"pkg:{eco}:{name.lower()}" for eco in ECOSYSTEMS for name in getattr(self, eco)]


class DnsSignals(Model):
    """Regexes on DNS records. Name patterns (ns, mx, cname, owner) match the whole lower-case
    name without the trailing dot; txt and caa patterns are searched in the record's text."""

    ns: list[str] = Field(default_factory=list, description="NS targets (and the SOA MNAME)")
    mx: list[str] = Field(default_factory=list, description="MX exchanges")
    cname: list[str] = Field(
        default_factory=list, description="CNAME/ALIAS/ANAME targets and Route 53 alias targets"
    )
    txt: list[str] = Field(default_factory=list, description="TXT text (SPF includes, tokens)")
    caa: list[str] = Field(default_factory=list, description="CAA issuer domains")
    owner: list[str] = Field(default_factory=list, description="record owner names")

    @field_validator("ns", "mx", "cname", "txt", "caa", "owner")
    @classmethod
    def _regexes(cls, values: list[str]) -> list[str]:
        return check_regexes(values, "DNS")


class SupplierSignals(Model):
    """Everything that reveals a supplier in code, configuration, IaC, the inventory or DNS."""

    hosts: list[str] = Field(
        default_factory=list, description="regexes on host names (whole-name match)"
    )
    addresses: list[str] = Field(
        default_factory=list, description="published IP networks (CIDR) or single addresses"
    )
    packages: Packages = Field(default_factory=Packages)
    imports: list[str] = Field(
        default_factory=list, description="module names imported in code (prefix match)"
    )
    env: list[str] = Field(default_factory=list, description="environment variable names")
    config_keys: list[str] = Field(
        default_factory=list, description="configuration keys (case-insensitive, whole word)"
    )
    dns: DnsSignals = Field(default_factory=DnsSignals)
    terraform: IacSignals = Field(default_factory=list, description="resource/data types")
    cloudformation: IacSignals = Field(default_factory=list, description="CFN/SAM types")
    tokens: list[str] = Field(
        default_factory=list,
        description="tokens the lock-in readers already produce: sdk:boto3:ses, pattern:sns-sms",
    )
    services: list[str] = Field(
        default_factory=list,
        description="lock-in service ids that discovery attached to inventory items (ses, ecr)",
    )
    files: list[str] = Field(default_factory=list, description="file path globs (fastlane/*)")
    os_ids: list[str] = Field(
        default_factory=list, description="inventory os.name values whose packages come from it"
    )

    @field_validator("hosts")
    @classmethod
    def _hosts(cls, values: list[str]) -> list[str]:
        return check_regexes(values, "host")

    @field_validator("addresses")
    @classmethod
    def _networks(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                ipaddress.ip_network(value, strict=True)
            except ValueError as exc:
                raise ValueError(f"invalid address or network {value!r}: {exc}") from None
        return values

    @field_validator("env")
    @classmethod
    def _env_names(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.fullmatch(r"[A-Z][A-Z0-9_]{2,}", value):
                raise ValueError(f"{value!r} is not an upper-case environment variable name")
        return values


class Alternative(Model):
    name: str
    kind: Literal["self-hosted", "saas", "in-house", "second-supplier"]
    notes: str | None = None


class SupplierRule(Model):
    """One supplier in one function: how to spot it, what replaces it, how long that takes."""

    id: str = Field(pattern=RULE_ID)
    name: str
    operator: str = Field(description="the company that can cut the customer off")
    category: str = Field(pattern=RULE_ID, description="a function category of the vocabulary")
    function: str = Field(description="what it does for the fleet, in a few words")
    with_cloud: str | None = Field(
        default=None,
        description="cloud provider id when the cloud operates it (lost with the cloud account)",
    )
    replacement: str = Field(pattern=RULE_ID, description="a replacement class of the vocabulary")
    replacement_why: str
    alternatives: list[Alternative] = Field(min_length=1)
    implies: list[str] = Field(
        default_factory=list,
        description="other supplier ids this one implies (APNs -> the App Store)",
    )
    notes: str | None = None
    signals: SupplierSignals
    sources: list[SourceCite] = Field(min_length=1)
    last_verified: dt.date


class Category(Model):
    name: str
    impact: str = Field(pattern=RULE_ID, description="an impact of the vocabulary")
    interchangeable: bool = Field(
        default=True,
        description="two suppliers of this function can stand in for each other (two DNS hosts "
        "can; APNs and FCM serve different devices, a domain lives at one registrar)",
    )


class ReplacementClass(Model):
    points: int = Field(ge=0)
    time: str = Field(description="how long replacing takes, e.g. 'up to 1 day'")
    meaning: str


class Impact(Model):
    points: int = Field(ge=0)
    meaning: str


class SupplierVocabulary(Model):
    """Function categories, replacement classes, impacts, port hints and score weights."""

    as_of: dt.date
    categories: dict[str, Category] = Field(min_length=1)
    impacts: dict[str, Impact] = Field(min_length=1)
    replacement_classes: dict[str, ReplacementClass] = Field(min_length=1)
    single_point_points: int = Field(ge=0)
    unclassified: Category = Field(description="function and impact of unknown endpoints")
    unclassified_replacement: str
    breadth_weight: float = Field(ge=0, le=1)
    breadth_cap: int = Field(ge=0, le=100)
    levels: dict[Level, int]
    ports: dict[int, str] = Field(default_factory=dict, description="port -> likely function")
    rationale: list[str] = Field(min_length=1)
    sources: list[SourceCite] = Field(min_length=1)

    @property
    def max_points(self) -> int:
        return (
            max(c.points for c in self.replacement_classes.values())
            + max(i.points for i in self.impacts.values())
            + self.single_point_points
        )

    @model_validator(mode="after")
    def _consistent(self) -> SupplierVocabulary:
        for cid, cat in [*self.categories.items(), ("unclassified", self.unclassified)]:
            if cat.impact not in self.impacts:
                raise ValueError(f"category {cid}: unknown impact {cat.impact!r}")
        if self.unclassified_replacement not in self.replacement_classes:
            raise ValueError(f"unknown replacement class {self.unclassified_replacement!r}")
        if set(self.levels) != set(Level) or self.levels[Level.LOW] != 0:
            raise ValueError("levels needs low (0), medium, high and very-high")
        return self
