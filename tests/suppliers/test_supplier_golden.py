"""Golden cases, one folder per supplier rule (tests/suppliers/golden/<id>/): fixtures + expected.

The audit of the folder (code/IaC with --iac, *.zone with --dns, inventory.yaml as the inventory)
must find exactly the suppliers in expected.golden with exactly that evidence: nothing missing,
nothing extra. Adding a rule = one YAML in seeds/suppliers + one folder here.
"""

from pathlib import Path

import pytest
import yaml

from planner.audit.run import run_audit

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def _found(folder: Path) -> dict[str, list[str]]:
    inventory = folder / "inventory.yaml"
    report = run_audit(
        inventory if inventory.exists() else None,
        iac=[folder],
        dns=sorted(folder.glob("*.zone")),
    )
    assert report.unparsed == []
    found: dict[str, list[str]] = {}
    for supplier in report.suppliers:
        found[supplier.supplier] = sorted(
            f"{Path(ev.path).relative_to(folder).as_posix()}:{ev.line} {ev.signal}"
            for ev in supplier.evidence
        )
    return found


@pytest.mark.parametrize("case", CASES)
def test_supplier_golden(case):
    folder = GOLDEN / case
    expected = yaml.safe_load((folder / "expected.golden").read_text())["suppliers"]
    assert _found(folder) == expected


def test_every_supplier_rule_has_a_golden_case(repo):
    rules = sorted(p.stem for p in (repo / "seeds/suppliers").glob("*.yaml") if p.stem[0] != "_")
    assert rules == CASES
