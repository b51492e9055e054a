"""What an import or export produced, and what it could not use.

A :class:`RowProblem` is one row (or one value) that did not make it into the result. It renders
as ``file:line: column: problem``. ``skipped`` tells a dropped row from a dropped value: the
rest of the row was still imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.models import Inventory


@dataclass(frozen=True)
class RowProblem:
    """One row or value an importer or exporter could not use, and why."""

    line: int | None
    column: str
    message: str
    skipped: bool = False
    file: str | None = None  # when the problem is in another file than the main input

    def render(self, source: str) -> str:
        name = self.file or source
        where = f"{name}:{self.line}" if self.line else name
        suffix = " (row skipped)" if self.skipped else " (value ignored)"
        return f"{where}: {self.column}: {self.message}{suffix}"


@dataclass
class ImportResult:
    """The imported inventory, the problems found on the way and informational notes."""

    source: str
    format: str
    inventory: Inventory
    records: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def skipped_rows(self) -> int:
        return sum(1 for p in self.problems if p.skipped)

    @property
    def exit_code(self) -> int:
        """0 if everything was used, 1 if any row or value was skipped."""
        return 1 if self.problems else 0

    def rendered_problems(self) -> list[str]:
        return [p.render(self.source) for p in self.problems]

    def summary(self) -> str:
        inv = self.inventory
        evidence = len(inv.lockin) + sum(len(d.lockin) for d in inv.data_stores)
        parts = [f"{len(inv.servers)} servers", f"{len(inv.data_stores)} data stores"]
        if evidence:
            parts.append(f"{evidence} lock-in signals")
        text = f"imported {', '.join(parts)} from {self.source} ({self.format})"
        skipped = self.skipped_rows
        ignored = len(self.problems) - skipped
        if skipped or ignored:
            text += f"; {skipped} rows skipped, {ignored} values ignored"
        return text


@dataclass
class ExportResult:
    """Exported text plus what the target format could not hold."""

    format: str
    text: str
    records: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0
