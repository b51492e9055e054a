"""Turn an audit view into the lock-in section: heat map (workload × class), services, suppliers.

Workloads name their services (``workloads[].services``) or services name their workloads
(``services[].workloads``); either way works. Pure.
"""

from __future__ import annotations

from collections import defaultdict

from planner.report.audit_views import LOCKIN_CLASSES, AuditView, EvidenceView, SupplierView
from planner.report.model import HeatMap, Lockin, Table
from planner.report.story import (
    audit_text,
    dimension,
    plural,
    score_text,
    single_points,
    suppliers_text,
)

HEAT_ROWS = 30
EVIDENCE_SHOWN = 2
CLASS_RANK = {name: rank for rank, name in enumerate(reversed(LOCKIN_CLASSES))}


def _evidence(items: list[EvidenceView]) -> str:
    shown = []
    for item in items[:EVIDENCE_SHOWN]:
        where = f"{item.path}:{item.line}" if item.path and item.line else item.path or ""
        shown.append(
            f"{where} ({item.signal})" if item.signal and where else where or item.signal or ""
        )
    more = len(items) - len(shown)
    return "; ".join(s for s in shown if s) + (f"; +{more} more" if more > 0 else "")


def workload_services(audit: AuditView) -> dict[str, list[str]]:
    """Workload id -> service ids, from either side of the relation, in audit order."""
    mapping: dict[str, list[str]] = {w.id: list(dict.fromkeys(w.services)) for w in audit.workloads}
    for service in audit.services:
        for workload in service.workloads:
            ids = mapping.setdefault(workload, [])
            if service.service not in ids:
                ids.append(service.service)
    return mapping


def heat_map(audit: AuditView, max_rows: int = HEAT_ROWS) -> HeatMap | None:
    """Count of services per workload and lock-in class; the most locked-in workloads first."""
    classes = {s.service: s.lock_class for s in audit.services}
    mapping = workload_services(audit)
    if not mapping:
        return None
    columns = list(LOCKIN_CLASSES) + sorted(
        {c for c in classes.values() if c not in LOCKIN_CLASSES}
    )
    if any(s not in classes for ids in mapping.values() for s in ids):
        columns.append("unclassified")
    counts: dict[str, list[int]] = {}
    for workload, ids in mapping.items():
        row = [0] * len(columns)
        for service in ids:
            row[columns.index(classes.get(service, "unclassified"))] += 1
        counts[workload] = row
    score = {w.id: w.score for w in audit.workloads}
    order = sorted(
        counts,
        key=lambda w: (tuple(-n for n in reversed(counts[w][:3])), -(score.get(w) or 0), w),
    )
    shown = order[:max_rows]
    return HeatMap(shown, columns, [counts[w] for w in shown], len(order) - len(shown))


def lockin(audit: AuditView) -> Lockin:
    mapping = workload_services(audit)
    used_by: dict[str, list[str]] = defaultdict(list)
    for workload, ids in mapping.items():
        for service in ids:
            used_by[service].append(workload)
    services = sorted(
        audit.services, key=lambda s: (CLASS_RANK.get(s.lock_class, len(CLASS_RANK)), s.service)
    )
    table = Table(
        ("service", "class", "replacements", "effort", "workloads", "evidence"),
        [
            (
                s.service,
                s.lock_class,
                ", ".join(s.replacements) or "–",
                s.effort or "unknown",
                str(len(used_by.get(s.service, []))),
                _evidence(s.evidence),
            )
            for s in services
        ],
        (False, False, False, False, True, False),
    )
    by_class: dict[str, int] = defaultdict(int)
    for found in audit.services:
        by_class[found.lock_class] += 1
    lock = dimension(audit, "lock-in")
    lines = [
        (
            f"Lock-in {score_text(lock.score, lock.level)}: "
            if lock is not None
            else f"Audit {score_text(audit.score, audit.level)} (no separate lock-in score): "
        )
        + ", ".join(f"{by_class[c]} {c}" for c in LOCKIN_CLASSES)
        + f" services across {len(mapping)} workloads; {plural(len(audit.blockers), 'blocker')}."
    ]
    if audit.dimensions:
        lines.append(
            f"Overall {audit_text(audit)}. The overall score combines the dimensions; it is not "
            "a lock-in score."
        )
    workloads = None
    if audit.workloads:
        workloads = Table(
            ("workload", "score", "level", "services"),
            [
                (
                    w.id,
                    f"{w.score:.0f}" if w.score is not None else "",
                    w.level or "",
                    ", ".join(mapping.get(w.id, [])),
                )
                for w in sorted(audit.workloads, key=lambda w: (-(w.score or 0), w.id))
            ],
            (False, True, False, False),
        )
    suppliers = supplier_table(audit) if audit.suppliers else None
    if audit.suppliers:
        lines.append(supplier_line(audit))
    return Lockin(lines, heat_map(audit), table, workloads, suppliers)


def _single(s: SupplierView) -> str:
    if not s.classified:
        return "unclassified"
    return {True: "yes", False: "no", None: ""}[s.single_point]


def supplier_line(audit: AuditView) -> str:
    """One sentence on the outside suppliers: how many (classified and not, counted apart as
    everywhere in the report), how many single points of failure, the suppliers score."""
    found = [s for s in audit.suppliers if s.classified]
    single = single_points(audit)
    text = f"The audit's outside suppliers: {suppliers_text(audit)}"
    if any(s.single_point is not None for s in found):
        text += f"; {len(single)} of the suppliers are single points of failure"
        text += f" ({', '.join(single[:4])}{', ...' if len(single) > 4 else ''})" if single else ""
    dim = dimension(audit, "suppliers")
    if dim is not None:
        text += f"; suppliers score {score_text(dim.score, dim.level)}"
    return text + "."


def supplier_table(audit: AuditView) -> Table:
    return Table(
        ("supplier", "function", "replacement", "single point", "alternatives", "evidence"),
        [
            (
                s.name + (f" (run by {s.with_cloud})" if s.with_cloud else ""),
                s.function or s.kind or "",
                " ".join(
                    x
                    for x in (
                        s.replacement,
                        f"({s.replacement_time})" if s.replacement_time else "",
                    )
                    if x
                ),
                _single(s),
                "; ".join(s.alternatives[:2]),
                _evidence(s.evidence),
            )
            for s in audit.suppliers
        ],
    )
