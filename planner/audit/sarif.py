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


def _help_uri(sources: list[str]) -> dict[str, str]:
    """``{"helpUri": ...}`` when the first source is a web address, else nothing."""
    return {"helpUri": sources[0]} if sources and sources[0].startswith("http") else {}


class _Run:
    """The rules and results of one SARIF run; a rule's index is its place in ``rules``."""

    def __init__(self) -> None:
        self.rules: list[dict[str, Any]] = []
        self.results: list[dict[str, Any]] = []
        self.index: dict[str, int] = {}

    def rule(self, rule: dict[str, Any]) -> None:
        self.index[rule["id"]] = len(self.rules)
        self.rules.append(rule)

    def result(
        self, rule_id: str, level: str, text: str, path: str, line: int | None, **extra: Any
    ) -> None:
        self.results.append(
            {
                "ruleId": rule_id,
                "ruleIndex": self.index[rule_id],
                "level": level,
                "message": {"text": text},
                "locations": [_location(path, line)],
                **extra,
            }
        )


def to_sarif(report: AuditReport) -> dict[str, Any]:
    run = _Run()
    for s in report.services:
        level = LEVEL[s.lockin_class]
        run.rule(
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
                **_help_uri(s.sources),
                "defaultConfiguration": {"level": level},
                "properties": {
                    "class": s.lockin_class,
                    "effort": s.effort,
                    "risk": s.risk,
                    "tags": ["lock-in", s.lockin_class],
                },
            }
        )
        for ev in s.evidence:
            if ev.path:
                feature = f" (feature: {ev.feature})" if ev.feature else ""
                text = (
                    f"{s.name} ({s.lockin_class}) used here: {ev.signal}{feature}. "
                    f"Replace with {s.replacements[0]}."
                )
                where = {"workload": ev.workload, "origin": ev.origin}
                run.result(s.service, level, text, ev.path, ev.line, properties=where)
    for sup in report.suppliers:
        rule_id = f"supplier/{sup.supplier}"
        level = "warning" if sup.single_point else "note"
        kind = "single point of supplier failure" if sup.single_point else "outside supplier"
        run.rule(
            {
                "id": rule_id,
                "name": sup.name,
                "shortDescription": {"text": f"{sup.name}: {kind} ({sup.function})"},
                "fullDescription": {
                    "text": f"Replacement {sup.replacement} ({sup.replacement_time}). "
                    f"Alternatives: {'; '.join(sup.alternatives)}."
                },
                **_help_uri(sup.sources),
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
            if ev.path:
                text = (
                    f"{sup.name} ({sup.function}) relied on here: {ev.signal}. "
                    f"Replacing it takes {sup.replacement_time}."
                )
                where = {"workload": ev.workload, "origin": ev.origin}
                run.result(rule_id, level, text, ev.path, ev.line, properties=where)
    for problem in report.unparsed:
        if problem.signal not in run.index:
            run.rule(
                {
                    "id": problem.signal,
                    "name": problem.signal,
                    "shortDescription": {"text": "file could not be audited"},
                    "defaultConfiguration": {"level": "warning"},
                }
            )
        text = f"Not audited: {problem.detail}"
        run.result(problem.signal, "warning", text, problem.path, problem.line)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": "exitplan", "version": __version__, "rules": run.rules}
                },
                "results": run.results,
                "properties": {"score": report.score, "level": report.level},
            }
        ],
    }


def to_sarif_text(report: AuditReport) -> str:
    return json.dumps(to_sarif(report), indent=2, ensure_ascii=False) + "\n"
