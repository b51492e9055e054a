"""The deadline at a target: why it is missed, and changes that respect the target's limits."""

import datetime as dt

import pytest

from planner.core.capacity import plan_capacity
from planner.core.plan import build_plan
from planner.core.plan_target import plan_on_target, target_options
from planner.io.transfer_seeds import transfer_seeds
from planner.models.capacity import CapacityOptions, SizingOptions
from planner.models.catalog import PortSpeeds
from planner.models.plan import PlanOptions
from planner.models.private_target import PrivateTarget
from planner.units import format_duration
from tests.core.catalog_helpers import fleet, make_offering, tiny_catalog, with_offerings

SEEDS = transfer_seeds()
HOUR = 3600.0
DAY = 86400.0
D = dt.date(2026, 1, 1)
EFFICIENCY = 0.941 * 0.9988 * 0.8  # Ethernet goodput x rsync/ssh x the seeded factor
# a server that copies as fast as its target port lets it (fast source, many streams, no loss)
FAST = {"vcpus": 16, "memory": 8, "network": {"baseline": "100Gbps"}}
FAST_COPY = {"streams": 64, "rtt_seconds": 0.001, "loss_rate": 0.0}


def _plan(inventory, catalog, deadline, others=(), **capacity):
    options = PlanOptions(deadline_seconds=deadline, **FAST_COPY)
    cap_options = CapacityOptions(sizing=SizingOptions(), deadline_seconds=deadline, **capacity)
    return plan_on_target(inventory, SEEDS, options, catalog, cap_options, {}, others)


def _lab(cores: int) -> PrivateTarget:
    return PrivateTarget.model_validate(
        {
            "id": "lab",
            "kind": "proxmox",
            "title": "Lab cluster",
            "as_of": "2026-01-01",
            "flavors": [
                {"name": "vm-4", "vcpus": 4, "memory": "8GiB", "disks": "1x200GB ssd"},
            ],
            "hosts": [{"name": "pve", "vcpus": cores, "memory": "64GiB"}],
            "provisioning": {"lead_time": "5m"},
        }
    )


def test_a_miss_with_time_to_spare_says_why():
    inventory = fleet(
        {"id": "huge", "vcpus": 64, "memory": 512, "used": 10},
        {"id": "small", "vcpus": 2, "memory": 4, "used": 1},
    )
    plan = _plan(inventory, tiny_catalog(), 1000 * HOUR)
    d = plan.deadline
    assert d.meets is False and d.time_fits is True and d.margin_seconds > 0
    assert [(r.kind, r.ids) for r in d.reasons] == [("unplaced", ["huge"])]
    # the suggestion is to find it a machine elsewhere; it changes no time
    [place] = plan.suggestions
    assert place.action == "place-elsewhere" and place.resolves == ["unplaced"]
    assert place.meets and place.resulting_completion_seconds == pytest.approx(d.completion_seconds)
    assert "outside Tiny Test Cloud" in place.summary


def test_a_private_cluster_without_room_misses_the_deadline():
    # three 4-vCPU VMs need 12 vCPUs; the one 8-thread host offers 8 (no overcommit)
    catalog = _lab(cores=8).to_catalog("lab.yaml")
    inventory = fleet(*({"id": f"app-{i}", "vcpus": 4, "memory": 8, "used": 10} for i in range(3)))
    plan = _plan(inventory, catalog, 1000 * HOUR)
    assert plan.deadline.time_fits is True and plan.deadline.meets is False
    [reason] = plan.deadline.reasons
    assert reason.kind == "capacity" and "needs 12 vCPUs" in reason.message
    [fix] = plan.suggestions
    assert fix.action == "target-capacity" and fix.resolves == ["capacity"]
    # growing the cluster takes a time the plan does not count: a precondition, not a proof
    assert fix.meets is None and fix.condition and "before the exit starts" in fix.condition
    assert "add about 1 hosts" in fix.summary  # (12 - 8) / 8 threads per host, rounded up
    assert "raise overcommit to at least CPU 1.5x" in fix.summary  # 12 / 8 threads
    assert "memory" not in fix.summary.split("overcommit")[-1]  # memory fits: not named
    roomy = _plan(inventory, _lab(cores=12).to_catalog("lab.yaml"), 1000 * HOUR)
    assert roomy.deadline.meets is True and roomy.deadline.reasons == []
    assert roomy.suggestions == []


def _one_port_catalog(nic, upgrades=()):
    rows = [make_offering("box", 16, 16, 10_000, 50.0, nic=nic, lead=60)]
    ports = PortSpeeds(
        standard_bits_per_second=[nic] if nic else [],
        upgrades_bits_per_second=list(upgrades),
        source="fixture",
        as_of=D,
    )
    limits = {
        "port_speeds": ports,
        "servers_per_network": tiny_catalog().limits.servers_per_network,
    }
    return with_offerings(tiny_catalog(), rows, **limits)


def test_no_port_suggestion_where_the_target_publishes_no_port_speed():
    # 4 TB at the seeded 1 Gbit/s default: 4e12 x 8 / (1e9 x 0.752) = 11.8 h > 6 h
    inventory = fleet({"id": "big", **FAST, "used": 4000})
    plan = _plan(inventory, _one_port_catalog(None), 6 * HOUR)
    assert plan.deadline.meets is False
    assert plan.transfer.hosts[0].limited_by == "target-port"
    assert "target-port" not in [s.action for s in plan.suggestions]
    assert "offers no faster port" in plan.suggestions[-1].summary
    ports = [a for a in plan.assumptions if a.name == "target port"]
    assert len(ports) == 1 and "publishes no port speed for BOX" in ports[0].value
    assert ports[0].value.startswith("1 Gbit/s for 1 servers")


def test_port_upgrade_suggested_only_at_the_speed_the_target_sells():
    inventory = fleet({"id": "big", **FAST, "used": 4000})
    catalog = _one_port_catalog(1e9, upgrades=[10e9])
    plan = _plan(inventory, catalog, 6 * HOUR)
    port = next(s for s in plan.suggestions if s.action == "target-port")
    assert port.options.host_overrides["big"].target_port_bits_per_second == 10e9
    assert "10 Gbit/s" in port.summary and "port upgrade" in port.summary
    assert port.meets
    # the verdict adds provisioning: replaying the copy with its options gives the same time
    capacity = plan.capacity
    replayed = build_plan(inventory, SEEDS, port.options)
    assert port.resulting_completion_seconds == pytest.approx(
        capacity.provisioning_seconds + replayed.cutover.completion_seconds
    )
    assert [a.value for a in plan.assumptions if a.name == "target port"] == [
        "1 Gbit/s for 1 servers: the NIC of BOX (catalog)"
    ]


def test_a_server_without_a_machine_gets_its_port_only_elsewhere():
    inventory = fleet(
        {"id": "huge", "vcpus": 64, "memory": 512, "used": 4000, "network": FAST["network"]},
        {"id": "small", "vcpus": 2, "memory": 4, "used": 1},
    )
    plan = _plan(inventory, tiny_catalog(), 6 * HOUR)
    actions = [s.action for s in plan.suggestions]
    assert actions[0] == "place-elsewhere"
    port = next(s for s in plan.suggestions if s.action == "target-port")
    assert "huge: at the machines found for it outside Tiny Test Cloud" in port.summary
    # nothing meets before the server is placed: the place suggestion comes first
    assert plan.suggestions[0].meets is False
    assert port.meets


def test_provisioning_beyond_the_deadline_says_not_reachable_and_names_another_target():
    slow = with_offerings(
        tiny_catalog(), [make_offering("slow", 4, 8, 500, 30.0, kind="bare-metal", lead=16 * DAY)]
    )
    slow = slow.model_copy(update={"provider": "slow-metal"})
    inventory = fleet({"id": "a", "vcpus": 2, "memory": 4, "used": 10})
    alone = _plan(inventory, slow, DAY)
    [why] = alone.suggestions
    assert why.action == "none" and not why.meets
    assert why.summary.startswith("not reachable at Tiny Test Cloud")
    assert f"SLOW: {format_duration(16 * DAY)} to deliver" in why.summary
    fast = tiny_catalog()
    plan = _plan(inventory, slow, DAY, others=[fast])
    other = plan.suggestions[-1]
    assert other.action == "another-target" and other.meets and other.cumulative is False
    assert other.targets == ["tiny"]
    # its time is the other target's machines + its copy, planned in full
    capacity = plan_capacity(inventory, fast, CapacityOptions(deadline_seconds=DAY))
    copy = build_plan(inventory, SEEDS, target_options(PlanOptions(**FAST_COPY), capacity, fast))
    assert other.resulting_completion_seconds == pytest.approx(
        capacity.provisioning_seconds + copy.cutover.completion_seconds
    )


def test_an_unknown_server_limit_is_counted_and_raising_it_ahead_is_suggested():
    catalog = with_offerings(
        tiny_catalog(),
        [make_offering("small", 2, 4, 50, 10.0)],
        servers_per_project=tiny_catalog().limits.servers_per_project.model_copy(
            update={"value": None}
        ),
    )
    inventory = fleet({"id": "a", "vcpus": 2, "memory": 4, "used": 10})
    plan = _plan(inventory, catalog, HOUR)  # the fixture's raise takes 2 h
    assert plan.deadline.provisioning_seconds == 2 * HOUR + 60
    assert plan.deadline.meets is False
    [fix] = plan.suggestions
    assert fix.action == "server-limit" and fix.meets
    assert "--server-limit 1" in fix.summary
    assert fix.resulting_completion_seconds == pytest.approx(
        plan.deadline.completion_seconds - 2 * HOUR
    )
    stated = _plan(inventory, catalog, HOUR, server_limit=1)
    assert stated.deadline.meets is True and stated.deadline.provisioning_seconds == 60


def test_the_waiver_sentence_uses_the_end_to_end_time():
    slow = with_offerings(tiny_catalog(), [make_offering("slow", 4, 8, 500, 30.0, lead=3 * DAY)])
    inventory = fleet(
        {"id": "a", "vcpus": 2, "memory": 4, "used": 10, "source": {"provider": "aws"}}
    )
    plan = _plan(inventory, slow, 5 * DAY)
    done = plan.deadline.completion_seconds
    assert done > 3 * DAY
    assert f"this plan takes {format_duration(done)}" in plan.cost.waiver.reason


def test_block_storage_price_is_an_assumption_when_volumes_are_bought():
    inventory = fleet({"id": "data", "vcpus": 1, "memory": 1, "used": 400})
    small = with_offerings(tiny_catalog(), [make_offering("small", 2, 4, 50, 10.0)])
    capacity = plan_capacity(inventory, small)
    [line] = [a for a in capacity.assumptions if a.name == "block storage price"]
    # 400 GB x 1.25 headroom = 500 GB on a 50 GB disk: 450 GB of volumes at 0.1 USD/GB
    assert "450 GB of volumes on 1 machines add 45.00 USD/month" in line.value
    assert line.source == "exitplan test fixture"


def test_the_scenario_at_hetzner_robot_is_not_reachable_and_says_what_is():
    from planner.core.generate import generate_fleet
    from planner.io.catalog import list_providers, load_provider, load_sizing_defaults
    from planner.io.seeds import aws_instance_types, load_yaml_seed
    from planner.models.seeds import FleetProfile, Scenario

    scenario = load_yaml_seed("scenarios/forced-exit-2021.yaml", Scenario)
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    types = aws_instance_types()
    f = scenario.fleet
    inventory = generate_fleet(
        profile, types, servers=f.servers, data_bytes=f.data_bytes, seed=f.seed, regions=f.regions
    )
    catalogs = [load_provider(name) for name in list_providers()]
    robot = next(c for c in catalogs if c.provider == "hetzner-robot")
    options = CapacityOptions(
        sizing=SizingOptions.from_defaults(load_sizing_defaults()), deadline_seconds=DAY
    )
    plan = plan_on_target(
        inventory, SEEDS, PlanOptions(deadline_seconds=DAY), robot, options, types, catalogs
    )
    capacity = plan.capacity
    assert plan.deadline.meets is False
    assert capacity.provisioning.lead_time_seconds == 16 * DAY  # restock beyond typical stock
    # no machine pays for a dearer model that arrives no sooner than the fleet anyway
    for placement in capacity.servers:
        if placement.note:
            assert placement.lead_time_seconds < capacity.provisioning.lead_time_seconds
    actions = [s.action for s in plan.suggestions]
    assert actions[0] == "none" and "not reachable at Hetzner dedicated servers" in (
        plan.suggestions[0].summary
    )
    assert "another-target" in actions
    other = next(s for s in plan.suggestions if s.action == "another-target")
    assert other.targets != ["hetzner-robot"] and other.cumulative is False


def test_unknown_sizes_leave_the_target_verdict_unproven():
    inventory = fleet(
        {"id": "known", "vcpus": 2, "memory": 4, "used": 10, "source": {"provider": "aws"}},
        {"id": "blank", "vcpus": 2, "memory": 4},  # no volumes: its size is unknown
    )
    plan = _plan(inventory, tiny_catalog(), 1000 * HOUR)
    assert plan.inventory.unknown_size == ["blank"]
    assert plan.deadline.reasons == []
    assert plan.deadline.meets is None  # the known part fits; that proves nothing for "blank"
    assert plan.deadline.time_fits is None and plan.deadline.margin_seconds is None
    assert "the items of known size take" in plan.cost.waiver.reason
