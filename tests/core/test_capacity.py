import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.capacity import plan_capacity
from planner.core.consolidation import _capacity, _ffd, _fits, consolidate
from planner.core.sizing import requirements, size_servers
from planner.models.capacity import CapacityOptions, SizingOptions
from planner.models.catalog import DurationLimit, Limit
from planner.units import format_duration
from tests.core.catalog_helpers import GB, fleet, make_offering, with_offerings

D = "2026-01-01"


def _small_fleet(n, role="web", vcpus=1, memory=2, used=10, **extra):
    return [
        {
            "id": f"{role}-{i:02d}",
            "role": role,
            "vcpus": vcpus,
            "memory": memory,
            "used": used,
            **extra,
        }
        for i in range(n)
    ]


def _limits(**values):
    return {k: Limit(value=v, source="fixture", as_of=D) for k, v in values.items()}


def _kinds(plan):
    return {b.kind: b for b in plan.blockers}


def test_consolidation_packs_small_servers_first_fit_decreasing_and_saves(tiny):
    rows = [
        make_offering("small", 2, 4, 50, 10.0),
        make_offering("host", 16, 64, 2000, 60.0, kind="bare-metal"),
    ]
    catalog = with_offerings(tiny, rows)
    options = SizingOptions(consolidate=True, reserve_vcpus=1, reserve_memory_bytes=2 * 2**30)
    inv = fleet(*_small_fleet(20, vcpus=2, memory=4, used=20))
    fits = size_servers(requirements(inv, options), catalog, options)
    packing = consolidate(fits, catalog, options)
    # host: 15 vCPUs and 62 GiB usable -> 7 servers of 2 vCPUs each; 20 servers -> 3 hosts
    assert [len(h.servers) for h in packing.hosts] == [7, 7, 6]
    assert all(h.vcpus_used <= 15 and h.memory_bytes_used <= 62 * 2**30 for h in packing.hosts)
    assert packing.monthly_usd_without == 200.0 and packing.monthly_usd_with == 180.0
    plan = plan_capacity(inv, catalog, CapacityOptions(sizing=options))
    assert plan.consolidation.enabled
    assert plan.consolidation.saving_usd == 20.0
    assert (plan.consolidation.machines_without, plan.consolidation.machines_with) == (20, 3)
    assert plan.machines == 3 and plan.monthly_usd == 180.0
    shared = [s for s in plan.servers if s.consolidated]
    assert len(shared) == 20 and {s.host for s in shared} == {
        "web-host-001",
        "web-host-002",
        "web-host-003",
    }
    assert sum(s.monthly_usd for s in plan.servers) == pytest.approx(180.0, abs=0.05)


def test_consolidation_is_dropped_when_it_does_not_save(tiny):
    rows = [make_offering("small", 2, 4, 50, 5.0), make_offering("host", 16, 64, 2000, 60.0)]
    inv = fleet(*_small_fleet(10, vcpus=2, memory=4, used=20))
    plan = plan_capacity(
        inv, with_offerings(tiny, rows), CapacityOptions(sizing=SizingOptions(consolidate=True))
    )
    assert not plan.consolidation.enabled and plan.consolidation.saving_usd == 0
    assert plan.machines == 10 and not any(s.consolidated for s in plan.servers)


def test_consolidation_keeps_roles_apart_unless_asked(tiny):
    rows = [make_offering("small", 2, 4, 50, 10.0), make_offering("host", 16, 64, 2000, 30.0)]
    inv = fleet(*_small_fleet(4, "web", 2, 4, 20), *_small_fleet(4, "db", 2, 4, 20))
    catalog = with_offerings(tiny, rows)
    by_role = plan_capacity(inv, catalog, CapacityOptions(sizing=SizingOptions(consolidate=True)))
    assert by_role.consolidation.machines_with == 2 and by_role.monthly_usd == 60.0
    assert {h.group for h in by_role.consolidation.hosts} == {"web", "db"}
    together = SizingOptions(consolidate=True, consolidate_by="all")
    plan = plan_capacity(inv, catalog, CapacityOptions(sizing=together))
    # 7 servers fit one host (15 vCPUs usable); the eighth stays alone on its own cheapest offering
    assert plan.consolidation.machines_with == 2 and plan.monthly_usd == 40.0
    assert [len(h.servers) for h in plan.consolidation.hosts] == [7]
    assert {h.group for h in plan.consolidation.hosts} == {"all"}


def test_network_and_project_limits_with_quota_raise_and_api_time(tiny):
    rows = [make_offering("small", 2, 4, 50, 10.0)]
    catalog = with_offerings(
        tiny, rows
    )  # tiny: 5 per project (raise 2 h), 3 per network, 60 req/h, burst 10
    plan = plan_capacity(fleet(*_small_fleet(8)), catalog)
    kinds = _kinds(plan)
    assert kinds["network-limit"].message == (
        "8 servers exceed the 3-servers-per-network limit: split into 3 networks"
    )
    assert kinds["server-limit"].severity == "warning"
    assert (
        "exceed the 5-server limit (published): request a raise to 8"
        in kinds["server-limit"].message
    )
    assert plan.provisioning.quota_raise_seconds == 7200
    # 8 servers x 2 requests = 16; burst 10; the other 6 at 60/h = 360 s
    assert plan.provisioning.api_requests == 16
    assert plan.provisioning.api_seconds == 360
    assert plan.provisioning_seconds == 7200 + 360 + 60
    within = plan_capacity(fleet(*_small_fleet(8)), catalog, CapacityOptions(server_limit=10))
    assert "server-limit" not in _kinds(within) and within.provisioning.quota_raise_seconds == 0


def test_four_hundred_servers_on_hetzner_cloud_need_four_networks():
    from planner.io.catalog import load_provider

    catalog = load_provider("hetzner-cloud")
    plan = plan_capacity(fleet(*_small_fleet(400, vcpus=2, memory=4, used=10)), catalog)
    assert _kinds(plan)["network-limit"].message == (
        "400 servers exceed the 100-servers-per-network limit: split into 4 networks"
    )
    # the limit is not published: the assumed raise time (limits.yaml: 1 d) is counted
    assert catalog.limits.servers_per_project.effective is None
    assert catalog.limits.quota_raise_seconds.effective == 86400
    assert _kinds(plan)["server-limit"].severity == "warning"
    counted = f"counted in provisioning: {format_duration(86400)}"
    assert counted in _kinds(plan)["server-limit"].message
    assert plan.provisioning.quota_raise_seconds == 86400
    assert "limit is unknown" in (plan.provisioning.quota_raise_reason or "")
    assert plan.provisioning.api_requests == 1200 and plan.provisioning.api_seconds == 0
    assert plan.provisioning_seconds == 86400 + 60  # raise + one minute to build
    assert {s.offering for s in plan.servers} == {"cx22"}
    # a stated limit that fits removes the raise
    stated = plan_capacity(
        fleet(*_small_fleet(400, vcpus=2, memory=4, used=10)),
        catalog,
        CapacityOptions(server_limit=400),
    )
    assert stated.provisioning.quota_raise_seconds == 0 and stated.provisioning_seconds == 60
    assert "server-limit" not in _kinds(stated)


def test_placement_groups_beyond_the_project_allowance(tiny):
    rows = [make_offering("small", 2, 4, 50, 10.0)]
    plan = plan_capacity(
        fleet(*_small_fleet(3, "web"), *_small_fleet(1, "db")), with_offerings(tiny, rows)
    )
    blocker = _kinds(plan)["placement-groups"]
    assert blocker.severity == "warning"
    assert "needs 3 placement groups of at most 2 servers; the project allows 1" in blocker.message


def test_stock_runs_out_next_model_in_stock_then_restock(tiny):
    rows = [
        make_offering(
            "cheap", 4, 8, 500, 40.0, kind="bare-metal", stock=2, restock=10 * 86400, lead=600
        ),
        make_offering(
            "dear", 4, 8, 500, 50.0, kind="bare-metal", stock=1, restock=10 * 86400, lead=600
        ),
    ]
    catalog = with_offerings(tiny, rows)
    # three machines: two CHEAP in stock, the third takes the one DEAR in stock (10 min, not 10 d)
    three = plan_capacity(fleet(*_small_fleet(3, vcpus=4, memory=8, used=100)), catalog)
    by = {r.offering: r for r in three.by_offering}
    assert (by["cheap"].machines, by["cheap"].in_stock, by["dear"].machines) == (2, 2, 1)
    assert three.provisioning.lead_time_seconds == 600
    assert "+10.00 USD/month" in _kinds(three)["substitution"].message
    # five machines: stock covers three, two wait 10 d for a restock whatever happens, so the
    # dearer model in stock would not shorten the wait: all five are the cheapest model
    plan = plan_capacity(fleet(*_small_fleet(5, vcpus=4, memory=8, used=100)), catalog)
    by = {r.offering: r for r in plan.by_offering}
    assert (by["cheap"].machines, by["cheap"].in_stock, by["cheap"].restock) == (5, 2, 3)
    assert "dear" not in by and "substitution" not in _kinds(plan)
    assert plan.monthly_usd == 5 * 40.0
    assert plan.provisioning.lead_time_seconds == 10 * 86400
    assert "5 x CHEAP needed; only 2 typically in stock" in _kinds(plan)["stock"].message
    assert _kinds(plan)["stock"].severity == "warning"
    late = plan_capacity(
        fleet(*_small_fleet(5, vcpus=4, memory=8, used=100)),
        catalog,
        CapacityOptions(deadline_seconds=86400),
    )
    assert _kinds(late)["stock"].severity == "blocker" and not late.meets_deadline
    assert "deadline" in _kinds(late)


def test_no_dearer_model_when_it_arrives_no_sooner(tiny):
    # 4 machines, 1 d deadline: two CHEAP in stock (10 min), then either a CHEAP restock or a
    # DEAR one in stock; both take 16 d, so paying for DEAR gains nothing: all CHEAP, 16 d
    rows = [
        make_offering("cheap", 4, 8, 500, 40.0, kind="bare-metal", stock=2, restock=16 * 86400),
        make_offering("dear", 4, 8, 500, 90.0, kind="bare-metal", lead=16 * 86400),
    ]
    plan = plan_capacity(
        fleet(*_small_fleet(4, vcpus=4, memory=8, used=100)),
        with_offerings(tiny, rows),
        CapacityOptions(deadline_seconds=86400),
    )
    assert {s.offering for s in plan.servers} == {"cheap"}
    assert plan.monthly_usd == 4 * 40.0
    assert plan.provisioning.lead_time_seconds == 16 * 86400
    assert "substitution" not in _kinds(plan) and plan.meets_deadline is False
    # with a DEAR model delivered in time it is worth it for the two beyond stock
    rows[1] = make_offering("dear", 4, 8, 500, 90.0, kind="bare-metal", lead=600)
    quick = plan_capacity(
        fleet(*_small_fleet(4, vcpus=4, memory=8, used=100)),
        with_offerings(tiny, rows),
        CapacityOptions(deadline_seconds=86400),
    )
    assert sorted(s.offering for s in quick.servers) == ["cheap", "cheap", "dear", "dear"]
    assert quick.provisioning.lead_time_seconds == 600 and quick.meets_deadline is True


def test_stock_without_restock_leaves_servers_unplaced(tiny):
    rows = [make_offering("only", 4, 8, 500, 40.0, kind="bare-metal", stock=2, restock=None)]
    plan = plan_capacity(fleet(*_small_fleet(3, vcpus=4, memory=8)), with_offerings(tiny, rows))
    assert plan.machines == 2
    assert [u.id for u in plan.unplaced] == ["web-02"]
    assert "restock time is unknown" in plan.unplaced[0].reason
    assert _kinds(plan)["unplaced"].severity == "blocker"


def test_deadline_prefers_a_dearer_model_delivered_in_time(tiny):
    rows = [
        make_offering("slow", 4, 8, 500, 30.0, kind="bare-metal", lead=16 * 86400),
        make_offering("fast", 4, 8, 500, 45.0, kind="bare-metal", lead=600),
    ]
    catalog = with_offerings(tiny, rows)
    inv = fleet(*_small_fleet(2, vcpus=4, memory=8))
    relaxed = plan_capacity(inv, catalog)
    assert {s.offering for s in relaxed.servers} == {"slow"}
    assert relaxed.provisioning.lead_time_seconds == 16 * 86400
    urgent = plan_capacity(inv, catalog, CapacityOptions(deadline_seconds=86400))
    assert {s.offering for s in urgent.servers} == {"fast"}
    assert urgent.meets_deadline is True
    assert "SLOW (cheapest) takes 16 d to deliver" in urgent.servers[0].note


def test_costs_against_the_source_spend(tiny):
    rows = [make_offering("small", 2, 4, 50, 10.0)]
    inv = fleet(
        {"id": "a", "vcpus": 1, "memory": 2, "used": 5, "monthly_cost_usd": 70.0},
        {"id": "b", "vcpus": 1, "memory": 2, "used": 5, "monthly_cost_usd": 30.0},
        {"id": "c", "vcpus": 1, "memory": 2, "used": 5},
    )
    plan = plan_capacity(inv, with_offerings(tiny, rows))
    assert plan.monthly_usd == 30.0 and plan.setup_usd == 0.0
    assert plan.source_monthly_usd == 100.0 and plan.source_servers_with_cost == 2
    assert plan.target_monthly_usd_for_costed == 20.0
    none_known = plan_capacity(
        fleet({"id": "x", "vcpus": 1, "memory": 1}), with_offerings(tiny, rows)
    )
    assert (
        none_known.source_monthly_usd is None and none_known.target_monthly_usd_for_costed is None
    )


def test_unplaced_servers_carry_reasons_and_block(tiny):
    rows = [make_offering("small", 2, 4, 50, 10.0)]
    plan = plan_capacity(
        fleet({"id": "huge", "vcpus": 64, "memory": 512, "used": 10}), with_offerings(tiny, rows)
    )
    assert plan.machines == 0 and plan.servers == []
    assert plan.unplaced[0].id == "huge"
    assert "needs 64 vCPUs" in plan.unplaced[0].reason
    assert _kinds(plan)["unplaced"].message.startswith(
        "1 servers have no target machine. huge: needs 64"
    )


def test_assumptions_list_every_figure_with_a_source(tiny):
    rows = [make_offering("small", 2, 4, 50, 10.0)]
    plan = plan_capacity(
        fleet(*_small_fleet(2), {"id": "blank", "os": {}}), with_offerings(tiny, rows)
    )
    names = {a.name: a for a in plan.assumptions}
    for name in (
        "disk headroom",
        "traffic policy",
        "offering small",
        "server limit",
        "quota raise time",
        "API rate limit",
        "API requests per server",
        "unknown vcpus",
        "unknown architecture",
    ):
        assert name in names, name
        assert names[name].source
    assert names["API rate limit"].value == "60 requests per 1 h"
    assert names["unknown vcpus"].value == "1 servers"


def test_limits_are_values_not_code(tiny):
    rows = [make_offering("small", 2, 4, 50, 10.0)]
    loose = with_offerings(
        tiny, rows, **_limits(servers_per_network=None, servers_per_project=None)
    )
    plan = plan_capacity(fleet(*_small_fleet(8)), loose)
    assert "network-limit" not in _kinds(plan)
    # unknown limit, known raise time (the fixture's 2 h): the raise is counted
    assert _kinds(plan)["server-limit"].severity == "warning"
    assert plan.provisioning.quota_raise_seconds == 2 * 3600
    no_raise_time = with_offerings(
        tiny,
        rows,
        **_limits(servers_per_network=None, servers_per_project=None),
        quota_raise_seconds=DurationLimit(value=None, source="fixture", as_of=D),
    )
    unknown = plan_capacity(fleet(*_small_fleet(8)), no_raise_time)
    assert _kinds(unknown)["server-limit"].severity == "info"
    assert "raise time unknown: not counted" in _kinds(unknown)["server-limit"].message
    assert unknown.provisioning.quota_raise_seconds == 0


def test_block_storage_counts_in_cost_and_placement(tiny):
    rows = [make_offering("small", 2, 4, 50, 10.0)]
    plan = plan_capacity(
        fleet({"id": "data", "vcpus": 1, "memory": 1, "used": 400}), with_offerings(tiny, rows)
    )
    (server,) = plan.servers
    assert server.block_storage_bytes == 450 * GB
    assert server.monthly_usd == 55.0


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(1, 8), st.sampled_from([1, 2, 4, 8, 16]), st.integers(0, 400)),
        min_size=2,
        max_size=25,
    ),
)
def test_pruned_consolidation_equals_exhaustive_search(tiny, servers):
    rows = [
        make_offering("s", 2, 4, 100, 8.0),
        make_offering("m", 8, 32, 500, 25.0),
        make_offering("l", 16, 64, 1000, 45.0, kind="bare-metal"),
        make_offering("xl", 32, 128, 4000, 80.0, kind="bare-metal", count=2),
    ]
    catalog = with_offerings(tiny, rows)
    options = SizingOptions(consolidate=True)
    inv = fleet(
        *[
            {"id": f"s{i:02d}", "vcpus": v, "memory": m, "used": d}
            for i, (v, m, d) in enumerate(servers)
        ]
    )
    fits = size_servers(requirements(inv, options), catalog, options)
    own = {f.requirement.id: f.candidates[0].monthly_usd for f in fits if f.candidates}
    members = [f.requirement for f in fits if f.candidates]
    best = None
    for offering in catalog.offerings:
        cap = _capacity(offering, options)
        items = [r for r in members if _fits(r, *cap)]
        if cap[0] <= 0 or cap[1] <= 0 or len(items) < 2:
            continue
        shared = [b for b in _ffd(items, cap) if len(b.items) > 1]
        packed = {r.id for b in shared for r in b.items}
        cost = len(shared) * offering.monthly_usd + sum(
            own[r.id] for r in members if r.id not in packed
        )
        best = cost if best is None else min(best, cost)
    alone = sum(own.values())
    expected = alone if best is None or best >= alone - 0.005 else best
    assert consolidate(fits, catalog, options).monthly_usd_with == pytest.approx(
        expected, abs=0.011
    )
