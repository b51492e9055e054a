"""``plan --target``: the copy goes to the chosen machines' ports, after they are provisioned."""

import json

import pytest

from planner.core.capacity import plan_capacity
from planner.core.plan import build_plan
from planner.core.plan_target import target_options, with_capacity
from planner.io.transfer_seeds import transfer_seeds
from planner.models.capacity import CapacityOptions, SizingOptions
from planner.models.plan import PlanOptions
from tests.core.catalog_helpers import FIXTURES, fleet, tiny_catalog

HOUR = 3600.0


def _fleet():
    return fleet(
        {"id": "small", "vcpus": 2, "memory": 4, "used": 30, "network": {"baseline": "100Gbps"}},
        {"id": "big", "vcpus": 8, "memory": 32, "used": 300, "network": {"baseline": "100Gbps"}},
    )


def _capacity(inventory, deadline=None):
    options = CapacityOptions(sizing=SizingOptions(), deadline_seconds=deadline)
    return plan_capacity(inventory, tiny_catalog(), options)


def test_ports_come_from_the_chosen_offerings():
    inventory = _fleet()
    capacity = _capacity(inventory)
    chosen = {p.id: p.offering for p in capacity.servers}
    assert chosen == {"small": "t-small", "big": "t-large"}
    options = target_options(PlanOptions(), capacity, tiny_catalog())
    ports = {k: v.target_port_bits_per_second for k, v in options.host_overrides.items()}
    assert ports == {"small": 1e9, "big": 10e9}
    assert options.target_monthly_usd == capacity.monthly_usd


def test_explicit_target_port_wins():
    inventory = _fleet()
    capacity = _capacity(inventory)
    options = target_options(PlanOptions(target_port_bits_per_second=5e9), capacity, tiny_catalog())
    assert options.host_overrides == {}


def test_provisioning_comes_off_the_copy_deadline():
    capacity = _capacity(_fleet()).model_copy(update={"provisioning_seconds": 2 * HOUR})
    options = target_options(PlanOptions(deadline_seconds=24 * HOUR), capacity, tiny_catalog())
    assert options.deadline_seconds == pytest.approx(22 * HOUR)
    late = capacity.model_copy(update={"provisioning_seconds": 30 * HOUR})
    assert (
        target_options(
            PlanOptions(deadline_seconds=24 * HOUR), late, tiny_catalog()
        ).deadline_seconds
        is None
    )


def test_verdict_adds_provisioning_to_the_copy():
    inventory = _fleet()
    capacity = _capacity(inventory).model_copy(update={"provisioning_seconds": 5 * HOUR})
    deadline = 24 * HOUR
    options = target_options(PlanOptions(deadline_seconds=deadline), capacity, tiny_catalog())
    copy = build_plan(inventory, transfer_seeds(), options)
    plan = with_capacity(copy, capacity, deadline)
    expected = 5 * HOUR + copy.cutover.completion_seconds
    assert plan.deadline.completion_seconds == pytest.approx(expected)
    assert plan.deadline.margin_seconds == pytest.approx(deadline - expected)
    assert plan.deadline.seconds == deadline
    assert plan.deadline.meets is (expected <= deadline)
    assert plan.capacity is capacity
    assert plan.cost.target_monthly_usd == capacity.monthly_usd
    assert any(a.name == "provisioning before copy" for a in plan.assumptions)
    # the same copy with slow provisioning misses
    slow = capacity.model_copy(update={"provisioning_seconds": deadline})
    missed = with_capacity(copy, slow, deadline)
    assert missed.deadline.meets is False
    assert any("longer than the deadline" in w for w in missed.warnings)


def test_unplaced_servers_miss_the_deadline_even_with_time_to_spare():
    inventory = fleet(
        {"id": "huge", "vcpus": 64, "memory": 512, "used": 10},
        {"id": "small", "vcpus": 2, "memory": 4, "used": 1},
    )
    capacity = _capacity(inventory)
    assert [u.id for u in capacity.unplaced] == ["huge"]
    copy = build_plan(inventory, transfer_seeds(), PlanOptions(deadline_seconds=1000 * HOUR))
    plan = with_capacity(copy, capacity, 1000 * HOUR)
    assert plan.deadline.margin_seconds > 0
    assert plan.deadline.meets is False


def test_cli_plan_with_target_json(cli, tmp_path):
    path = tmp_path / "inv.yaml"
    path.write_text(
        "servers:\n"
        "  - {id: a, vcpus: 2, memory: 4GiB, volumes: [{size: 60GB, used: 30GB}]}\n"
        "  - {id: b, vcpus: 8, memory: 32GiB, volumes: [{size: 600GB, used: 300GB}]}\n"
    )
    result = cli(
        "plan",
        path,
        "--target",
        "tiny",
        "--catalog-dir",
        FIXTURES,
        "--deadline",
        "24h",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {s["id"]: s["offering"] for s in doc["capacity"]["servers"]} == {
        "a": "t-small",
        "b": "t-large",
    }
    assert doc["capacity"]["provisioning_seconds"] >= 0
    assert isinstance(doc["capacity"]["blockers"], list)
    assert doc["deadline"]["completion_seconds"] == pytest.approx(
        doc["capacity"]["provisioning_seconds"] + doc["cutover"]["completion_seconds"]
    )
    assert doc["cost"]["target_monthly_usd"] == doc["capacity"]["monthly_usd"]


def test_cli_target_only_options_need_target(cli, tmp_path):
    path = tmp_path / "inv.yaml"
    path.write_text("servers: [{id: a}]\n")
    result = cli("plan", path, "--stock", "3")
    assert result.exit_code == 2
    assert "need --target" in result.stderr


def test_cli_unknown_target_is_exit_2(cli, tmp_path):
    path = tmp_path / "inv.yaml"
    path.write_text("servers: [{id: a}]\n")
    result = cli("plan", path, "--target", "no-such-cloud")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
