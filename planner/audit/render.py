"""Human-readable audit output: a rich table view, Markdown, and the JSON contract.

``--format json`` is the :class:`~planner.models.audit.AuditReport` as JSON (``schema_version``
1, keys per PRODUCT.md). Markdown and the table show the verdict, workloads, services with their
replacements and effort, blockers, the outside suppliers, the score explanation and unreadable
files; long evidence lists are cut with a count of the rest.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from planner.audit.render_suppliers import (
    supplier_clause,
    supplier_markdown,
    supplier_score_lines,
    supplier_table,
)
from planner.models.audit import AuditReport, ServiceResult

EVIDENCE_SHOWN = 5


def to_json(report: AuditReport) -> str:
    data = report.model_dump(mode="json", by_alias=True)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def verdict(report: AuditReport) -> str:
    proprietary = [s.service for s in report.services if s.lockin_class == "proprietary"]
    lockin = next((d for d in report.dimensions if d.id == "lock-in"), None)
    level, score = (lockin.level, lockin.score) if lockin else (report.level, report.score)
    head = f"Audit {report.level} ({report.score}/100). " if report.dimensions else ""
    head += (
        f"Lock-in {level} ({score}/100): {len(report.services)} AWS services, "
        f"{len(proprietary)} proprietary"
    )
    if proprietary:
        head += f" ({', '.join(proprietary[:6])}{', ...' if len(proprietary) > 6 else ''})"
    head += f"; {len(report.blockers)} exit blocker{'s' if len(report.blockers) != 1 else ''}"
    head += f"; effort about {report.effort.points:g} story points ({report.effort.label})"
    clause = supplier_clause(report)
    return head + (f"; {clause}." if clause else ".")


def _evidence_lines(service: ServiceResult, limit: int = EVIDENCE_SHOWN) -> list[str]:
    lines = []
    for ev in service.evidence[:limit]:
        where = f"{ev.path}:{ev.line}" if ev.path and ev.line else (ev.path or "(inventory)")
        feature = f" [{ev.feature}]" if ev.feature else ""
        lines.append(f"{where} {ev.signal}{feature}")
    if len(service.evidence) > limit:
        lines.append(f"... and {len(service.evidence) - limit} more")
    return lines


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(report: AuditReport) -> str:
    out = [
        "# Lock-in audit",
        "",
        f"**{verdict(report)}**",
        "",
        f"Score: {report.score_formula or report.explain.formula}.",
        "",
    ]
    if report.blockers:
        out += ["## Exit blockers", ""]
        for b in report.blockers:
            out.append(f"- **{b.service} / {b.id}** ({', '.join(b.workloads)}): {b.text}")
            if b.workaround:
                out.append(f"  - Workaround: {b.workaround}")
            if b.source:
                out.append(f"  - Source: {b.source}")
        out.append("")
    out += [
        "## Workloads",
        "",
        "| workload | score | level | proprietary | blockers | effort |",
        "|---|---:|---|---|---|---|",
    ]
    for w in report.workloads:
        out.append(
            f"| {_md_escape(w.id)} | {w.score} | {w.level} | "
            f"{', '.join(w.proprietary) or '-'} | {', '.join(w.blockers) or '-'} | "
            f"{w.effort} ({w.effort_points:g} pts) |"
        )
    out += [
        "",
        "## Services",
        "",
        "| service | class | risk | effort | replacements | features |",
        "|---|---|---:|---|---|---|",
    ]
    for s in report.services:
        feats = ", ".join(f.id for f in s.features) or "-"
        out.append(
            f"| {s.service} | {s.lockin_class}{'' if s.classified else ' (unclassified)'} "
            f"| {s.risk} | {s.effort} ({s.effort_range}) | "
            f"{_md_escape('; '.join(s.replacements[:3]))} | {feats} |"
        )
    out += ["", *supplier_markdown(report)]
    out += ["", "## Evidence", ""]
    for s in report.services:
        out.append(f"### {s.service} - {s.name}")
        out.append("")
        out += [f"- `{_md_escape(line)}`" for line in _evidence_lines(s, 10)]
        out.append("")
    out += ["## How the score is made", ""]
    if report.score_formula:
        out += [report.score_formula, ""]
    out += [f"Lock-in: {report.explain.formula}", ""]
    for line in report.explain.lines:
        out.append(
            f"- {line.service}: {line.points}/{line.max_points} = risk {line.risk} "
            f"({'; '.join(line.reasons)})"
        )
    out += supplier_score_lines(report)
    if report.unparsed:
        out += ["", "## Files not read", ""]
        out += [
            f"- {u.path}{f':{u.line}' if u.line else ''}: {u.signal}: {_md_escape(u.detail)}"
            for u in report.unparsed
        ]
    return "\n".join(out) + "\n"


def to_table(report: AuditReport, console: Console) -> None:
    style = {"low": "green", "medium": "yellow", "high": "red", "very-high": "bold red"}
    console.print(Text(verdict(report), style=style.get(report.level, "")))
    if report.score_formula:
        console.print(Text(report.score_formula, style="dim"))
    console.print(Text(f"lock-in: {report.explain.formula}", style="dim"))
    if report.supplier_explain is not None:
        console.print(Text(f"suppliers: {report.supplier_explain.formula}", style="dim"))
    workloads = Table(title="Workloads", show_lines=False)
    for col in ("workload", "score", "level", "proprietary", "blockers", "effort"):
        workloads.add_column(col, justify="right" if col == "score" else "left")
    for w in report.workloads:
        workloads.add_row(
            w.id,
            str(w.score),
            w.level,
            ", ".join(w.proprietary) or "-",
            ", ".join(w.blockers) or "-",
            f"{w.effort} ({w.effort_points:g})",
        )
    services = Table(title="Services", show_lines=True)
    for col in ("service", "class", "risk", "effort", "replacements", "evidence"):
        services.add_column(col, overflow="fold")
    for s in report.services:
        services.add_row(
            s.service + ("" if s.classified else "\n(unclassified)"),
            s.lockin_class + "".join(f"\n+{f.id}" for f in s.features),
            str(s.risk),
            f"{s.effort} ({s.effort_range})",
            "\n".join(s.replacements[:3]),
            Text("\n".join(_evidence_lines(s, 3))),
        )
    parts: list[Any] = [workloads, services]
    suppliers = supplier_table(report)
    if suppliers is not None:
        parts.append(suppliers)
    if report.blockers:
        blockers = Table(title="Exit blockers")
        for col in ("service", "blocker", "workloads"):
            blockers.add_column(col, overflow="fold")
        for b in report.blockers:
            blockers.add_row(b.service, b.text, ", ".join(b.workloads))
        parts.append(blockers)
    if report.unparsed:
        files = Table(title="Files not read")
        for col in ("file", "problem"):
            files.add_column(col, overflow="fold")
        for u in report.unparsed:
            files.add_row(f"{u.path}{f':{u.line}' if u.line else ''}", f"{u.signal}: {u.detail}")
        parts.append(files)
    console.print(Group(*parts))
