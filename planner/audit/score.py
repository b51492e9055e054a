"""Score the hits: per service, per workload and overall, with every point explained.

A service's points = class points (portable 1, compatible 2, proprietary 4) + 1 per lock-in-raising
feature found (capped) + blocker points; risk = points / max points x 100. A workload's score is
the largest risk plus a small capped breadth bonus for the other services, so adding services never
lowers it and one proprietary dependency is never averaged away. Supporting services (IAM) only add
breadth. Effort: MTA story points (S=1, M=3, L=5, XL=7) x (1 + log10(evidence sites)).
All weights come from ``seeds/lockin/scoring.yaml``. Pure.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from planner.audit.catalog import Catalog
from planner.audit.match import Hit
from planner.audit.observations import Problem
from planner.models.audit import (
    AuditReport,
    BlockerHit,
    EffortTotal,
    EvidenceItem,
    FeatureHit,
    ScoreExplanation,
    ScoreLine,
    ServiceResult,
    Unparsed,
    WorkloadResult,
)
from planner.models.lockin import EFFORTS, Blocker, Rule, effort_rank, level_for

WORKLOAD_KINDS = ("role", "terraform", "cloudformation", "serverless", "amplify", "code", "iac")


@dataclass
class _Group:
    """Hits of one service, within one workload or overall."""

    service: str
    hits: list[Hit] = field(default_factory=list)

    @property
    def features(self) -> list[str]:
        return sorted({h.feature for h in self.hits if h.feature})

    @property
    def sites(self) -> int:
        return len({(h.path, h.line, h.workload, h.detail) for h in self.hits}) or 1


def level_of(score: float, cat: Catalog) -> str:
    return level_for(score, cat.scoring.levels)


def _blockers(rule: Rule | None, features: list[str]) -> list[Blocker]:
    if rule is None:
        return []
    return [b for b in rule.blockers if b.when_feature is None or b.when_feature in features]


def _class_of(cat: Catalog, service: str) -> str:
    rule = cat.rules.get(service)
    return str(rule.lockin_class if rule else cat.scoring.unclassified_class)


def _effort(cat: Catalog, rule: Rule | None, features: list[str]) -> str:
    if rule is None:
        return "M"
    effort = rule.effort
    for feature in rule.features:
        if (
            feature.id in features
            and feature.effort
            and effort_rank(feature.effort) > effort_rank(effort)
        ):
            effort = feature.effort
    return effort


def _line(cat: Catalog, group: _Group) -> ScoreLine:
    s = cat.scoring
    rule = cat.rules.get(group.service)
    cls = _class_of(cat, group.service)
    features = [f for f in group.features if rule and any(x.id == f for x in rule.features)]
    class_points = s.class_points[cls]  # type: ignore[index]
    feature_points = min(s.feature_cap, len(features) * s.feature_points)
    blockers = _blockers(rule, features)
    blocker_points = s.blocker_points if blockers else 0
    points = class_points + feature_points + blocker_points
    effort = _effort(cat, rule, features)
    weight = 1.0 if blockers else s.effort_weight.get(effort, 1.0)
    kb = f" ({rule.kb_class})" if rule else " (not in the rule catalogue)"
    reasons = [f"class {cls}{kb}: {class_points} point{'s' if class_points != 1 else ''}"]
    names = {f.id: f.name for f in rule.features} if rule else {}
    reasons += [f"feature {f} ({names.get(f, f)}): +{s.feature_points}" for f in features]
    if len(features) * s.feature_points > s.feature_cap:
        reasons.append(f"features capped at +{s.feature_cap}")
    reasons += [f"blocker {b.id}: +{s.blocker_points}" for b in blockers[:1]]
    if len(blockers) > 1:
        reasons.append(
            f"further blockers ({', '.join(b.id for b in blockers[1:])}) listed, not counted again"
        )
    if weight != 1.0:
        reasons.append(f"exit effort {effort}: risk x {weight:g}")
    return ScoreLine(
        service=group.service,
        lockin_class=cls,
        class_points=class_points,
        feature_points=feature_points,
        blocker_points=blocker_points,
        points=points,
        max_points=s.max_points,
        effort_weight=weight,
        risk=round(points / s.max_points * 100 * weight),
        reasons=reasons,
    )


def _explain(cat: Catalog, groups: Iterable[_Group]) -> tuple[int, ScoreExplanation]:
    lines = sorted((_line(cat, g) for g in groups), key=lambda x: (-x.risk, x.service))
    if not lines:
        return 0, ScoreExplanation(
            formula="no AWS service found: score 0", max_risk=0, mean_risk=0.0, lines=[]
        )
    s = cat.scoring
    leading = [x for x in lines if not _supporting(cat, x.service)] or lines
    top = leading[0]
    others = sum(x.risk for x in lines) - top.risk
    breadth = min(s.breadth_cap, round(s.breadth_weight * others))
    score = min(100, top.risk + breadth)
    mean = sum(x.risk for x in lines) / len(lines)
    formula = (
        f"score = max risk {top.risk} ({top.service}) + breadth min({s.breadth_cap}, "
        f"{s.breadth_weight:g} x {others} from {len(lines) - 1} other services) = {score}"
    )
    supporting = [x.service for x in lines if _supporting(cat, x.service)]
    if supporting and leading is not lines:
        formula += f"; supporting services count as breadth only: {', '.join(supporting)}"
    return score, ScoreExplanation(
        formula=formula, max_risk=top.risk, mean_risk=round(mean, 1), lines=lines
    )


def _supporting(cat: Catalog, service: str) -> bool:
    rule = cat.rules.get(service)
    return bool(rule and rule.supporting)


def _effort_points(cat: Catalog, group: _Group) -> float:
    rule = cat.rules.get(group.service)
    base = cat.scoring.effort_points[_effort(cat, rule, group.features)]
    return round(base * (1 + math.log10(group.sites)), 1)


def _effort_label(cat: Catalog, points: float) -> str:
    label = EFFORTS[0]
    for candidate in EFFORTS:
        if points >= cat.scoring.effort_labels[candidate]:
            label = candidate
    return label


def _evidence(hits: list[Hit]) -> list[EvidenceItem]:
    seen: dict[tuple[object, ...], EvidenceItem] = {}
    for h in hits:
        key = (h.path, h.line, h.signal, h.workload, h.detail)
        item = seen.get(key)
        if item is None:
            seen[key] = EvidenceItem(
                path=h.path,
                line=h.line,
                signal=h.signal,
                origin=h.origin,
                workload=h.workload,
                detail=h.detail,
                feature=h.feature,
            )
        elif h.feature and not item.feature:
            item.feature = h.feature
    return sorted(seen.values(), key=lambda e: (e.path or "", e.line or 0, e.signal))


def _workload_kind(workload: str) -> str:
    kind = workload.split(":", 1)[0]
    return kind if kind in WORKLOAD_KINDS else "account"


def build_report(
    hits: list[Hit], cat: Catalog, problems: list[Problem], inputs: dict[str, object]
) -> AuditReport:
    by_service: dict[str, _Group] = {}
    by_workload: dict[str, dict[str, _Group]] = defaultdict(dict)
    for h in hits:
        by_service.setdefault(h.service, _Group(h.service)).hits.append(h)
        by_workload[h.workload].setdefault(h.service, _Group(h.service)).hits.append(h)

    score, explain = _explain(cat, by_service.values())
    risk = {line.service: line for line in explain.lines}
    services: list[ServiceResult] = []
    blockers: list[BlockerHit] = []
    for line in explain.lines:
        group = by_service[line.service]
        rule = cat.rules.get(line.service)
        service_workloads = sorted({h.workload for h in group.hits})
        features = group.features
        hit_blockers = _blockers(rule, features)
        for b in hit_blockers:
            bw = sorted(
                {
                    h.workload
                    for h in group.hits
                    if b.when_feature is None or h.feature == b.when_feature
                }
            )
            blockers.append(
                BlockerHit(
                    service=line.service,
                    id=b.id,
                    text=b.text,
                    workaround=b.workaround,
                    workloads=bw,
                    source=(b.source.url or b.source.title) if b.source else None,
                )
            )
        effort = _effort(cat, rule, features)
        feature_hits = []
        if rule:
            for f in rule.features:
                fh = [h for h in group.hits if h.feature == f.id]
                if fh:
                    feature_hits.append(
                        FeatureHit(
                            id=f.id,
                            name=f.name,
                            workloads=sorted({h.workload for h in fh}),
                            evidence_count=len(fh),
                        )
                    )
        services.append(
            ServiceResult(
                service=line.service,
                name=rule.name if rule else line.service,
                lockin_class=_class_of(cat, line.service),
                classified=rule is not None,
                compat=str(rule.compat) if rule else None,
                replacements=[r.name for r in rule.replacements]
                if rule
                else ["not in the rule catalogue: classify it (add seeds/lockin/aws/<id>.yaml)"],
                effort=effort,
                effort_range=(
                    f"{rule.effort}-{rule.effort_max}"
                    if rule and rule.effort_max and rule.effort_max != rule.effort
                    else (rule.effort if rule else "M")
                ),
                effort_points=_effort_points(cat, group),
                points=risk[line.service].points,
                risk=risk[line.service].risk,
                features=feature_hits,
                blockers=[b.id for b in hit_blockers],
                workloads=service_workloads,
                evidence=_evidence(group.hits),
                sources=[s.url or s.title for s in rule.sources] if rule else [],
            )
        )

    workloads: list[WorkloadResult] = []
    for wid, groups in by_workload.items():
        wscore, wexplain = _explain(cat, groups.values())
        points = round(sum(_effort_points(cat, g) for g in groups.values()), 1)
        wblockers = sorted(
            {
                f"{g.service}:{b.id}"
                for g in groups.values()
                for b in _blockers(cat.rules.get(g.service), g.features)
            }
        )
        workloads.append(
            WorkloadResult(
                id=wid,
                kind=_workload_kind(wid),
                score=wscore,
                level=level_of(wscore, cat),
                services=[x.service for x in wexplain.lines],
                proprietary=[x.service for x in wexplain.lines if x.lockin_class == "proprietary"],
                blockers=wblockers,
                effort_points=points,
                effort=_effort_label(cat, points),
                explain=wexplain,
            )
        )
    workloads.sort(key=lambda w: (-w.score, w.id))
    by_effort = {s.service: s.effort_points for s in services}
    total = round(sum(by_effort.values()), 1)
    return AuditReport(
        score=score,
        level=level_of(score, cat),
        effort=EffortTotal(
            points=total,
            label=_effort_label(cat, total),
            by_service=by_effort,
        ),
        services=services,
        blockers=blockers,
        workloads=workloads,
        explain=explain,
        unparsed=[
            Unparsed(
                path=p.path,
                line=p.line,
                signal=p.signal,
                detail=p.detail,
            )
            for p in problems
        ],
        inputs=inputs,
        catalog={
            "rules": len(cat.rules),
            "scoring_as_of": str(cat.scoring.as_of),
            "rules_last_verified": max(
                (str(r.last_verified) for r in cat.rules.values()), default=None
            ),
        },
    )
