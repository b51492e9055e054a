"""The report tells the same story as the plan and the audit it reads: the same time to exit, the
same reason a deadline is missed, the same blocker and supplier counts, the audit's dimensions
under their own names, the roles of the inventory and the plan's confidence.

Built from real outputs: a generated 40-server fleet planned onto Hetzner Cloud (one database
server fits no offering there) and audited, like ``exitplan plan --target`` and ``exitplan
audit`` do.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from planner.audit.run import run_audit
from planner.core.generate import generate_fleet
from planner.io.inventory_file import save_inventory
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.io.transfer_seeds import transfer_seeds
from planner.models.plan import PlanOptions
from planner.models.seeds import FleetProfile
from planner.report.model import duration
from planner.report.render import render_report
from planner.targeted import plan_with_target

DAY = 86_400.0


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    inventory = generate_fleet(
        profile, aws_instance_types(), servers=40, data_bytes=int(4e12), seed=1
    )
    path = save_inventory(inventory, tmp_path_factory.mktemp("fleet") / "inventory.yaml")
    seeds = transfer_seeds()

    def plan(deadline: float) -> dict[str, Any]:
        options = PlanOptions(deadline_seconds=deadline)
        # the project limit is stated: an unknown limit would count a 1-day raise
        result = plan_with_target(inventory, seeds, options, "hetzner-cloud", server_limit=40)
        return result.model_dump(mode="json")

    return {
        "fits": plan(DAY),  # the time fits; one server has no machine
        "late": plan(3600.0),  # the time does not fit
        "audit": run_audit(inventory=Path(path), loaded=inventory).model_dump(
            mode="json", by_alias=True
        ),
    }


def figures(report: Any) -> dict[str, tuple[str, str]]:
    return {f.label: (f.value, f.note) for f in report.data.verdict.figures}


def test_time_fits_but_servers_without_a_machine_is_not_missed_by(fleet):
    plan = fleet["fits"]
    deadline = plan["deadline"]
    assert deadline["meets"] is False and deadline["margin_seconds"] > 0
    assert len(plan["capacity"]["unplaced"]) == 1
    report = render_report(plan, fleet["audit"])
    spare = duration(deadline["margin_seconds"])
    assert report.data.verdict.headline == (
        f"Deadline missed because 1 server has no machine at Hetzner Cloud "
        f"({plan['capacity']['unplaced'][0]['id']}) (the time fits, with {spare} to spare)"
    )
    assert "missed by" not in report.markdown
    assert figures(report)["Deadline"] == ("24 h", f"missed: the time fits ({spare} to spare)")


def test_deadline_reasons_from_the_plan_are_used_when_present(fleet):
    plan = dict(fleet["fits"])
    plan["deadline"] = {**plan["deadline"], "reasons": [{"message": "a reason the plan gives"}]}
    report = render_report(plan)
    assert report.data.verdict.headline.startswith(
        "Deadline missed because a reason the plan gives (the time fits"
    )


@pytest.mark.parametrize("case", ["fits", "late"])
def test_time_to_exit_is_the_plans_end_to_end_figure_everywhere(fleet, case):
    plan = fleet[case]
    end_to_end = plan["deadline"]["completion_seconds"]
    parts = plan["capacity"]["provisioning_seconds"] + plan["cutover"]["completion_seconds"]
    assert end_to_end == pytest.approx(parts)
    assert end_to_end > plan["transfer"]["bulk_seconds"] + plan["cutover"]["downtime_seconds"]
    report = render_report(plan, fleet["audit"])
    shown = duration(end_to_end)
    assert figures(report)["Time to exit"][0] == shown
    assert report.data.verdict.lines[0].startswith(f"Time to exit: {shown}, ")
    assert f"Estimated time to exit: {shown}," in report.markdown
    timeline = {row[0]: row for row in report.data.exit_plan.timeline.rows}
    assert timeline["the plan's deadline"][2] == shown
    transition = next(r for r in report.data.exit_plan.timeline.rows if "transitional" in r[0])
    assert transition[2] == shown
    if case == "late":
        over = duration(-plan["deadline"]["margin_seconds"])
        assert report.data.verdict.headline == f"Deadline missed by {over}"
        assert end_to_end - plan["deadline"]["seconds"] == pytest.approx(
            -plan["deadline"]["margin_seconds"]
        )


def test_blocker_count_matches_the_blocker_table(fleet):
    plan = fleet["fits"]
    report = render_report(plan, fleet["audit"])
    severities = [b["severity"] for b in plan["capacity"]["blockers"]]
    assert "blocker" in severities and {"warning", "info"} & set(severities)
    rows = report.data.blockers.rows
    assert [r[0] for r in rows] == ["capacity"] * severities.count("blocker")
    assert figures(report)["Blockers"] == (str(len(rows)), "1 capacity")
    assert "Blockers: 1 blocker (1 capacity);" in report.markdown
    assert "0 blockers stop" not in report.markdown
    capacity = report.data.capacity
    assert capacity is not None
    assert sorted(f.split(":")[0] for f in capacity.blockers) == sorted(severities)


def test_audit_dimensions_are_named_and_the_overall_score_is_not_lock_in(fleet):
    audit = fleet["audit"]
    dims = {d["id"]: d for d in audit["dimensions"]}
    assert dims["lock-in"]["score"] != audit["score"], "the fixture must tell them apart"
    report = render_report(fleet["fits"], audit)
    shown = figures(report)
    lock, sup = dims["lock-in"], dims["suppliers"]
    assert shown["Lock-in"][0] == f"{lock['score']}/100 ({lock['level']})"
    assert shown["Suppliers"][0] == f"{sup['score']}/100 ({sup['level']})"
    assert shown["Audit"][0] == f"{audit['score']}/100 ({audit['level']})"
    for text in (report.markdown, report.html):
        assert not re.search(rf"Lock-in( score)? {audit['score']}/100", text)
    assert report.data.lockin is not None
    assert report.data.lockin.lines[0].startswith(f"Lock-in {lock['score']}/100 ({lock['level']})")


def test_suppliers_are_counted_the_same_way_everywhere(fleet):
    audit = fleet["audit"]
    known = sum(1 for s in audit["suppliers"] if s["classified"])
    unknown = len(audit["suppliers"]) - known
    assert known and unknown == 1
    report = render_report(fleet["fits"], audit)
    counted = f"{known} suppliers + 1 unclassified endpoint"
    md = report.markdown
    assert f"The audit's outside suppliers: {counted};" in md  # lock-in section
    assert f"Outside suppliers: {counted} found." in md  # exit-plan draft
    assert f"alternatives for {counted} outside the fleet" in md  # draft elements
    assert figures(report)["Suppliers"][1] == counted
    numbers = {int(n) for n in re.findall(r"(\d+) (?:outside )?suppliers\b", md)}
    assert numbers == {known}, numbers


def test_roles_per_host_fill_the_role_views_and_the_schedule(fleet):
    plan = fleet["fits"]
    hosts = plan["transfer"]["hosts"]
    assert all(h["role"] for h in hosts)
    report = render_report(plan)
    data = report.data.data
    assert data.roles is not None
    assert sum(s.hosts for s in data.roles) == len(hosts)
    assert {s.name for s in data.roles} == {h["role"] for h in hosts}
    table = report.data.schedule.full_table
    assert "role" in table.columns and "wave" not in table.columns
    role = table.columns.index("role")
    by_id = {h["id"]: h["role"] for h in hosts}
    assert all(row[role] == by_id[row[0]] for row in table.rows)
    assert "gives no role per host" not in report.markdown


def test_older_plans_take_roles_from_the_capacity_servers(fleet):
    plan = dict(fleet["fits"])
    plan["transfer"] = {
        **plan["transfer"],
        "hosts": [{k: v for k, v in h.items() if k != "role"} for h in plan["transfer"]["hosts"]],
    }
    report = render_report(plan)
    placed = {s["id"]: s["role"] for s in plan["capacity"]["servers"]}
    roles = report.data.data.roles
    assert roles is not None
    assert sum(s.hosts for s in roles if s.name != "unknown") == len(placed)


def test_the_plans_confidence_is_in_the_verdict_and_the_draft(fleet):
    plan = fleet["fits"]
    level = plan["confidence"]["level"]
    report = render_report(plan, fleet["audit"])
    assert figures(report)["Confidence"][0] == level
    line = next(x for x in report.data.verdict.lines if x.startswith("Confidence "))
    assert line.startswith(f"Confidence {level}: ")
    assert all(note in line for note in plan["confidence"]["notes"])
    assert f"Confidence of the plan: {level}:" in report.markdown
    assert f'<div class="label">Confidence</div><div class="value">{level}</div>' in report.html


def test_met_deadline_with_a_capacity_blocker_says_so(fleet):
    plan = dict(fleet["fits"])
    plan["deadline"] = {**plan["deadline"], "meets": True}
    plan["capacity"] = {**plan["capacity"], "unplaced": []}
    report = render_report(plan)
    spare = duration(plan["deadline"]["margin_seconds"])
    assert report.data.verdict.headline == (
        f"Deadline met with {spare} to spare; 1 blocker (1 capacity) to resolve first"
    )
    assert report.data.verdict.tone == "warn"
