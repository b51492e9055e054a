"""Score the supplier hits: single points of supplier failure, every point explained.

A supplier's points = replacement-class points (hours 1, days 2, weeks 3, months 4) + the impact
of its function (outage 2, degraded 1, blind 0) + 1 when it is the only supplier seen for that
function; risk = points / max points x 100. The dimension score is the largest risk plus a small
capped breadth bonus for the others, as the lock-in score is made. The audit's overall score is
the higher of the two dimensions. Weights come from ``seeds/suppliers/_vocabulary.yaml``. Pure.
"""

from __future__ import annotations

from collections import defaultdict

from planner.models.audit import (
    AuditReport,
    Dimension,
    EvidenceItem,
    SupplierExplanation,
    SupplierLine,
    SupplierResult,
    Unparsed,
)
from planner.models.lockin import level_for
from planner.suppliers.catalog import SupplierCatalog
from planner.suppliers.match import UNCLASSIFIED, Matches, SupplierHit

LOCKIN_NAME = "lock-in (proprietary cloud services)"
SUPPLIER_NAME = "single points of supplier failure"


def _level(score: float, cat: SupplierCatalog) -> str:
    return level_for(score, cat.vocabulary.levels)


def _evidence(hits: list[SupplierHit]) -> list[EvidenceItem]:
    seen: dict[tuple[object, ...], EvidenceItem] = {}
    for h in hits:
        key = (h.path, h.line, h.signal, h.workload, h.detail)
        seen.setdefault(
            key,
            EvidenceItem(
                path=h.path,
                line=h.line,
                signal=h.signal,
                origin=h.origin,
                workload=h.workload,
                detail=h.detail,
            ),
        )
    return sorted(
        seen.values(), key=lambda e: (e.path or "", e.line or 0, e.signal, e.detail or "")
    )


def _category(cat: SupplierCatalog, supplier: str) -> str:
    rule = cat.rules.get(supplier)
    return rule.category if rule else "unclassified"


def _line(cat: SupplierCatalog, supplier: str, others: list[str], m: Matches) -> SupplierLine:
    v = cat.vocabulary
    rule = cat.rules.get(supplier)
    if rule is None:
        replacement = v.unclassified_replacement
        category = v.unclassified
        single = 0
    else:
        replacement = rule.replacement
        category = v.categories[rule.category]
        single = v.single_point_points if not others else 0
    rclass = v.replacement_classes[replacement]
    impact = v.impacts[category.impact]
    points = rclass.points + impact.points + single
    reasons = [f"replacement {replacement} ({rclass.time}): {rclass.points}"]
    reasons.append(f"function {category.name}, impact {category.impact}: +{impact.points}")
    if rule is None:
        found = m.unknown.get(supplier)
        seen_as = f" ({', '.join(found.functions)})" if found and found.functions else ""
        reasons.append(f"unclassified outside endpoint{seen_as}: classify it with a rule")
    elif single:
        reasons.append(f"the only supplier seen for {category.name}: +{single}")
    else:
        reasons.append(
            f"also seen for {category.name}: {', '.join(others)} (no single-point point; "
            "check that failover between them really works)"
        )
    if rule is not None and rule.with_cloud:
        reasons.append(f"operated by the cloud provider ({rule.with_cloud}): lost with the account")
    return SupplierLine(
        supplier=supplier,
        replacement_points=rclass.points,
        impact_points=impact.points,
        single_point_points=single,
        points=points,
        max_points=v.max_points,
        risk=round(points / v.max_points * 100),
        reasons=reasons,
    )


def supplier_results(
    m: Matches, cat: SupplierCatalog
) -> tuple[int, list[SupplierResult], SupplierExplanation]:
    """Per supplier: function, alternatives, replacement, points; and the dimension's score."""
    groups: dict[str, list[SupplierHit]] = defaultdict(list)
    for h in m.hits:
        groups[h.supplier].append(h)
    operators: dict[str, dict[str, str]] = defaultdict(dict)  # category -> operator -> supplier
    for supplier in groups:
        rule = cat.rules.get(supplier)
        if rule is not None:
            operators[rule.category].setdefault(rule.operator, supplier)
    lines: dict[str, SupplierLine] = {}
    results: list[SupplierResult] = []
    for supplier, hits in groups.items():
        rule = cat.rules.get(supplier)
        interchangeable = (
            rule is not None and cat.vocabulary.categories[rule.category].interchangeable
        )
        others = (
            sorted(s for op, s in operators[rule.category].items() if op != rule.operator)
            if rule and interchangeable
            else []
        )
        line = lines[supplier] = _line(cat, supplier, others, m)
        v = cat.vocabulary
        replacement = rule.replacement if rule else v.unclassified_replacement
        unknown = m.unknown.get(supplier)
        results.append(
            SupplierResult(
                supplier=supplier,
                name=rule.name if rule else supplier.removeprefix(UNCLASSIFIED),
                operator=rule.operator if rule else None,
                classified=rule is not None,
                category=_category(cat, supplier),
                function=rule.function
                if rule
                else ("; ".join(unknown.functions) if unknown else "unknown"),
                replacement=replacement,
                replacement_time=v.replacement_classes[replacement].time,
                with_cloud=rule.with_cloud if rule else None,
                single_point=bool(rule and not others),
                also_seen=others,
                alternatives=[a.name for a in rule.alternatives]
                if rule
                else [
                    "classify it: add seeds/suppliers/<id>.yaml, or confirm it is not a supplier"
                ],
                points=line.points,
                risk=line.risk,
                workloads=sorted({h.workload for h in hits}),
                evidence=_evidence(hits),
                sources=[s.url or s.title for s in rule.sources] if rule else [],
            )
        )
    results.sort(key=lambda r: (-r.risk, not r.classified, r.supplier))
    ordered = [lines[r.supplier] for r in results]
    v = cat.vocabulary
    if not ordered:
        return (
            0,
            results,
            SupplierExplanation(formula="no outside supplier found: score 0", max_risk=0, lines=[]),
        )
    top = ordered[0]
    others_risk = sum(x.risk for x in ordered[1:])
    breadth = min(v.breadth_cap, round(v.breadth_weight * others_risk))
    score = min(100, top.risk + breadth)
    formula = (
        f"score = max risk {top.risk} ({top.supplier}) + breadth min({v.breadth_cap}, "
        f"{v.breadth_weight:g} x {others_risk} from {len(ordered) - 1} other suppliers) = {score}"
    )
    return score, results, SupplierExplanation(formula=formula, max_risk=top.risk, lines=ordered)


def with_suppliers(
    report: AuditReport, m: Matches, cat: SupplierCatalog, problems: list[Unparsed]
) -> AuditReport:
    """The lock-in report with the supplier dimension added and the overall score recomputed."""
    score, results, explain = supplier_results(m, cat)
    lockin = Dimension(
        id="lock-in",
        name=LOCKIN_NAME,
        score=report.score,
        level=report.level,
        formula=report.explain.formula,
    )
    suppliers = Dimension(
        id="suppliers",
        name=SUPPLIER_NAME,
        score=score,
        level=_level(score, cat),
        formula=explain.formula,
    )
    top = max((lockin, suppliers), key=lambda d: d.score)
    overall = top.score
    return report.model_copy(
        update={
            "score": overall,
            "level": top.level,
            "dimensions": [lockin, suppliers],
            "score_formula": (
                f"score = max(lock-in {lockin.score}, single points of supplier failure "
                f"{suppliers.score}) = {overall}"
            ),
            "suppliers": results,
            "supplier_explain": explain,
            "unparsed": [*report.unparsed, *problems],
        }
    )
