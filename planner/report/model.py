"""The report's own data: what each section shows, ready for the HTML and Markdown renderers.

Tables hold display strings (both renderers print them as they are); chart inputs hold numbers
(the charts module draws them). Built by :mod:`planner.report.prepare` and friends. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from planner.units import format_duration

Tone = Literal["good", "bad", "warn", "neutral"]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    numeric: tuple[bool, ...] = ()
    caption: str = ""

    def is_numeric(self, index: int) -> bool:
        return index < len(self.numeric) and self.numeric[index]


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    note: str = ""
    tone: Tone = "neutral"


@dataclass(frozen=True)
class Verdict:
    headline: str
    tone: Tone
    lines: list[str]
    figures: list[KeyFigure]


@dataclass(frozen=True)
class Bar:
    """One host (or wave) on the Gantt chart."""

    label: str
    start_seconds: float
    end_seconds: float
    group: str
    bytes: float = 0.0


@dataclass(frozen=True)
class Span:
    start_seconds: float
    end_seconds: float
    bytes: float


@dataclass
class Schedule:
    bars: list[Bar]
    hidden_hosts: int
    deadline_seconds: float | None
    bulk_seconds: float | None
    lower_bound_seconds: float | None
    spans: list[Span]
    waves: list[Bar]
    lines: list[str]
    full_table: Table
    waves_table: Table | None = None


@dataclass(frozen=True)
class Share:
    """A named quantity for bar charts (bytes and hosts by bottleneck, by role, ...)."""

    name: str
    bytes: float
    hosts: int
    host_seconds: float = 0.0


@dataclass
class Breakdown:
    shares: list[Share]
    table: Table
    lines: list[str]


@dataclass
class DataByRole:
    roles: list[Share] | None
    roles_table: Table | None
    largest: Table
    lines: list[str]


@dataclass
class Cutover:
    lines: list[str]
    rounds: list[tuple[str, float, float | None]]  # label, seconds, bytes
    rounds_table: Table | None
    not_converging: Table | None


@dataclass
class Capacity:
    lines: list[str]
    offerings: Table
    blockers: list[str]


@dataclass
class HeatMap:
    rows: list[str]
    columns: list[str]
    counts: list[list[int]]
    hidden_rows: int = 0


@dataclass
class Lockin:
    lines: list[str]
    heat: HeatMap | None
    services: Table
    workloads: Table | None
    suppliers: Table | None


@dataclass
class ExitPlan:
    lines: list[str]
    elements: Table
    timeline: Table
    scenarios: Table
    roles: Table
    data: Table
    testing: list[str]
    sources: list[str]
    suppliers: Table | None = None


@dataclass
class ReportData:
    title: str
    subtitle: str
    verdict: Verdict
    schedule: Schedule
    breakdown: Breakdown
    data: DataByRole
    cutover: Cutover
    capacity: Capacity | None
    lockin: Lockin | None
    blockers: Table
    assumptions: Table
    suggestions: Table | None
    suggestion_lines: list[str]
    exit_plan: ExitPlan
    notes: list[str] = field(default_factory=list)


def money(usd: float | None) -> str:
    """``$12,345`` (whole dollars), ``$0.42`` below one dollar, ``unknown`` for None."""
    if usd is None:
        return "unknown"
    return f"${usd:,.2f}" if 0 < abs(usd) < 1 else f"${usd:,.0f}"


def duration(seconds: float | None) -> str:
    """:func:`planner.units.format_duration` (the terminal's formatter), ``unknown`` for None."""
    if seconds is None:
        return "unknown"
    return format_duration(seconds)


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole > 0 else "–"


def hosts(count: int) -> str:
    """``1 host``, ``2 hosts``."""
    return f"{count} host" if count == 1 else f"{count} hosts"
