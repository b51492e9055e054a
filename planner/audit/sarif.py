"""SARIF 2.1.0 output, so lock-in findings show up in code-scanning UIs.

One rule per service found (``ruleId`` = service id), one per outside supplier (``ruleId`` =
``supplier/<id>``) plus ``unparseable``/``too-large`` for files that could not be read; one result
per evidence item that has a file. Levels: proprietary -> ``error``, compatible -> ``warning``,
portable -> ``note``; a supplier that is a single point of failure -> ``warning``, others and
unclassified endpoints -> ``note``. Locations are relative URIs with a ``region.startLine`` when
the line is known.
"""

from __future__ import annotations

import json
from typing import Any

from planner import __version__
from planner.models.audit import AuditReport

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"proprietary": "error", "compatible": "warning", "portable": "note"}


def _location(path: str, line: int | None) -> dict[str, Any]:
    uri = f"file://{path}" if path.startswith("/") else path.removeprefix("./")
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if line:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def to_sarif(report: AuditReport) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for s in report.services:
        index[s.service] = len(rules)
        rules.append(
            {
                "id": s.service,
                "name": s.name,
                "shortDescription": {"text": f"{s.name}: {s.lockin_class} AWS dependency"},
                "fullDescription": {
                    "text": f"Replace with: {'; '.join(s.replacements)}. "
                    f"Effort {s.effort} ({s.effort_range})."
                },
                "help": {
                    "text": f"Class {s.lockin_class}, risk {s.risk}/100. Blockers: "
                    f"{', '.join(s.blockers) or 'none'}."
                },
                **(
                    {"helpUri": s.sources[0]}
                    if s.sources and s.sources[0].startswith("http")
                    else {}
                ),
                "defaultConfiguration": {"level": LEVEL[s.lockin_class]},
                "properties": {
                    "class": s.lockin_class,
                    "effort": s.effort,
                    "risk": s.risk,
                    "tags": ["lock-in", s.lockin_class],
                },
            }
        )
        for ev in s.evidence:
            if not ev.path:
                continue
            feature = f" (feature: {ev.feature})" if ev.feature else ""
            results.append(
                {
                    "ruleId": s.service,
                    "ruleIndex": index[s.service],
                    "level": LEVEL[s.lockin_class],
                    "message": {
                        "text": f"{s.name} ({s.lockin_class}) used here: {ev.signal}{feature}. "
                        f"Replace with {s.replacements[0]}."
                    },
                    "locations": [_location(ev.path, ev.line)],
                    "properties": {"workload": ev.workload, "origin": ev.origin},
                }
            )
    for sup in report.suppliers:
        rule_id = f"supplier/{sup.supplier}"
        level = "warning" if sup.single_point else "note"
        index[rule_id] = len(rules)
        kind = "single point of supplier failure" if sup.single_point else "outside supplier"
        rules.append(
            {
                "id": rule_id,
                "name": sup.name,
                "shortDescription": {"text": f"{sup.name}: {kind} ({sup.function})"},
                "fullDescription": {
                    "text": f"Replacement {sup.replacement} ({sup.replacement_time}). "
                    f"Alternatives: {'; '.join(sup.alternatives)}."
                },
                **(
                    {"helpUri": sup.sources[0]}
                    if sup.sources and sup.sources[0].startswith("http")
                    else {}
                ),
                "defaultConfiguration": {"level": level},
                "properties": {
                    "category": sup.category,
                    "replacement": sup.replacement,
                    "risk": sup.risk,
                    "tags": ["supplier", sup.category],
                },
            }
        )
        for ev in sup.evidence:
            if not ev.path:
                continue
            results.append(
                {
                    "ruleId": rule_id,
                    "ruleIndex": index[rule_id],
                    "level": level,
                    "message": {
                        "text": f"{sup.name} ({sup.function}) relied on here: {ev.signal}. "
                        f"Replacing it takes {sup.replacement_time}."
                    },
                    "locations": [_location(ev.path, ev.line)],
                    "properties": {"workload": ev.workload, "origin": ev.origin},
                }
            )
    for problem in report.unparsed:
        if problem.signal not in index:
            index[problem.signal] = len(rules)
            rules.append(
                {
                    "id": problem.signal,
                    "name": problem.signal,
                    "shortDescription": {"text": "file could not be audited"},
                    "defaultConfiguration": {"level": "warning"},
                }
            )
        results.append(
            {
                "ruleId": problem.signal,
                "ruleIndex": index[problem.signal],
                "level": "warning",
                "message": {"text": f"Not audited: {problem.detail}"},
                "locations": [_location(problem.path, problem.line)],
            }
        )
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "exitplan", "version": __version__, "rules": rules}},
                "results": results,
                "properties": {"score": report.score, "level": report.level},
            }
        ],
    }


def to_sarif_text(report: AuditReport) -> str:
    return json.dumps(to_sarif(report), indent=2, ensure_ascii=False) + "\n"
