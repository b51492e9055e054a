"""The supplier part of the audit's human-readable output: verdict clause, table, Markdown.

Suppliers are listed riskiest first with their function, replacement-time class, whether they are
a single point of failure, alternatives and evidence; unclassified outside endpoints come with
what they seem to be (from their port or DNS record type). Long lists are cut with a count.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from planner.models.audit import AuditReport, SupplierResult

EVIDENCE_SHOWN = 5
TABLE_ROWS = 40


def _dimension(report: AuditReport, dim_id: str) -> tuple[str, int] | None:
    for d in report.dimensions:
        if d.id == dim_id:
            return d.level, d.score
    return None


def supplier_clause(report: AuditReport) -> str | None:
    """``suppliers high (71/100): 9 outside suppliers, 4 single points (stripe, ...), ...``."""
    dim = _dimension(report, "suppliers")
    if dim is None:
        return None
    classified = [s for s in report.suppliers if s.classified]
    single = [s.supplier for s in classified if s.single_point]
    unknown = len(report.suppliers) - len(classified)
    text = f"suppliers {dim[0]} ({dim[1]}/100): {len(classified)} outside suppliers"
    text += f", {len(single)} single point{'s' if len(single) != 1 else ''} of failure"
    if single:
        text += f" ({', '.join(single[:5])}{', ...' if len(single) > 5 else ''})"
    with_cloud = [s.supplier for s in classified if s.with_cloud]
    if with_cloud:
        text += f", {len(with_cloud)} run by the cloud provider itself"
    if unknown:
        text += f", {unknown} unclassified outside endpoint{'s' if unknown != 1 else ''}"
    return text


def evidence_lines(s: SupplierResult, limit: int = EVIDENCE_SHOWN) -> list[str]:
    lines = []
    for ev in s.evidence[:limit]:
        where = f"{ev.path}:{ev.line}" if ev.path and ev.line else (ev.path or "(inventory)")
        on = f" ({ev.detail})" if ev.detail and ev.origin.startswith("inventory") else ""
        lines.append(f"{where} {ev.signal}{on}")
    if len(s.evidence) > limit:
        lines.append(f"... and {len(s.evidence) - limit} more")
    return lines


def _single(s: SupplierResult) -> str:
    if not s.classified:
        return "unclassified"
    if s.single_point:
        return "yes"
    return "no (also " + ", ".join(s.also_seen) + ")"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def supplier_markdown(report: AuditReport) -> list[str]:
    if report.supplier_explain is None:
        return []
    out = ["## Outside suppliers", ""]
    if not report.suppliers:
        return [*out, "No outside supplier found in the inputs.", ""]
    out += [
        "Every outside party the inputs show the fleet depending on, and how long replacing it "
        "takes if it drops the customer (as the SMS provider, the DNS/CDN companies and the app "
        "stores did within days in January 2021).",
        "",
        "| supplier | function | replacement | single point | risk | alternatives |",
        "|---|---|---|---|---:|---|",
    ]
    for s in report.suppliers:
        cloud = f" (run by {s.with_cloud})" if s.with_cloud else ""
        out.append(
            f"| {_md(s.name)}{cloud} | {_md(s.function)} | {s.replacement} ({s.replacement_time}) "
            f"| {_md(_single(s))} | {s.risk} | {_md('; '.join(s.alternatives[:3]))} |"
        )
    out += ["", "### Supplier evidence", ""]
    for s in report.suppliers:
        out += [f"#### {s.supplier} - {s.name}", ""]
        out += [f"- `{_md(line)}`" for line in evidence_lines(s, 10)]
        out.append("")
    return out


def supplier_score_lines(report: AuditReport) -> list[str]:
    explain = report.supplier_explain
    if explain is None:
        return []
    out = ["", f"Single points of supplier failure: {explain.formula}", ""]
    for line in explain.lines:
        out.append(
            f"- {line.supplier}: {line.points}/{line.max_points} = risk {line.risk} "
            f"({'; '.join(line.reasons)})"
        )
    return out


def supplier_table(report: AuditReport) -> Table | None:
    if not report.suppliers:
        return None
    table = Table(title="Outside suppliers", show_lines=True)
    for col in ("supplier", "function", "replacement", "single point", "risk", "evidence"):
        table.add_column(col, overflow="fold")
    for s in report.suppliers[:TABLE_ROWS]:
        table.add_row(
            s.supplier + (f"\n(run by {s.with_cloud})" if s.with_cloud else ""),
            s.function,
            f"{s.replacement} ({s.replacement_time})",
            _single(s),
            str(s.risk),
            Text("\n".join(evidence_lines(s, 3))),
        )
    if len(report.suppliers) > TABLE_ROWS:
        table.caption = f"{len(report.suppliers) - TABLE_ROWS} more in --format json or markdown"
    return table
