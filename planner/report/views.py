"""Light read-only views of the plan and audit JSON documents, as the report needs them.

The report reads other commands' output, and those commands grow. These views take the keys of
the output contracts in ``PRODUCT.md`` (``--format json`` of ``exitplan plan`` and ``exitplan
audit``) and ignore everything else, so a producer can add keys without breaking the report.
Contract keys are required; values the producers may leave unknown are nullable. Optional
sections (``capacity``, ``suppliers``, waves, per-host ``role``) default to empty.

Free-form items (bottleneck, suggestions, blockers, sources, replacements) may be strings or
objects; :func:`as_text` turns either into one readable line. Pure: no I/O.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field

TEXT_KEYS = (
    "text",
    "description",
    "summary",
    "message",
    "reason",
    "detail",
    "blocker",
    "change",
    "action",
    "title",
    "name",
    "id",
)


def as_text(value: object) -> str:
    """One readable line for a string, number, list or object (picks its descriptive key)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "; ".join(t for t in (as_text(v) for v in value) if t)
    if isinstance(value, dict):
        for key in TEXT_KEYS:
            if value.get(key) not in (None, ""):
                return as_text(value[key])
        return ", ".join(f"{k}: {as_text(v)}" for k, v in value.items() if v not in (None, ""))
    return str(value)


def _text(value: object) -> object:
    return None if value is None else as_text(value)


def _text_list(value: object) -> object:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


Text = Annotated[str, BeforeValidator(_text)]
TextList = Annotated[list[Text], BeforeValidator(_text_list)]


def _pick(value: object, keys: tuple[str, ...]) -> object:
    if isinstance(value, dict):
        for key in keys:
            if value.get(key) is not None:
                return value[key]
    return None


class View(BaseModel):
    """A tolerant view: unknown keys are ignored, never an error."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


# ---------------------------------------------------------------------------------------- plan


class InventoryView(View):
    servers: Annotated[int, BeforeValidator(lambda v: len(v) if isinstance(v, list) else v)]
    total_bytes: float = Field(ge=0)


class DeadlineView(View):
    seconds: float | None
    meets: bool | None
    margin_seconds: float | None


class HostView(View):
    id: Text
    bytes: float = Field(ge=0)
    start_seconds: float = Field(ge=0)
    end_seconds: float = Field(ge=0)
    rate_bits_per_second: float | None
    limited_by: Text | None
    role: Text | None = None
    wave: Text | None = None
    converges: bool | None = None


class WaveView(View):
    id: Text = Field(validation_alias=AliasChoices("id", "wave", "name"))
    start_seconds: float | None = None
    end_seconds: float | None = None
    hosts: list[Text] = Field(default_factory=list)


class TransferView(View):
    bulk_seconds: float | None
    lower_bound_seconds: float | None
    bottleneck: Text | None
    hosts: list[HostView]
    waves: list[WaveView] = Field(default_factory=list)


class RoundView(View):
    """One pre-copy round when the planner lists them (``cutover.rounds`` may be a count)."""

    round: int | None = Field(default=None, validation_alias=AliasChoices("round", "index", "n"))
    bytes: float | None = None
    seconds: float | None = Field(
        default=None, validation_alias=AliasChoices("seconds", "duration_seconds")
    )


class CutoverView(View):
    downtime_seconds: float | None
    rounds: int | list[RoundView] | None
    converges: bool | None
    not_converging: TextList = Field(
        default_factory=list,
        validation_alias=AliasChoices(
            "not_converging", "non_converging", "hosts_not_converging", "never_converge"
        ),
    )


class CostView(View):
    egress_usd: float | None
    egress_usd_if_waived: float | None
    target_monthly_usd: float | None


class CapacityServerView(View):
    source_id: Text = Field(validation_alias=AliasChoices("source_id", "source", "id", "server"))
    offering: Text | None = Field(
        default=None, validation_alias=AliasChoices("offering", "offering_id", "target")
    )
    provider: Text | None = None
    location: Text | None = None
    monthly_usd: float | None = None


class CapacityView(View):
    provider: Text | None = None
    servers: list[CapacityServerView] = Field(default_factory=list)
    provisioning_seconds: float | None = None
    blockers: TextList = Field(default_factory=list)


class Suggestion(View):
    text: str
    seconds: float | None = None
    meets: bool | None = None


def _suggestion(value: object) -> object:
    if isinstance(value, dict):
        seconds = _pick(
            value,
            (
                "resulting_completion_seconds",
                "resulting_seconds",
                "resulting_bulk_seconds",
                "bulk_seconds",
                "total_seconds",
                "seconds",
            ),
        )
        return {
            "text": as_text(value),
            "seconds": seconds,
            "meets": _pick(value, ("meets", "meets_deadline")),
        }
    return {"text": as_text(value)}


class AssumptionView(View):
    name: Text
    value: Text | None
    source: Text | None


class PlanView(View):
    schema_version: Literal[1]
    inventory: InventoryView
    deadline: DeadlineView | None
    transfer: TransferView
    cutover: CutoverView
    cost: CostView
    capacity: CapacityView | None = None
    suggestions: list[Annotated[Suggestion, BeforeValidator(_suggestion)]] = Field(
        default_factory=list
    )
    assumptions: list[AssumptionView]


# --------------------------------------------------------------------------------------- audit

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
    return [_pick(v, ("service", "id")) if isinstance(v, dict) else v for v in value]


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
            "service": _text(_pick(value, ("service",))),
            "workaround": _text(_pick(value, ("workaround", "mitigation", "fix"))),
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


class AuditView(View):
    schema_version: Literal[1]
    score: float = Field(ge=0, le=100)
    level: Text
    services: list[ServiceView]
    blockers: list[Annotated[BlockerView, BeforeValidator(_blocker)]]
    workloads: list[WorkloadView]
    suppliers: list[SupplierView] = Field(default_factory=list)


Problem = tuple[tuple[str | int, ...], str]


def problems_of(errors: list[Any], limit: int = 12) -> list[Problem]:
    """Turn pydantic error dicts into unique ``(location, message)`` pairs, at most ``limit``."""
    out: list[Problem] = []
    for error in errors:
        loc = tuple(p for p in error["loc"] if not _is_union_tag(p))
        if error["type"] == "missing":
            message = "missing (required by the output contract)"
        elif loc == ("schema_version",):
            message = f"unsupported schema_version {error.get('input')!r} (the report reads 1)"
        else:
            message = str(error["msg"])
        if (loc, message) not in out:
            out.append((loc, message))
    return out[:limit]


def _is_union_tag(part: object) -> bool:
    """Pydantic puts union member and validator names into ``loc``; they mean nothing to users."""
    return isinstance(part, str) and (
        part.startswith(("function-", "list[", "int", "bool", "float", "str", "literal["))
        or part in {"RoundView", "Suggestion", "BlockerView"}
    )
