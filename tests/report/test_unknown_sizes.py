"""Where the plan does not know a size, the report says ``unknown`` (or ``at least``) instead of
``0 B``, ``0 s`` or a margin, and the regulatory checks never say ``yes``; the verdict does not
repeat the headline's reason; without an audit the draft does not count audit findings; one
duration formatter (the terminal's) everywhere.

Built from real plans: a generated fleet planned like ``exitplan plan`` does, with servers whose
volumes were removed (their size is unknown).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from planner.audit.run import run_audit
from planner.core.generate import generate_fleet
from planner.core.plan import build_plan
from planner.io.inventory_file import save_inventory
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.io.transfer_seeds import transfer_seeds
from planner.models.inventory import Inventory
from planner.models.plan import PlanOptions
from planner.models.seeds import FleetProfile
from planner.report.model import duration
from planner.report.render import render_report
from planner.targeted import plan_with_target
from planner.units import format_duration

DAY = 86_400.0


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    return generate_fleet(profile, aws_instance_types(), servers=40, data_bytes=int(4e12), seed=1)


def _without_volumes(inventory: Inventory, count: int) -> Inventory:
    servers = [
        s.model_copy(update={"volumes": []}) if i < count else s
        for i, s in enumerate(inventory.servers)
    ]
    return inventory.model_copy(update={"servers": servers})


def _plan(inventory: Inventory, deadline: float = DAY) -> dict[str, Any]:
    options = PlanOptions(deadline_seconds=deadline)
    plan = build_plan(inventory, transfer_seeds(), options, aws_instance_types())
    return plan.model_dump(mode="json")


def test_one_server_of_unknown_size_is_unknown_not_zero(inventory):
    one = _without_volumes(inventory.model_copy(update={"servers": inventory.servers[:1]}), 1)
    one = one.model_copy(update={"data_stores": []})
    plan = _plan(one)
    assert plan["inventory"]["unknown_size"] == [one.servers[0].id]
    assert plan["deadline"]["meets"] is None
    report = render_report(plan)
    text = report.markdown
    figures = {f.label: (f.value, f.note) for f in report.data.verdict.figures}
    assert figures["Time to exit"][0] == "unknown"
    assert figures["Bulk copy"][0] == "unknown"
    assert figures["Downtime at cutover"] == ("unknown", "")
    assert figures["Deadline"] == ("24 h", "not proven")
    assert not re.search(r"(?<![\d.])0 (B|s)\b", text), re.search(
        r".{60}(?<![\d.])0 (B|s)\b.{20}", text
    )
    assert "to spare" not in text
    assert report.data.subtitle.startswith("1 servers, data of unknown size.")
    assert report.data.verdict.headline == (
        f"Deadline 24 h not shown to be met: 1 item of unknown size ({one.servers[0].id}) is "
        "not in the plan"
    )
    exit_plan = report.data.exit_plan
    fits = [row[3] for row in exit_plan.timeline.rows] + [
        row[4] for row in exit_plan.scenarios.rows
    ]
    assert "yes" not in " ".join(fits)
    assert set(fits) <= {"unknown", "–"}
    retrieval = exit_plan.data.rows[0]
    assert retrieval[1] == "unknown" and retrieval[3] == "unknown"


def test_a_fleet_with_some_unknown_sizes_shows_lower_bounds(inventory):
    plan = _plan(_without_volumes(inventory, 2))
    assert len(plan["inventory"]["unknown_size"]) == 2
    report = render_report(plan)
    figures = {f.label: f.value for f in report.data.verdict.figures}
    assert figures["Time to exit"] == f"at least {duration(plan['deadline']['completion_seconds'])}"
    assert report.data.subtitle.startswith("40 servers, at least ")
    assert "to spare" not in report.markdown
    fits = [row[3] for row in report.data.exit_plan.timeline.rows]
    assert "yes" not in fits


def test_also_in_the_way_does_not_repeat_the_headlines_reason(inventory):
    options = PlanOptions(deadline_seconds=3600.0)
    plan = plan_with_target(
        inventory, transfer_seeds(), options, "hetzner-cloud", server_limit=40
    ).model_dump(mode="json")
    kinds = [r["kind"] for r in plan["deadline"]["reasons"]]
    assert "late" in kinds and len(kinds) > 1
    late = next(r["message"] for r in plan["deadline"]["reasons"] if r["kind"] == "late")
    report = render_report(plan)
    assert report.data.verdict.headline.startswith("Deadline missed by ")
    also = [line for line in report.data.verdict.lines if line.startswith("Also in the way")]
    assert len(also) == 1 and late not in also[0]
    assert "no machine" in also[0]


def test_without_an_audit_the_draft_counts_no_audit_findings(inventory):
    report = render_report(_plan(inventory))
    assert "flagged by the audit" not in report.markdown
    assert "no lock-in audit was supplied, so non-exportable items are not known" in (
        report.markdown
    )


def test_unclassified_endpoints_are_unclassified_in_the_draft_supplier_table(
    inventory, tmp_path: Path
):
    path = save_inventory(inventory, tmp_path / "inventory.yaml")
    audit = run_audit(inventory=path, loaded=inventory).model_dump(mode="json", by_alias=True)
    unclassified = [s["name"] for s in audit["suppliers"] if not s.get("classified")]
    assert unclassified
    report = render_report(_plan(inventory), audit)
    table = report.data.exit_plan.suppliers
    assert table is not None
    column = table.columns.index("single point")
    rows = {row[0]: row[column] for row in table.rows}
    assert {rows[name] for name in unclassified} == {"unclassified"}
    assert "unclassified" not in {v for k, v in rows.items() if k not in unclassified}


@pytest.mark.parametrize("seconds", [42.0, 7 * 60.0, 27 * 3600 + 58 * 60, 16 * DAY + 9 * 3660])
def test_the_report_formats_durations_as_the_terminal_does(seconds):
    assert duration(seconds) == format_duration(seconds)
    assert duration(None) == "unknown"
