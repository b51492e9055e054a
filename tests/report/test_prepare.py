"""Section data: verdict wording, which hosts get a bar, conservation of hosts and bytes,
roles, waves, cutover, lock-in heat map and the exit-plan timeline."""

from __future__ import annotations

from typing import Any

import pytest

from planner.io.seeds import load_yaml_seed
from planner.report import prepare, schedule, story
from planner.report.audit_views import AuditView
from planner.report.exit_plan import exit_plan
from planner.report.lockin import heat_map, workload_services
from planner.report.model import duration, money
from planner.report.regulation import SEED, RegulationSeed
from planner.report.story import exit_seconds
from planner.report.verdict import verdict
from planner.report.views import PlanView

HOUR = 3600.0


def host(i: int, size: float, start: float, end: float, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"h{i:03d}",
        "bytes": size,
        "start_seconds": start,
        "end_seconds": end,
        "rate_bits_per_second": 1e9,
        "limited_by": extra.pop("limited_by", "port"),
        **extra,
    }


def plan(hosts: list[dict[str, Any]], deadline: float | None = 24 * HOUR, **over: Any) -> PlanView:
    bulk = max(h["end_seconds"] for h in hosts)
    doc: dict[str, Any] = {
        "schema_version": 1,
        "inventory": {"servers": len(hosts), "total_bytes": sum(h["bytes"] for h in hosts)},
        "deadline": {
            "seconds": deadline,
            "meets": None if deadline is None else bulk <= deadline,
            "margin_seconds": None if deadline is None else deadline - bulk,
        },
        "transfer": {
            "bulk_seconds": bulk,
            "lower_bound_seconds": bulk * 0.9,
            "bottleneck": "port",
            "hosts": hosts,
        },
        "cutover": {"downtime_seconds": 120.0, "rounds": 3, "converges": True},
        "cost": {"egress_usd": 1234.5, "egress_usd_if_waived": 0.0, "target_monthly_usd": None},
        "suggestions": [],
        "assumptions": [{"name": "x", "value": "1", "source": "s"}],
    }
    doc.update(over)
    return PlanView.model_validate(doc)


@pytest.fixture(scope="module")
def seed() -> RegulationSeed:
    return load_yaml_seed(SEED, RegulationSeed)


def test_verdict_missed_met_and_without_deadline():
    missed = verdict(plan([host(1, 1e12, 0, 30 * HOUR)]), None)
    assert missed.headline == "Deadline missed by 6 h" and missed.tone == "bad"
    met = verdict(plan([host(1, 1e12, 0, 20 * HOUR + 90)]), None)
    assert met.headline == "Deadline met with 3 h 58 min to spare" and met.tone == "good"
    none = verdict(plan([host(1, 1e12, 0, 20 * HOUR)], deadline=None), None)
    assert none.headline == "No deadline set: the exit takes 20 h 2 min"  # copy + downtime
    assert any("$1,234" in line for line in none.lines)


def test_gantt_shows_last_and_longest_hosts_and_summarises_the_rest():
    hosts = [host(i, 1e9, i * 10.0, i * 10.0 + 100) for i in range(200)]
    hosts.append(host(900, 5e12, 0, 40 * HOUR, limited_by="disk"))
    hosts.append(host(901, 1e9, 50 * HOUR, 50 * HOUR + 5))  # short, but finishes last
    view = plan(hosts)
    sched = schedule.schedule(view, count=20)
    labels = {b.label for b in sched.bars}
    assert len(sched.bars) == 20 and sched.hidden_hosts == 182
    assert {"h900", "h901"} <= labels
    assert [b.start_seconds for b in sched.bars] == sorted(b.start_seconds for b in sched.bars)
    assert "182 hosts" in sched.lines[0]
    assert len(sched.full_table.rows) == 202 and len(sched.spans) == 202


def test_breakdown_conserves_hosts_and_bytes(plan500):
    view = PlanView.model_validate(plan500)
    shares = schedule.breakdown(view).shares
    assert sum(s.hosts for s in shares) == len(view.transfer.hosts)
    assert sum(s.bytes for s in shares) == pytest.approx(view.inventory.total_bytes)
    hours = [s.host_seconds for s in shares]
    assert hours == sorted(hours, reverse=True)


def test_roles_when_present_and_largest_hosts_only_when_not():
    with_roles = plan(
        [
            host(1, 3e12, 0, 10, role="db"),
            host(2, 1e12, 0, 10, role="web"),
            host(3, 2e12, 0, 10, role="db"),
        ]
    )
    data = prepare.data_by_role(with_roles)
    assert data.roles is not None
    assert [(s.name, s.hosts, s.bytes) for s in data.roles] == [("db", 2, 5e12), ("web", 1, 1e12)]
    assert data.roles_table is not None and data.roles_table.rows[0][4] == "h001"
    without = prepare.data_by_role(plan([host(1, 3e12, 0, 10), host(2, 1e12, 0, 10)]))
    assert without.roles is None and [r[0] for r in without.largest.rows] == ["h001", "h002"]


def test_waves_from_host_keys_and_from_the_waves_list():
    hosts = [
        host(1, 1e12, 0, 100, wave="A"),
        host(2, 1e12, 50, 300, wave="B"),
        host(3, 2e12, 60, 200),
    ]
    view = plan(hosts)
    waves = schedule.schedule(view).waves
    assert [(w.group, w.start_seconds, w.end_seconds, w.bytes) for w in waves] == [
        ("A", 0, 100, 1e12),
        ("B", 50, 300, 1e12),
    ]
    listed = plan(
        hosts,
        transfer={
            **view.transfer.model_dump(),
            "hosts": hosts,
            "waves": [{"id": "B", "hosts": ["h002", "h003"]}],
        },
    )
    waves = {w.group: w for w in schedule.schedule(listed).waves}
    assert waves["B"].bytes == 3e12 and waves["B"].start_seconds == 50


def test_cutover_rounds_and_hosts_that_never_converge():
    view = plan(
        [host(1, 1e12, 0, 10, converges=False), host(2, 1e12, 0, 10)],
        cutover={
            "downtime_seconds": 60,
            "converges": False,
            "rounds": [
                {"round": 1, "bytes": 1e12, "seconds": 8000},
                {"round": 2, "bytes": 1e10, "duration_seconds": 80},
            ],
        },
    )
    cut = prepare.cutover(view)
    assert cut.rounds == [("1", 8000, 1e12), ("2", 80, 1e10)]
    assert cut.not_converging is not None and cut.not_converging.rows == [("h001", "", "")]
    assert any("NOT converge" in line for line in cut.lines)


def test_hosts_that_do_not_converge_show_why_and_are_not_blockers():
    reason = "round limit (5) reached: the last round, 5 min, runs with services stopped"
    view = plan(
        [host(1, 1e12, 0, 10, converges=False), host(2, 1e12, 0, 10)],
        cutover={
            "downtime_seconds": 300,
            "converges": False,
            "rounds": 5,
            "non_converging": [{"id": "h001", "reason": reason, "downtime_seconds": 300}],
        },
    )
    cut = prepare.cutover(view)
    assert cut.not_converging is not None
    assert cut.not_converging.rows == [("h001", reason, "5 min")]
    assert story.blocker_count(view, None).total == 0


def test_heat_map_counts_services_by_class_from_both_sides(audit):
    view = AuditView.model_validate(audit)
    mapping = workload_services(view)
    heat = heat_map(view)
    assert heat is not None and heat.columns == ["portable", "compatible", "proprietary"]
    for workload, row in zip(heat.rows, heat.counts, strict=True):
        assert sum(row) == len(mapping[workload])
    assert heat.rows[:2] == ["app", "media"]  # most proprietary, then most compatible
    doc = dict(
        audit, workloads=[], services=[{**s, "workloads": ["only"]} for s in audit["services"][:3]]
    )
    heat = heat_map(AuditView.model_validate(doc))
    assert heat is not None and heat.rows == ["only"] and heat.counts == [[2, 1, 0]]


def test_exit_plan_timeline_against_data_act_periods(seed, audit):
    view = plan(
        [host(1, 1e12, 0, 40 * 86400.0)],
        capacity={
            "servers": [{"source_id": "h001", "offering": "X"}],
            "provisioning_seconds": 86400.0,
            "blockers": [],
        },
    )
    assert exit_seconds(view) == pytest.approx(41 * 86400.0 + 120)
    draft = exit_plan(view, AuditView.model_validate(audit), seed)
    fits = {row[0]: row[3] for row in draft.timeline.rows}
    assert fits["the plan's deadline"] == "NO"
    assert fits["Maximum transitional period (switch or port all exportable data)"] == "NO"
    assert fits["Window to complete the move for AWS's exit egress credit"] == "yes"
    assert any(r[0] == "BLOCKER: kms" for r in draft.data.rows)
    assert all(r[3] != "–" for r in draft.elements.rows), "every element needs content"
    assert draft.lines[0].startswith("DRAFT")


def test_formatting():
    assert duration(None) == "unknown" and duration(42) == "42 s"
    assert duration(48 * HOUR + 49 * 60) == "48 h 49 min"
    assert duration(5 * 86400 + 3 * HOUR) == "5 d 3 h"
    assert money(5681.61) == "$5,682" and money(0.42) == "$0.42" and money(None) == "unknown"
