import pytest

from planner.core.generate import generate_fleet
from planner.core.plan import build_plan
from planner.io.inventory_file import load_inventory
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.io.transfer_seeds import transfer_seeds
from planner.models import Link
from planner.models.plan import Plan, PlanOptions
from planner.models.seeds import FleetProfile, Scenario
from tests.core.plan_helpers import FAST_OPTIONS, fast_server, inventory

SEEDS = transfer_seeds()
CATALOG = aws_instance_types()


@pytest.fixture(scope="module")
def scenario_fleet():
    scenario = load_yaml_seed("scenarios/forced-exit-2021.yaml", Scenario)
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    fleet = scenario.fleet
    inv = generate_fleet(
        profile,
        CATALOG,
        servers=fleet.servers,
        data_bytes=fleet.data_bytes,
        seed=fleet.seed,
        regions=fleet.regions,
    )
    return inv, scenario.deadline_seconds


def replay(inv, suggestion) -> Plan:
    return build_plan(inv, SEEDS, suggestion.options, CATALOG)


def first_meeting(plan):
    return next(s for s in plan.suggestions if s.meets)


def test_scenario_misses_24h_and_the_suggestion_meets_it(scenario_fleet):
    inv, deadline = scenario_fleet
    plan = build_plan(inv, SEEDS, PlanOptions(deadline_seconds=deadline), CATALOG)
    assert plan.deadline.meets is False
    assert plan.deadline.margin_seconds < 0
    assert plan.transfer.bulk_seconds >= plan.transfer.lower_bound_seconds * (1 - 1e-9)
    assert sum(h.bytes for h in plan.transfer.hosts) == plan.inventory.total_bytes
    suggestion = first_meeting(plan)
    applied = replay(inv, suggestion)
    assert applied.deadline.meets is True
    assert applied.cutover.completion_seconds == pytest.approx(
        suggestion.resulting_completion_seconds
    )
    # the change only touches hosts that were late
    late = {h.id for h in plan.cutover.hosts if h.completion_seconds > deadline}
    assert set(suggestion.options.host_overrides) <= late


def test_a_met_deadline_has_no_suggestions_and_a_positive_margin():
    inv = inventory(fast_server("a", "1TB"))
    plan = build_plan(inv, SEEDS, PlanOptions(deadline_seconds=86400, **FAST_OPTIONS))
    assert plan.deadline.meets is True and plan.deadline.margin_seconds > 0
    assert plan.suggestions == []
    no_deadline = build_plan(inv, SEEDS, PlanOptions(**FAST_OPTIONS))
    deadline = no_deadline.deadline.model_dump()
    assert {k: deadline[k] for k in ("seconds", "meets", "margin_seconds")} == {
        "seconds": None,
        "meets": None,
        "margin_seconds": None,
    }
    assert deadline["completion_seconds"] > 0  # when the exit is done, deadline or not


def test_a_full_shared_link_gets_a_computed_upgrade_that_meets():
    servers = [fast_server(f"h{i}", "2TB") for i in range(20)]
    inv = inventory(*servers, links=[{"name": "uplink", "capacity": "10Gbps"}])
    options = PlanOptions(deadline_seconds=10 * 3600, **FAST_OPTIONS)
    plan = build_plan(inv, SEEDS, options)
    assert plan.transfer.bottleneck == "link:uplink"
    assert not plan.deadline.meets
    link_fix = next(s for s in plan.suggestions if s.action == "link")
    assert link_fix.meets
    assert replay(inv, link_fix).deadline.meets
    # 40 TB take 11.8 h at 75% efficiency of 10 Gbps: one more 10 Gbps link fits 10 h
    assert "add 1 more 10 Gbit/s link" in link_fix.summary
    [bigger] = link_fix.options.links
    assert bigger.members == ["*"]


def test_target_port_and_streams_suggestions(scenario_fleet):
    inv = inventory(fast_server("big", "8TB", vcpus=16, network={"baseline": "10Gbps"}))
    options = PlanOptions(deadline_seconds=12 * 3600, rtt_seconds=0.02, loss_rate=1e-5)
    plan = build_plan(inv, SEEDS, options)
    actions = [s.action for s in plan.suggestions]
    assert actions[0] == "target-port"
    assert "streams" in actions
    assert replay(inv, first_meeting(plan)).deadline.meets


def test_unfixable_host_says_so():
    server = fast_server("slow", "20TB", vcpus=2, network={"baseline": "500Mbps"})
    plan = build_plan(inventory(server), SEEDS, PlanOptions(deadline_seconds=3600))
    last = plan.suggestions[-1]
    assert last.action == "none" and not last.meets
    assert "instance-network" in last.summary


def test_concurrency_limit_and_its_suggestion():
    # 8 hosts of 5 TB at 10 Gbps ports (the fastest option) take 1.5 h each; 2 at a time: 5.9 h
    servers = [fast_server(f"h{i}", "5TB") for i in range(8)]
    fast = {**FAST_OPTIONS, "target_port_bits_per_second": 10e9}
    options = PlanOptions(deadline_seconds=4 * 3600, concurrency=2, **fast)
    plan = build_plan(inventory(*servers), SEEDS, options)
    assert plan.transfer.lower_bound_terms[0].name == "concurrency"
    # four rounds of two hosts, each round with its session set-up (10 round trips of 1 ms)
    tools = SEEDS.tools
    setup = tools.session_setup.rsync_seconds + tools.handshake.round_trips * 0.001
    copy = 5e12 * 8 / (10e9 * 0.941 * 0.9988 * 0.8)
    assert plan.transfer.bulk_seconds == pytest.approx(4 * (setup + copy))
    [fix] = plan.suggestions
    assert fix.action == "concurrency" and fix.meets
    assert fix.options.concurrency == 4
    assert replay(inventory(*servers), fix).deadline.meets


def test_data_stores_bucket_and_database(repo):
    inv = load_inventory(repo / "inventories" / "fleet-40.yaml")
    plan = build_plan(inv, SEEDS, PlanOptions(deadline_seconds=7 * 86400), CATALOG)
    hosts = {h.id: h for h in plan.transfer.hosts}
    cut = {h.id: h for h in plan.cutover.hosts}
    assert hosts["billing-db"].kind == "database"
    assert cut["billing-db"].method == "replication"
    assert cut["billing-db"].downtime_seconds == SEEDS.databases.replication.cutover
    assert hosts["user-uploads"].kind == "object-storage"
    assert hosts["user-uploads"].limited_by in {"link:aws-egress", "link:dc-uplink"} or hosts[
        "user-uploads"
    ].limited_by.startswith(("s3-", "target-port"))
    assert plan.transfer.bottleneck.startswith("link:") or plan.transfer.bottleneck
    assert {a.name for a in plan.assumptions} >= {"S3 requests", "database replication"}


def test_every_assumption_has_a_source_and_confidence_reflects_provenance():
    measured = fast_server("m", "1TB", provenance={"volumes": "measured"})
    assumed = fast_server("a", "3TB", provenance={"volumes": "assumed"})
    plan = build_plan(
        inventory(measured, assumed), SEEDS, PlanOptions(rtt_seconds=0.01, loss_rate=1e-6)
    )
    assert all(a.source and a.value for a in plan.assumptions)
    assert plan.confidence.measured_bytes_fraction == pytest.approx(0.25)
    assert plan.confidence.level == "low"
    assert {h.id: h.confidence for h in plan.transfer.hosts} == {"m": "measured", "a": "assumed"}
    sources = {a.name: a.source for a in plan.assumptions}
    assert sources["round-trip time"] == "option --rtt"
    assert sources["streams per host"].startswith("seeds/transfer/tools.yaml")


def test_exit_waiver_is_reported_with_its_conditions(scenario_fleet):
    inv, deadline = scenario_fleet
    plan = build_plan(inv, SEEDS, PlanOptions(deadline_seconds=deadline), CATALOG)
    assert plan.cost.egress_usd > 4000  # ~70 TB at list price
    assert plan.cost.egress_usd_if_waived == 0
    assert any("60 days" in c for c in plan.cost.waiver.conditions)
    assert "cannot count on it" in plan.cost.waiver.reason
    assert plan.capacity is None


def test_capacity_section_plugs_in():
    plan = build_plan(inventory(fast_server("a", "1GB")), SEEDS)
    plugged = plan.model_copy(update={"capacity": Link(name="x", capacity_bits_per_second=1.0)})
    assert plugged.model_dump(mode="json")["capacity"]["name"] == "x"
    assert plan.model_copy(update={"capacity": {"servers": []}}).model_dump()["capacity"] == {
        "servers": []
    }
