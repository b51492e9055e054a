"""Lock-in rules as data: one :class:`Rule` per AWS service (``seeds/lockin/aws/<id>.yaml``).

A rule says what a service is (class, compatibility, replacements, effort), what makes it worse
(features with their own signals), what blocks an exit outright (blockers), where the claims come
from (sources with an as-of date) and how to recognise it (signals). Signals are plain names the
evidence readers produce: Terraform and CloudFormation types (optionally narrowed by an attribute,
e.g. ``aws_db_instance`` with ``engine = postgres``), registry modules, Serverless Framework event
types, SDK client names per language, library imports, endpoint host patterns, ARN namespaces,
service principals, host artefacts and free-text patterns.

Scoring weights live in ``seeds/lockin/scoring.yaml`` (:class:`ScoringModel`).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from planner.models.base import Model
from planner.models.seeds import DateText

RULE_ID = r"^[a-z0-9][a-z0-9-]*$"
EFFORTS = ("S", "M", "L", "XL")


class LockinClass(StrEnum):
    """``portable`` (A): open engine or standard protocol; ``compatible`` (B): a self-hostable
    implementation of the same API exists; ``proprietary`` (C): rewrite needed."""

    PORTABLE = "portable"
    COMPATIBLE = "compatible"
    PROPRIETARY = "proprietary"


class Compat(StrEnum):
    """How close the best replacement is (research/lockin_knowledge.md §0.3)."""

    WIRE = "wire"
    API = "api"
    API_SUBSET = "api-subset"
    QUERY_LANG = "query-lang"
    CONFIG_TRANSLATE = "config-translate"
    REWRITE = "rewrite"


Effort = Literal["S", "M", "L", "XL"]


def effort_rank(effort: str) -> int:
    return EFFORTS.index(effort)


def check_regex(value: str, problem: str) -> str:
    """``value`` if it compiles as a regular expression; else ``ValueError("<problem>: why")``."""
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{problem}: {exc}") from None
    return value


def check_regexes(values: list[str], what: str) -> list[str]:
    """``values`` if each compiles; the first that does not is named in the error."""
    for value in values:
        check_regex(value, f"invalid {what} regex {value!r}")
    return values


def _iac_shorthand(value: Any) -> Any:
    return {"type": value} if isinstance(value, str) else value


class IacSignal(Model):
    """A resource (or module) type, optionally narrowed by an attribute found anywhere inside it.

    ``type`` may be a glob (``aws_s3_bucket*``). ``values`` are case-insensitive globs; empty means
    "the attribute is set to something other than false/empty". ``fallback`` claims the type when
    no rule's attribute condition matched (e.g. the engine is a variable). ``implied`` signals
    match resources that belong to another service (a Lambda with ``tracing_config`` -> X-Ray).
    """

    type: str = Field(min_length=1)
    attribute: str | None = None
    values: list[str] = Field(default_factory=list)
    fallback: bool = False
    implied: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> IacSignal:
        if self.values and self.attribute is None:
            raise ValueError("values need an attribute")
        if self.fallback and (self.attribute or self.implied):
            raise ValueError("a fallback signal has no attribute and is not implied")
        if self.implied and self.attribute is None:
            raise ValueError("an implied signal needs an attribute condition")
        return self

    @property
    def key(self) -> str:
        cond = f"[{self.attribute}={'|'.join(self.values) or '*'}]" if self.attribute else ""
        return f"{self.type}{cond}"


IacSignals = list[Annotated[IacSignal, BeforeValidator(_iac_shorthand)]]


class SdkNames(Model):
    """Client names per SDK. Empty ``js``/``go``/``java`` lists default to the boto3 names
    (``@aws-sdk/client-<name>``, ``service/<name without dashes>``, ``services.<same>``)."""

    boto3: list[str] = Field(default_factory=list, description="boto3.client('<name>')")
    js: list[str] = Field(default_factory=list, description="@aws-sdk/<name> packages (v3)")
    js_v2: list[str] = Field(default_factory=list, description="new AWS.<Class>() (v2)")
    java: list[str] = Field(
        default_factory=list, description="software.amazon.awssdk.services.<name> (v2)"
    )
    java_v1: list[str] = Field(default_factory=list, description="com.amazonaws.services.<name>")
    go: list[str] = Field(
        default_factory=list, description="aws-sdk-go(-v2)/service/<name> packages"
    )

    @model_validator(mode="after")
    def _defaults(self) -> SdkNames:
        if not self.js:
            self.js = [f"client-{n}" for n in self.boto3]
        if not self.go:
            self.go = [n.replace("-", "") for n in self.boto3]
        if not self.java:
            self.java = [n.replace("-", "") for n in self.boto3]
        return self

    def tokens(self) -> list[str]:
        """Every SDK signal as ``sdk:<style>:<name>``."""
        out = [f"sdk:boto3:{n}" for n in self.boto3]
        out += [f"sdk:js:{n}" for n in self.js]
        out += [f"sdk:js-v2:{n}" for n in self.js_v2]
        out += [f"sdk:java:{n}" for n in self.java]
        out += [f"sdk:java-v1:{n}" for n in self.java_v1]
        out += [f"sdk:go:{n}" for n in self.go]
        return out


class Pattern(Model):
    """A regular expression searched line by line in code and configuration text."""

    name: str = Field(pattern=RULE_ID)
    regex: str = Field(min_length=3)

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return check_regex(value, "invalid regex")


class Signals(Model):
    """Everything that reveals a service (or one of its features)."""

    terraform: IacSignals = Field(default_factory=list, description="resource/data types")
    terraform_modules: IacSignals = Field(
        default_factory=list,
        description="registry module sources, e.g. terraform-aws-modules/eks/aws",
    )
    cloudformation: IacSignals = Field(default_factory=list, description="CFN/SAM types")
    serverless: list[str] = Field(
        default_factory=list, description="Serverless Framework event types (functions.*.events)"
    )
    amplify: list[str] = Field(
        default_factory=list, description="Amplify backend category:service, e.g. auth:Cognito"
    )
    sdk: SdkNames = Field(default_factory=SdkNames)
    imports: list[str] = Field(
        default_factory=list, description="library imports/packages, e.g. pynamodb, aws-amplify"
    )
    endpoints: list[str] = Field(
        default_factory=list, description="regexes on host names (whole-name match)"
    )
    arns: list[str] = Field(
        default_factory=list, description="ARN service namespaces, or namespace:resource-type"
    )
    principals: list[str] = Field(default_factory=list, description="IAM service principals")
    host: list[str] = Field(
        default_factory=list, description="host artefacts: package:X, path:/x, process:x, snap:x"
    )
    patterns: list[Pattern] = Field(default_factory=list)
    files: list[str] = Field(
        default_factory=list, description="file path globs, e.g. amplify.yml, .ebextensions/*"
    )
    documents: list[str] = Field(
        default_factory=list, description="document kinds: cloudformation-template, sam-template"
    )

    @field_validator("endpoints")
    @classmethod
    def _endpoints_compile(cls, values: list[str]) -> list[str]:
        return check_regexes(values, "endpoint")


class Replacement(Model):
    name: str
    compat: Compat | None = None
    notes: str | None = None


class SourceCite(Model):
    """Where a claim comes from, and when it was last checked."""

    title: str
    url: str | None = None
    as_of: DateText
    claim: str | None = None


class Feature(Model):
    """A usage that raises lock-in above the service's default (research 'residue' column)."""

    id: str = Field(pattern=RULE_ID)
    name: str
    why: str | None = None
    effort: Effort | None = Field(default=None, description="raises the service's effort to this")
    signals: Signals


class Blocker(Model):
    """Something that blocks an exit outright until worked around (non-exportable material)."""

    id: str = Field(pattern=RULE_ID)
    text: str
    workaround: str | None = None
    when_feature: str | None = Field(
        default=None, description="only when this feature is detected; otherwise always"
    )
    source: SourceCite | None = None


class Rule(Model):
    """One AWS service: what it is, what replaces it, what it costs to leave, how to spot it."""

    id: str = Field(pattern=RULE_ID)
    name: str
    provider: Literal["aws"] = "aws"
    lockin_class: LockinClass = Field(alias="class")
    kb_class: str = Field(description="class as written in the knowledge base (A, B, C, mixed)")
    compat: Compat
    effort: Effort
    effort_max: Effort | None = None
    summary: str
    notes: str | None = None
    supporting: bool = Field(
        default=False,
        description="lock-in is counted through the services it serves (IAM): breadth only",
    )
    replacements: list[Replacement] = Field(min_length=1)
    features: list[Feature] = Field(default_factory=list)
    blockers: list[Blocker] = Field(default_factory=list)
    signals: Signals
    sources: list[SourceCite] = Field(min_length=1)
    last_verified: dt.date

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if self.effort_max is not None and effort_rank(self.effort_max) < effort_rank(self.effort):
            raise ValueError(f"effort_max {self.effort_max} is below effort {self.effort}")
        feature_ids = [f.id for f in self.features]
        if len(feature_ids) != len(set(feature_ids)):
            raise ValueError("duplicate feature ids")
        for blocker in self.blockers:
            if blocker.when_feature and blocker.when_feature not in feature_ids:
                raise ValueError(f"blocker {blocker.id}: unknown feature {blocker.when_feature!r}")
        return self


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very-high"


LEVELS = [Level.LOW, Level.MEDIUM, Level.HIGH, Level.VERY_HIGH]


def level_for(score: float, thresholds: dict[Level, int]) -> str:
    """The highest level whose lowest score ``score`` reaches."""
    level = LEVELS[0]
    for candidate in LEVELS:
        if score >= thresholds[candidate]:
            level = candidate
    return level.value


class ScoringModel(Model):
    """Weights of the lock-in score, with the reasoning behind each (``seeds/lockin/scoring.yaml``).

    A service's points = class points + feature points (capped) + blocker points; its risk is
    points / max_points * 100. A workload's score is the largest risk plus a small, capped breadth
    bonus for the other services: adding services never lowers it, so one proprietary dependency
    is never averaged away.
    """

    as_of: dt.date
    class_points: dict[LockinClass, int]
    feature_points: int = Field(ge=0)
    feature_cap: int = Field(ge=0)
    blocker_points: int = Field(ge=0)
    unclassified_class: LockinClass
    breadth_weight: float = Field(ge=0, le=1, description="points added per point of other risk")
    breadth_cap: int = Field(ge=0, le=100, description="most points breadth can add")
    levels: dict[Level, int] = Field(description="lowest score of each level")
    effort_points: dict[str, int] = Field(description="MTA story points per effort class")
    effort_weight: dict[str, float] = Field(
        default_factory=dict,
        description="risk multiplier per effort class (1 if absent): an easy exit is less lock-in",
    )
    effort_labels: dict[str, float] = Field(
        description="lowest story-point total for each overall effort label"
    )
    ignore_types: list[str] = Field(
        default_factory=list,
        description="IaC types that name no service (provider plumbing such as aws_region)",
    )
    rationale: list[str] = Field(min_length=1)
    sources: list[SourceCite] = Field(min_length=1)

    @property
    def max_points(self) -> int:
        return max(self.class_points.values()) + self.feature_cap + self.blocker_points

    @model_validator(mode="after")
    def _complete(self) -> ScoringModel:
        missing = [c for c in LockinClass if c not in self.class_points]
        if missing:
            raise ValueError(f"class_points lacks {missing}")
        if set(self.levels) != set(LEVELS) or self.levels[Level.LOW] != 0:
            raise ValueError("levels needs low (0), medium, high and very-high")
        if set(self.effort_points) != set(EFFORTS):
            raise ValueError("effort_points needs S, M, L and XL")
        return self
