"""Run an audit: load the rule catalogue, read the inventory and the paths, match, score.

This is the I/O shell around the pure readers, matcher and scorer; the CLI and the demo call
:func:`run_audit`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

from planner.audit.catalog import Catalog
from planner.audit.files import Input, Scanner
from planner.audit.match import match
from planner.audit.readers import yamldoc
from planner.audit.readers.inventory import scan_inventory
from planner.audit.score import build_report
from planner.errors import InputError, SeedError
from planner.io.documents import read_text
from planner.io.inventory_file import load_inventory
from planner.io.seeds import load_yaml_seed, seeds_dir
from planner.models import Inventory
from planner.models.audit import AuditReport
from planner.models.lockin import Rule, ScoringModel

EXACT_LINES_BYTES = 512 * 2**10  # below this, every path gets its exact line (full YAML walk)


def load_catalog(directory: Path | None = None) -> Catalog:
    """Load and validate every rule file; a rule whose id differs from its file name is an error."""
    base = directory or seeds_dir() / "lockin"
    rules: list[Rule] = []
    for path in sorted((base / "aws").glob("*.yaml")):
        rule = load_yaml_seed(path, Rule)
        if rule.id != path.stem:
            raise SeedError(f"{path}: id {rule.id!r} does not match the file name")
        rules.append(rule)
    if not rules:
        raise SeedError(f"{base / 'aws'}: no lock-in rules found")
    scoring = load_yaml_seed(base / "scoring.yaml", ScoringModel)
    return Catalog.build(rules, scoring)


@functools.cache
def default_catalog() -> Catalog:
    return load_catalog()


def _line_lookup(path: Path, inventory: Inventory) -> Callable[..., int | None]:
    """``line(section, index, ...)`` for inventory paths.

    Small files get exact lines from the YAML node tree; large ones get the line of each
    server/data store (found by its ``id``), which sub-paths share: walking a 10,000-server node
    tree in Python costs more than the audit itself.
    """
    try:
        text = read_text(path)
    except InputError:
        return lambda *_: None
    if len(text) <= EXACT_LINES_BYTES and path.suffix.lower() != ".json":
        try:
            docs = yamldoc.load_all(text)
        except Exception:
            docs = []
        if docs:
            return docs[0].line
    starts: dict[tuple[str, int], int] = {}
    pos, counted, line_no = 0, 0, 1
    sections: list[tuple[str, list[str]]] = [
        ("servers", [s.id for s in inventory.servers]),
        ("data_stores", [d.id for d in inventory.data_stores]),
    ]
    for section, ids in sections:
        for index, item_id in enumerate(ids):
            found = re.compile(
                rf"""["']?\bid["']?\s*:\s*["']?{re.escape(item_id)}["']?\s*(?=[,}}\n#]|$)""", re.M
            ).search(text, pos)
            if found:
                line_no += text.count("\n", counted, found.start())
                counted, pos = found.start(), found.end()
                starts[(section, index)] = line_no

    def line(*loc: str | int) -> int | None:
        return starts.get((str(loc[0]), int(loc[1]))) if len(loc) >= 2 else None

    return line


def run_audit(
    inventory: Path | None = None,
    iac: list[Path] | None = None,
    code: list[Path] | None = None,
    catalog: Catalog | None = None,
    on_file: Callable[[str], None] | None = None,
    loaded: Inventory | None = None,
) -> AuditReport:
    """Audit an inventory file and/or IaC and code paths. Missing paths are an InputError."""
    cat = catalog or default_catalog()
    for path in [*(iac or []), *(code or [])]:
        if not path.exists():
            raise InputError(f"{path}: no such file or directory")
    scanner = Scanner(cat, on_file)
    inventory_tokens = []
    if inventory is not None:
        model = loaded if loaded is not None else load_inventory(inventory)
        shown = str(inventory).replace("\\", "/")
        inventory_tokens = scan_inventory(model, shown, _line_lookup(inventory, model))
    for path in iac or []:
        scanner.scan(Input(path, "iac"))
    for path in code or []:
        scanner.scan(Input(path, "code"))
    obs = scanner.finish()
    obs.tokens.extend(inventory_tokens)
    hits = match(obs, cat)
    inputs: dict[str, object] = {
        "inventory": str(inventory) if inventory else None,
        "iac": [str(p) for p in iac or []],
        "code": [str(p) for p in code or []],
        "files_read": scanner.files_read,
        "files_skipped": scanner.files_skipped,
    }
    return build_report(hits, cat, obs.problems, inputs)
