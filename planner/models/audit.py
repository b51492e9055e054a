"""The lock-in audit's output (``exitplan audit --format json``), per the PRODUCT.md contract.

``score`` is 0-100, higher = more locked in; ``level`` is ``low|medium|high|very-high``.
``services[]`` lists each AWS service found with its class, replacements, effort and evidence
(``path``, ``line``, ``signal``); ``blockers[]`` lists what stops an exit outright;
``workloads[]`` scores each workload (server role, IaC project/stack, code tree, account).
``explain[]`` says where every point of the lock-in score comes from.

``suppliers[]`` lists every outside party the fleet depends on (DNS, CDN, e-mail, SMS, payments,
app stores, ...) with its function, evidence, alternatives and replacement-time class; unknown
outside endpoints are listed as unclassified suppliers. ``dimensions[]`` holds the score of each
dimension (lock-in; single points of supplier failure); the top-level ``score`` is the highest.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from planner.models.base import Model


class EvidenceItem(Model):
    """One place where a signal matched."""

    path: str | None = None
    line: int | None = Field(default=None, ge=1)
    signal: str
    origin: str = Field(
        description="terraform, cloudformation, serverless, amplify, code, text, inventory"
    )
    workload: str
    detail: str | None = None
    feature: str | None = None


class FeatureHit(Model):
    id: str
    name: str
    workloads: list[str]
    evidence_count: int


class BlockerHit(Model):
    service: str
    id: str
    text: str
    workaround: str | None = None
    workloads: list[str]
    source: str | None = None


class ScoreLine(Model):
    """One line of a score's explanation: a service's contribution."""

    service: str
    lockin_class: str = Field(alias="class")
    class_points: int
    feature_points: int
    blocker_points: int
    points: int
    max_points: int
    effort_weight: float = Field(default=1.0, description="risk multiplier of the exit effort")
    risk: int = Field(description="points / max_points * 100 * effort_weight")
    reasons: list[str]


class ScoreExplanation(Model):
    formula: str
    max_risk: int
    mean_risk: float
    lines: list[ScoreLine]


class ServiceResult(Model):
    service: str
    name: str
    lockin_class: Literal["portable", "compatible", "proprietary"] = Field(alias="class")
    classified: bool = Field(description="false when the service is not in the rule catalogue")
    compat: str | None = None
    replacements: list[str]
    effort: Literal["S", "M", "L", "XL"]
    effort_range: str
    effort_points: float
    points: int
    risk: int
    features: list[FeatureHit]
    blockers: list[str]
    workloads: list[str]
    evidence: list[EvidenceItem]
    sources: list[str]


class WorkloadResult(Model):
    id: str
    kind: Literal[
        "role", "terraform", "cloudformation", "serverless", "amplify", "code", "iac", "account"
    ]
    score: int
    level: str
    services: list[str]
    proprietary: list[str]
    blockers: list[str]
    effort_points: float
    effort: Literal["S", "M", "L", "XL"]
    explain: ScoreExplanation


class Unparsed(Model):
    """A file the audit could not read; it is reported, and the audit goes on."""

    path: str
    line: int | None = None
    signal: Literal["unparseable", "too-large", "unreadable"] = "unparseable"
    detail: str


class EffortTotal(Model):
    points: float = Field(description="MTA-style story points, breadth-weighted")
    label: Literal["S", "M", "L", "XL"]
    by_service: dict[str, float]


class SupplierResult(Model):
    """One outside supplier (or an unclassified outside endpoint) and what it serves."""

    supplier: str = Field(description="rule id, or 'unclassified:<host or address>'")
    name: str
    operator: str | None = None
    classified: bool
    category: str
    function: str
    replacement: str = Field(description="replacement-time class: hours, days, weeks, months")
    replacement_time: str = Field(description="what the class means, e.g. 'up to 1 day'")
    with_cloud: str | None = Field(
        default=None, description="operated by this cloud provider: lost with the cloud account"
    )
    single_point: bool = Field(description="the only supplier seen for its function")
    also_seen: list[str] = Field(
        default_factory=list, description="other suppliers seen for the same function"
    )
    alternatives: list[str]
    points: int
    risk: int
    workloads: list[str]
    evidence: list[EvidenceItem]
    sources: list[str]


class SupplierLine(Model):
    """One line of the supplier dimension's explanation."""

    supplier: str
    replacement_points: int
    impact_points: int
    single_point_points: int
    points: int
    max_points: int
    risk: int
    reasons: list[str]


class SupplierExplanation(Model):
    formula: str
    max_risk: int
    lines: list[SupplierLine]


class Dimension(Model):
    """One dimension of the audit score."""

    id: Literal["lock-in", "suppliers"]
    name: str
    score: int = Field(ge=0, le=100)
    level: Literal["low", "medium", "high", "very-high"]
    formula: str


class AuditReport(Model):
    schema_version: Literal[1] = 1
    score: int = Field(ge=0, le=100)
    level: Literal["low", "medium", "high", "very-high"]
    effort: EffortTotal
    services: list[ServiceResult]
    blockers: list[BlockerHit]
    workloads: list[WorkloadResult]
    explain: ScoreExplanation
    dimensions: list[Dimension] = Field(default_factory=list)
    score_formula: str | None = None
    suppliers: list[SupplierResult] = Field(default_factory=list)
    supplier_explain: SupplierExplanation | None = None
    unparsed: list[Unparsed]
    inputs: dict[str, object] = Field(default_factory=dict)
    catalog: dict[str, object] = Field(default_factory=dict)
