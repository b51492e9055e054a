"""Run an audit: load the rule catalogues, read the inventory, the paths and the DNS files, match,
score both dimensions (lock-in; single points of supplier failure).

This is the I/O shell around the pure readers, matchers and scorers; the CLI and the demo call
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
from planner.suppliers.catalog import SupplierCatalog
from planner.suppliers.load import default_supplier_catalog, read_zones
from planner.suppliers.match import match_suppliers
from planner.suppliers.readers import file_reader
from planner.suppliers.readers.inventory import Endpoint
from planner.suppliers.readers.inventory import scan_inventory as scan_supplier_inventory
from planner.suppliers.score import with_suppliers

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
    dns: list[Path] | None = None,
    suppliers: SupplierCatalog | None = None,
) -> AuditReport:
    """Audit an inventory, IaC and code paths and DNS files. Missing paths are an InputError."""
    cat = catalog or default_catalog()
    scat = suppliers or default_supplier_catalog()
    for path in [*(iac or []), *(code or []), *(dns or [])]:
        if not path.exists():
            raise InputError(f"{path}: no such file or directory")
    zones, dns_problems = read_zones(list(dns or []))
    skip = {p.resolve() for p in [*(dns or []), *([inventory] if inventory else [])]}
    scanner = Scanner(cat, on_file, extra=file_reader(scat), skip=skip)
    inventory_tokens = []
    endpoints: list[Endpoint] = []
    if inventory is not None:
        model = loaded if loaded is not None else load_inventory(inventory)
        shown = str(inventory).replace("\\", "/")
        line = _line_lookup(inventory, model)
        inventory_tokens = scan_inventory(model, shown, line)
        endpoints, supplier_tokens = scan_supplier_inventory(model, shown, scat, line)
        inventory_tokens += supplier_tokens
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
        "dns": [str(p) for p in dns or []],
        "files_read": scanner.files_read,
        "files_skipped": scanner.files_skipped,
    }
    report = build_report(hits, cat, obs.problems, inputs)
    matches = match_suppliers(obs, endpoints, zones, scat)
    report = with_suppliers(report, matches, scat, dns_problems)
    report.catalog["supplier_rules"] = len(scat.rules)
    report.catalog["supplier_vocabulary_as_of"] = str(scat.vocabulary.as_of)
    return report
