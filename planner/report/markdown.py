"""Render the report as Markdown (GitHub-flavoured tables, no charts) for pull requests and wikis.

Same sections and figures as the HTML page; charts become tables. Pure.
"""

from __future__ import annotations

from typing import Any

from planner.report.model import HeatMap, ReportData, Table, duration


def _cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def table(t: Table | None) -> list[str]:
    if t is None or not t.rows:
        return ["_None._", ""]
    align = ["---:" if t.is_numeric(i) else "---" for i in range(len(t.columns))]
    out = ["| " + " | ".join(_cell(c) for c in t.columns) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in t.rows]
    if t.caption:
        out += ["", f"_{_cell(t.caption)}_"]
    return [*out, ""]


def _heat_table(heat: HeatMap) -> Table:
    return Table(
        ("workload", *heat.columns),
        [(w, *(str(n) for n in row)) for w, row in zip(heat.rows, heat.counts, strict=True)],
        (False, *(True for _ in heat.columns)),
    )


def _paragraphs(lines: list[str]) -> list[str]:
    return [x for line in lines for x in (line, "")]


def render_markdown(r: ReportData, meta: dict[str, Any]) -> str:
    """The whole report as Markdown text."""
    v = r.verdict
    out = [f"# {r.title}", "", r.subtitle, "", f"## Verdict: {v.headline}", ""]
    out += table(
        Table(("figure", "value", "note"), [(f.label, f.value, f.note) for f in v.figures])
    )
    out += [f"- {line}" for line in v.lines] + [""]
    out += _paragraphs([f"_{n}_" for n in r.notes])
    out += ["## What would meet the deadline", "", *_paragraphs(r.suggestion_lines)]
    if r.suggestions:
        out += table(r.suggestions)
    s = r.schedule
    out += ["## Transfer schedule", "", *_paragraphs(s.lines)]
    if s.waves_table:
        out += ["### Waves", "", *table(s.waves_table)]
    out += ["### Critical hosts", ""]
    out += table(
        Table(
            ("host", "start", "end", "duration", "limited by"),
            [
                (
                    b.label,
                    duration(b.start_seconds),
                    duration(b.end_seconds),
                    duration(b.end_seconds - b.start_seconds),
                    b.group,
                )
                for b in sorted(s.bars, key=lambda b: (-b.end_seconds, b.label))
            ],
            (False, True, True, True, False),
        )
    )
    if s.hidden_hosts:
        out += [
            f"The full schedule of all {len(s.full_table.rows)} hosts is in the HTML report "
            "and the plan JSON.",
            "",
        ]
    out += [
        "## Where the time goes",
        "",
        *_paragraphs(r.breakdown.lines),
        *table(r.breakdown.table),
    ]
    out += ["## Data by role and the largest hosts", "", *_paragraphs(r.data.lines)]
    if r.data.roles_table:
        out += table(r.data.roles_table)
    out += ["### Largest hosts", "", *table(r.data.largest)]
    out += ["## Cutover", "", *_paragraphs(r.cutover.lines)]
    if r.cutover.rounds_table:
        out += table(r.cutover.rounds_table)
    if r.cutover.not_converging:
        out += ["### Hosts whose pre-copy does not converge", "", *table(r.cutover.not_converging)]
    out += ["## Capacity at the target", ""]
    if r.capacity:
        out += [*_paragraphs(r.capacity.lines), *table(r.capacity.offerings)]
        out += [f"- {b}" for b in r.capacity.blockers] + ([""] if r.capacity.blockers else [])
    else:
        out += ["_The plan has no capacity section (run `exitplan plan --target PROVIDER`)._", ""]
    out += ["## Lock-in", ""]
    if r.lockin:
        out += _paragraphs(r.lockin.lines)
        if r.lockin.heat:
            out += [
                "### Services per workload and lock-in class",
                "",
                *table(_heat_table(r.lockin.heat)),
            ]
            if r.lockin.heat.hidden_rows:
                out += [
                    f"{r.lockin.heat.hidden_rows} less locked-in workloads are not shown "
                    "here; all are in the workload table.",
                    "",
                ]
        out += ["### Services, replacements and effort", "", *table(r.lockin.services)]
        if r.lockin.workloads:
            out += ["### Workloads", "", *table(r.lockin.workloads)]
        if r.lockin.suppliers:
            out += ["### Outside suppliers", "", *table(r.lockin.suppliers)]
    else:
        out += ["_No lock-in audit was given (run `exitplan audit` and pass `--audit`)._", ""]
    out += ["## Blockers", "", *table(r.blockers)]
    out += ["## Assumptions and sources", "", *table(r.assumptions)]
    e = r.exit_plan
    out += ["## Exit plan (DRAFT)", "", "> **DRAFT**: to be completed by the team.", ""]
    out += _paragraphs(e.lines)
    out += ["### Elements regulators ask for", "", *table(e.elements)]
    out += ["### Timeline checks", "", *table(e.timeline)]
    out += ["### Scenarios and triggers", "", *table(e.scenarios)]
    out += ["### Data retrieval", "", *table(e.data)]
    if e.suppliers:
        out += ["### Outside suppliers to replace", "", *table(e.suppliers)]
    out += ["### Roles and success criteria", "", *table(e.roles)]
    out += ["### Testing and review", "", *(f"- [ ] {t}" for t in e.testing), ""]
    out += ["### Sources", "", *(f"- {src}" for src in e.sources), ""]
    stamp = f", generated {meta['generated_at']}" if meta.get("generated_at") else ""
    out += ["---", "", f"_{meta['generator']}{stamp}._", ""]
    return "\n".join(out)
