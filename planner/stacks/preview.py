"""Offline preview: run a stack program under Pulumi's mocks in a child process.

The child (``python -m components.offline``) runs the project's real ``__main__.py`` with the
given config and prints every registered resource and the stack outputs as JSON. A fresh process
per preview keeps Pulumi's global runtime state out of exitplan and lets exitplan run without
the Pulumi SDKs installed until a preview is asked for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from planner.errors import ExitplanError

DISCLAIMER = (
    "offline create-only preview: the real stack program ran under Pulumi's mocks; no engine, "
    "no state, no provider validation (values such as types, locations and quotas are "
    "checked only by `pulumi preview` with credentials)"
)
TIMEOUT_SECONDS = 900


class PreviewError(ExitplanError):
    """The stack program failed under the mocks (or the Pulumi SDKs are missing)."""


def run_program(stacks_root: Path, project: Path, config: dict[str, str], stack: str) -> Any:
    """Run ``project`` under mocks in a child process; return its JSON result."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(stacks_root), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "components.offline", str(project), "--stack", stack]
    try:
        done = subprocess.run(
            command,
            input=json.dumps({"config": config}),
            capture_output=True,
            text=True,
            env=env,
            cwd=stacks_root,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PreviewError(f"the preview took longer than {TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        last = lines[-1] if lines else f"exit status {done.returncode}"
        if "No module named 'pulumi" in done.stderr:
            raise PreviewError(f"{last}\ninstall the stack SDKs: pip install 'exitplan[stacks]'")
        raise PreviewError(f"the stack program failed under mocks: {last}")
    return json.loads(done.stdout)


def _short(urn: str | None) -> str | None:
    if not urn:
        return None
    parts = urn.split("::")
    kind = parts[2].split("$")[-1]
    return None if kind == "pulumi:pulumi:Stack" else f"{kind}::{parts[3]}"


def contract(provider: str, result: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    """The ``stacks preview --format json`` document (PRODUCT.md contract + detail)."""
    resources = [
        {
            "type": r["type"],
            "name": r["name"],
            "parent": _short(r["parent"]),
            "urn": r["urn"],
        }
        for r in result["resources"]
    ]
    counts = Counter(r["type"] for r in resources)
    return {
        "schema_version": 1,
        "provider": provider,
        "project": result["project"],
        "stack": result["stack"],
        "mode": "offline-mocks-create-only",
        "note": DISCLAIMER,
        "resources": resources,
        "counts": dict(sorted(counts.items())),
        "total": len(resources),
        "outputs": result["outputs"],
        "warnings": warnings,
    }


def tree_lines(document: dict[str, Any], run_limit: int = 3) -> list[str]:
    """A ``pulumi preview``-like tree; runs of siblings of one type beyond ``run_limit``
    collapse into ``... N more TYPE``."""
    children: dict[str | None, list[dict[str, Any]]] = {}
    for r in document["resources"]:
        children.setdefault(r["parent"], []).append(r)
    lines: list[str] = []

    def walk(parent: str | None, depth: int) -> None:
        kids = children.get(parent, [])
        shown: Counter[str] = Counter()
        totals = Counter(k["type"] for k in kids)
        for kid in kids:
            shown[kid["type"]] += 1
            collapse = totals[kid["type"]] > run_limit + 1 and not kid["type"].startswith(
                "exitplan:"
            )
            if not collapse or shown[kid["type"]] <= run_limit:
                lines.append(f" +  {'  ' * depth}{kid['type']}  {kid['name']}")
                walk(f"{kid['type'].split('$')[-1]}::{kid['name']}", depth + 1)
            elif shown[kid["type"]] == run_limit + 1:
                more = totals[kid["type"]] - run_limit
                lines.append(f" +  {'  ' * depth}... {more} more {kid['type']}")

    walk(None, 0)
    return lines


def summary(value: Any) -> str:
    if isinstance(value, dict):
        return f"{{{len(value)} entries}}" if len(value) > 6 else json.dumps(value)
    if isinstance(value, list):
        return f"[{len(value)} items]" if len(value) > 6 else json.dumps(value)
    return json.dumps(value)
