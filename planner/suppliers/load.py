"""Load the supplier rules and read the DNS files given with ``--dns`` (the I/O around the pure
catalogue, parsers and matcher).

Rules are ``seeds/suppliers/<id>.yaml`` (the id must match the file name); files whose names start
with ``_`` hold the vocabulary. A missing DNS file is an input error (exit 2); a file that cannot be
read or parsed becomes an ``unparseable`` finding and the audit goes on.
"""

from __future__ import annotations

import functools
from pathlib import Path

from planner.errors import SeedError
from planner.io.seeds import load_yaml_seed, seeds_dir
from planner.models.audit import Unparsed
from planner.models.suppliers import SupplierRule, SupplierVocabulary
from planner.suppliers.catalog import SupplierCatalog
from planner.suppliers.match import Zone
from planner.suppliers.zonefile import parse_zone

MAX_ZONE_BYTES = 64 * 2**20


def load_supplier_catalog(directory: Path | None = None) -> SupplierCatalog:
    """Validate every supplier rule against the vocabulary and build the lookup indexes."""
    base = directory or seeds_dir() / "suppliers"
    vocabulary = load_yaml_seed(base / "_vocabulary.yaml", SupplierVocabulary)
    rules: list[SupplierRule] = []
    for path in sorted(base.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        rule = load_yaml_seed(path, SupplierRule)
        if rule.id != path.stem:
            raise SeedError(f"{path}: id {rule.id!r} does not match the file name")
        if rule.category not in vocabulary.categories:
            raise SeedError(f"{path}: category {rule.category!r} is not in the vocabulary")
        if rule.replacement not in vocabulary.replacement_classes:
            raise SeedError(f"{path}: replacement {rule.replacement!r} is not in the vocabulary")
        rules.append(rule)
    known = {r.id for r in rules}
    for rule in rules:
        for target in rule.implies:
            if target not in known:
                raise SeedError(f"{base / rule.id}.yaml: implies unknown supplier {target!r}")
    if not rules:
        raise SeedError(f"{base}: no supplier rules found")
    return SupplierCatalog.build(rules, vocabulary)


@functools.cache
def default_supplier_catalog() -> SupplierCatalog:
    return load_supplier_catalog()


def _decode(data: bytes) -> str | None:
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def read_zones(paths: list[Path]) -> tuple[list[Zone], list[Unparsed]]:
    """Parse each DNS file (BIND or Route 53 JSON); problems are findings, not errors."""
    zones: list[Zone] = []
    problems: list[Unparsed] = []
    files = [
        f
        for p in paths
        for f in (sorted(x for x in p.iterdir() if x.is_file()) if p.is_dir() else [p])
    ]
    for file in files:
        shown = str(file).replace("\\", "/")
        try:
            size = file.stat().st_size
            if size > MAX_ZONE_BYTES:
                problems.append(Unparsed(path=shown, signal="too-large", detail=f"{size} bytes"))
                continue
            text = _decode(file.read_bytes())
        except OSError as exc:
            problems.append(
                Unparsed(path=shown, signal="unreadable", detail=exc.strerror or str(exc))
            )
            continue
        if text is None:
            problems.append(
                Unparsed(path=shown, detail="not a text zone file (binary or not UTF-8)")
            )
            continue
        data = parse_zone(text)
        problems += [
            Unparsed(path=shown, line=line, detail=f"DNS {data.format}: {detail}"[:300])
            for line, detail in data.problems
        ]
        if not data.records and not data.problems:
            problems.append(Unparsed(path=shown, detail="no DNS records found"))
        zones.append(Zone(shown, data.origin, data.records))
    return zones, problems
