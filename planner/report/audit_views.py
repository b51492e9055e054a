"""Read-only views of the audit JSON document (``exitplan audit --format json``), as the report
needs them: services, workloads, blockers, outside suppliers and the scored dimensions.

Tolerant like :mod:`planner.report.views`: unknown keys are ignored. Pure: no I/O.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AliasChoices, BeforeValidator, Field

from planner.report.views import Text, TextList, View, as_text, opt_text, pick

LOCKIN_CLASSES = ("portable", "compatible", "proprietary")


class EvidenceView(View):
    path: Text | None = None
    line: int | None = None
    signal: Text | None = None


class ServiceView(View):
    service: Text
    lock_class: Text = Field(alias="class")
    replacements: TextList
    effort: Text | None
    evidence: list[EvidenceView]
    workloads: TextList = Field(default_factory=list)


def _workload_services(value: object) -> object:
    if not isinstance(value, list):
        return value
    return [pick(v, ("service", "id")) if isinstance(v, dict) else v for v in value]


class WorkloadView(View):
    id: Text = Field(validation_alias=AliasChoices("id", "workload", "name"))
    score: float | None = None
    level: Text | None = None
    services: Annotated[list[Text], BeforeValidator(_workload_services)] = Field(
        default_factory=list, validation_alias=AliasChoices("services", "findings")
    )


class BlockerView(View):
    text: str
    service: str | None = None
    workaround: str | None = None


def _blocker(value: object) -> object:
    if isinstance(value, dict):
        return {
            "text": as_text(value),
            "service": opt_text(pick(value, ("service",))),
            "workaround": opt_text(pick(value, ("workaround", "mitigation", "fix"))),
        }
    return {"text": as_text(value)}


class SupplierView(View):
    """An outside supplier (``exitplan audit`` writes ``suppliers[]``; hand-written lists work)."""

    name: Text = Field(validation_alias=AliasChoices("name", "id", "supplier", "host"))
    kind: Text | None = Field(
        default=None, validation_alias=AliasChoices("kind", "type", "role", "category")
    )
    function: Text | None = None
    replacement: Text | None = Field(
        default=None, validation_alias=AliasChoices("replacement", "replacements", "alternative")
    )
    replacement_time: Text | None = None
    alternatives: TextList = Field(default_factory=list)
    single_point: bool | None = None
    classified: bool = True
    with_cloud: Text | None = None
    risk: float | None = None
    evidence: list[EvidenceView] = Field(default_factory=list)


class DimensionView(View):
    """One scored dimension of the audit (``lock-in``, ``suppliers``); the overall score is
    the audit's, not lock-in's."""

    id: Text
    name: Text | None = None
    score: float | None = None
    level: Text | None = None


class AuditView(View):
    schema_version: Literal[1]
    score: float = Field(ge=0, le=100)
    level: Text
    dimensions: list[DimensionView] = Field(default_factory=list)
    services: list[ServiceView]
    blockers: list[Annotated[BlockerView, BeforeValidator(_blocker)]]
    workloads: list[WorkloadView]
    suppliers: list[SupplierView] = Field(default_factory=list)
