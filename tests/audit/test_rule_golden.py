"""Golden cases, one folder per rule (tests/audit/golden/<id>/): fixtures + expected.yaml.

expected.yaml lists, per service, every piece of evidence as 'file:line signal [feature]'. The
audit of the folder must find exactly those services and exactly that evidence (checkov-style
explicit lists: a count is not enough). Adding a rule = one YAML in seeds/lockin/aws + one folder.
"""

from pathlib import Path

import pytest
import yaml

from planner.audit.run import run_audit

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def _found(folder: Path) -> dict[str, list[str]]:
    report = run_audit(iac=[folder])
    assert report.unparsed == []
    found: dict[str, list[str]] = {}
    for service in report.services:
        items = []
        for ev in service.evidence:
            rel = Path(ev.path).relative_to(folder).as_posix()
            feature = f" [{ev.feature}]" if ev.feature else ""
            items.append(f"{rel}:{ev.line} {ev.signal}{feature}")
        found[service.service] = sorted(items)
    return found


@pytest.mark.parametrize("case", CASES)
def test_golden(case):
    folder = GOLDEN / case
    expected = yaml.safe_load((folder / "expected.yaml").read_text())["services"]
    assert _found(folder) == expected


def test_every_rule_has_a_golden_case(repo):
    rules = sorted(p.stem for p in (repo / "seeds/lockin/aws").glob("*.yaml"))
    assert rules == CASES
