"""Light read-only views of the plan JSON document, as the report needs them (the audit's are in
:mod:`planner.report.audit_views`).

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

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

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


def opt_text(value: object) -> object:
    return None if value is None else as_text(value)


def _text_list(value: object) -> object:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


Text = Annotated[str, BeforeValidator(opt_text)]
TextList = Annotated[list[Text], BeforeValidator(_text_list)]


def pick(value: object, keys: tuple[str, ...]) -> object:
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
    total_bytes: float | None = Field(ge=0)
    unknown_size: TextList = Field(default_factory=list)


class DeadlineView(View):
    """The plan's verdict. ``completion_seconds`` is its end-to-end time to exit (provisioning,
    bulk copy, pre-copy rounds); ``margin_seconds`` = ``seconds`` - that time, so a positive
    margin with ``meets: false`` means the time fits but something else fails (``reasons``)."""

    seconds: float | None
    meets: bool | None
    margin_seconds: float | None
    time_fits: bool | None = None
    completion_seconds: float | None = None
    provisioning_seconds: float | None = None
    reasons: TextList = Field(default_factory=list)
    not_time_reasons: TextList = Field(default_factory=list)
    """``reasons`` without the ``late`` one (the time, which the headline already states)."""

    @model_validator(mode="before")
    @classmethod
    def _split_reasons(cls, doc: object) -> object:
        if not isinstance(doc, dict) or "not_time_reasons" in doc:
            return doc
        reasons = doc.get("reasons")
        if not isinstance(reasons, list):
            return doc
        others = [r for r in reasons if not (isinstance(r, dict) and r.get("kind") == "late")]
        return {**doc, "not_time_reasons": others}


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


def _host_record(value: object) -> object:
    return {"id": value} if isinstance(value, str) else value


class StuckHostView(View):
    """A host whose pre-copy rounds do not shrink to a short final round, and why."""

    id: Text
    reason: Text | None = None
    downtime_seconds: float | None = None


StuckHost = Annotated[StuckHostView, BeforeValidator(_host_record)]


class CutoverView(View):
    downtime_seconds: float | None
    rounds: int | list[RoundView] | None
    converges: bool | None
    completion_seconds: float | None = None
    critical_id: Text | None = None
    not_converging: list[StuckHost] = Field(
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
    role: Text | None = None


class CapacityBlockerView(View):
    """A capacity finding; a plain string (or one without severity) counts as a blocker."""

    text: str
    severity: str = "blocker"
    kind: str | None = None
    suggestion: str | None = None


def _capacity_blocker(value: object) -> object:
    if isinstance(value, dict):
        return {
            "text": as_text({k: v for k, v in value.items() if k not in ("kind", "severity")}),
            "severity": as_text(value.get("severity")) or "blocker",
            "kind": opt_text(value.get("kind")),
            "suggestion": opt_text(value.get("suggestion")),
        }
    return {"text": as_text(value)}


class UnplacedView(View):
    id: Text = Field(validation_alias=AliasChoices("id", "source_id", "server"))
    reason: Text | None = None


class CapacityView(View):
    provider: Text | None = Field(default=None, validation_alias=AliasChoices("provider", "target"))
    servers: list[CapacityServerView] = Field(default_factory=list)
    provisioning_seconds: float | None = None
    blockers: list[Annotated[CapacityBlockerView, BeforeValidator(_capacity_blocker)]] = Field(
        default_factory=list
    )
    unplaced: list[UnplacedView] = Field(default_factory=list)


class Suggestion(View):
    text: str
    seconds: float | None = None
    meets: bool | None = None


def _suggestion(value: object) -> object:
    if isinstance(value, dict):
        seconds = pick(
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
            "meets": pick(value, ("meets", "meets_deadline")),
        }
    return {"text": as_text(value)}


class AssumptionView(View):
    name: Text
    value: Text | None
    source: Text | None


class ConfidenceView(View):
    level: Text | None = None
    measured_bytes_fraction: float | None = None
    notes: TextList = Field(default_factory=list)


def _roles_from_capacity(doc: object) -> object:
    """Older plans carry no ``role`` per host; ``capacity.servers[]`` may have it."""
    if not isinstance(doc, dict):
        return doc
    transfer, capacity = doc.get("transfer"), doc.get("capacity")
    if not isinstance(transfer, dict) or not isinstance(capacity, dict):
        return doc
    hosts, servers = transfer.get("hosts"), capacity.get("servers")
    if not isinstance(hosts, list) or not isinstance(servers, list):
        return doc
    if any(isinstance(h, dict) and h.get("role") for h in hosts):
        return doc
    roles = {
        s.get("id", s.get("source_id")): s["role"]
        for s in servers
        if isinstance(s, dict) and s.get("role")
    }
    if not roles:
        return doc
    filled = [
        {**h, "role": roles[h["id"]]} if isinstance(h, dict) and h.get("id") in roles else h
        for h in hosts
    ]
    return {**doc, "transfer": {**transfer, "hosts": filled}}


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
    confidence: ConfidenceView | None = None
    warnings: TextList = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _fill_roles(cls, doc: object) -> object:
        return _roles_from_capacity(doc)


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
        or part in {"RoundView", "Suggestion", "BlockerView", "CapacityBlockerView"}
    )
