import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.sizing import candidate, requirements, size_servers
from planner.io.seeds import aws_instance_types
from planner.models.capacity import Requirement, SizingOptions
from tests.core.catalog_helpers import GB, GIB, fleet, make_offering, with_offerings

OPTS = SizingOptions()


def _req(rid="s", vcpus=2, memory_gib=4.0, disk_gb=10.0, arch="x86_64"):
    return Requirement(
        id=rid,
        role="web",
        vcpus=vcpus,
        memory_bytes=int(memory_gib * GIB),
        disk_bytes=int(disk_gb * GB),
        architecture=arch,
    )


offerings_strategy = st.lists(
    st.tuples(
        st.integers(1, 64),
        st.sampled_from([1, 2, 4, 8, 16, 32, 64, 128, 256]),
        st.sampled_from([0, 20, 40, 80, 160, 500, 2000, 8000]),
        st.integers(1, 40).map(lambda p: p * 5.0),
        st.sampled_from(["vm", "bare-metal"]),
        st.integers(1, 4),
    ),
    min_size=1,
    max_size=12,
)
reqs_strategy = st.lists(
    st.tuples(
        st.integers(1, 80),
        st.sampled_from([0.5, 1, 3, 8, 30, 100, 300]),
        st.floats(0, 20000, allow_nan=False),
    ),
    min_size=1,
    max_size=8,
)


def _catalog(tiny, specs):
    rows = [
        make_offering(f"o{i}", v, m, d, p, kind=k, count=c)
        for i, (v, m, d, p, k, c) in enumerate(specs)
    ]
    return with_offerings(tiny, rows)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(offerings_strategy, reqs_strategy, st.booleans())
def test_never_undersized_and_cheapest_wins(tiny, specs, needs, mirror):
    catalog = _catalog(tiny, specs)
    options = SizingOptions(mirror_disks=mirror)
    reqs = [_req(f"s{i}", v, m, d) for i, (v, m, d) in enumerate(needs)]
    storage = catalog.limits.block_storage
    for fit in size_servers(reqs, catalog, options):
        req = fit.requirement
        brute = [c for o in catalog.offerings if (c := candidate(o, req, catalog, options))]
        if not fit.candidates:
            assert not brute
            assert fit.reason
            continue
        best = fit.candidates[0]
        offering = catalog.offering(best.offering)
        assert offering.vcpus >= req.vcpus
        assert offering.memory_bytes >= req.memory_bytes
        usable = offering.usable_disk_bytes(mirror) + best.block_storage_bytes
        assert usable >= req.disk_bytes
        assert best.block_volumes <= storage.max_volumes_per_server
        assert best.monthly_usd == min(c.monthly_usd for c in brute)
        costs = [c.monthly_usd for c in fit.candidates]
        assert costs == sorted(costs)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(offerings_strategy, reqs_strategy, st.randoms(use_true_random=False))
def test_choice_does_not_depend_on_catalog_order(tiny, specs, needs, rnd):
    catalog = _catalog(tiny, specs)
    shuffled = list(catalog.offerings)
    rnd.shuffle(shuffled)
    reqs = [_req(f"s{i}", v, m, d) for i, (v, m, d) in enumerate(needs)]
    a = size_servers(reqs, catalog, OPTS)
    b = size_servers(reqs, with_offerings(catalog, shuffled), OPTS)
    assert [f.candidates for f in a] == [f.candidates for f in b]


def test_ties_break_on_setup_then_lead_time_then_id(tiny):
    same = [
        make_offering("b-tie", 4, 8, 100, 20.0),
        make_offering("a-tie", 4, 8, 100, 20.0),
        make_offering("c-setup", 4, 8, 100, 20.0, setup=0.0, lead=10.0),
        make_offering("d-fee", 4, 8, 100, 20.0, setup=5.0, lead=1.0),
    ]
    fit = size_servers([_req()], with_offerings(tiny, same), OPTS)[0]
    assert [c.offering for c in fit.candidates] == ["c-setup", "a-tie", "b-tie", "d-fee"]
    for _ in range(5):
        random.shuffle(same)
        again = size_servers([_req()], with_offerings(tiny, same), OPTS)[0]
        assert again.candidates == fit.candidates


def test_cheapest_fitting_offering_wins_over_larger_cheaper_looking_ones(tiny):
    rows = [
        make_offering("too-small", 1, 2, 100, 1.0),
        make_offering("fits", 2, 4, 100, 9.0),
        make_offering("bigger", 8, 32, 400, 30.0),
    ]
    fit = size_servers([_req(vcpus=2, memory_gib=4)], with_offerings(tiny, rows), OPTS)[0]
    assert fit.candidates[0].offering == "fits"
    assert [c.offering for c in fit.candidates] == ["fits", "bigger"]


def test_block_storage_tops_up_vm_disk_and_is_priced(tiny):
    rows = [
        make_offering("vm", 2, 4, 50, 10.0),
        make_offering("metal", 2, 4, 1000, 60.0, kind="bare-metal"),
    ]
    fit = size_servers([_req(disk_gb=500)], with_offerings(tiny, rows), OPTS)[0]
    best = fit.candidates[0]
    assert best.offering == "vm"
    assert best.block_storage_bytes == 450 * GB and best.block_volumes == 1
    assert best.monthly_usd == 10.0 + 450 * 0.1
    no_volumes = SizingOptions(allow_block_storage=False)
    fit = size_servers([_req(disk_gb=500)], with_offerings(tiny, rows), no_volumes)[0]
    assert [c.offering for c in fit.candidates] == ["metal"]


def test_block_storage_respects_volume_count(tiny):
    rows = [make_offering("vm", 2, 4, 50, 10.0)]  # tiny: 2 volumes of at most 1 TB
    fits = size_servers(
        [_req(disk_gb=2040), _req("big", disk_gb=2060)], with_offerings(tiny, rows), OPTS
    )
    assert fits[0].candidates[0].block_volumes == 2
    assert not fits[1].candidates
    assert "needs 2.06 TB disk" in fits[1].reason and "2.05 TB" in fits[1].reason


def test_mirroring_halves_multi_disk_groups(tiny):
    rows = [make_offering("pair", 4, 8, 1000, 50.0, kind="bare-metal", count=2)]
    catalog = with_offerings(tiny, rows)
    assert size_servers([_req(disk_gb=1500)], catalog, OPTS)[0].candidates == []
    fit = size_servers([_req(disk_gb=1500)], catalog, SizingOptions(mirror_disks=False))[0]
    assert fit.candidates[0].offering == "pair"


def test_reasons_name_the_dimension_and_the_largest_offering(tiny):
    rows = [
        make_offering("m", 16, 64, 500, 50.0, kind="bare-metal"),
        make_offering("arm", 64, 512, 500, 90.0, arch="arm64", kind="bare-metal"),
    ]
    catalog = with_offerings(tiny, rows, block_storage=None)
    fits = size_servers(
        [_req("cpu", vcpus=32), _req("mem", memory_gib=128), _req("disk", disk_gb=900)],
        catalog,
        OPTS,
    )
    assert fits[0].reason == "needs 32 vCPUs; the largest has 16 (M)"
    assert fits[1].reason == "needs 128 GiB memory; the largest has 64 GiB (M)"
    assert (
        "needs 900 GB disk" in fits[2].reason and "split the data over 2 servers" in fits[2].reason
    )
    arm_ok = size_servers(
        [_req("cpu", vcpus=32)], catalog, SizingOptions(allow_architecture_change=True)
    )
    assert arm_ok[0].candidates[0].offering == "arm"
    only_arm = with_offerings(tiny, rows[1:])
    reason = size_servers([_req()], only_arm, OPTS)[0].reason
    assert (
        reason
        == "no Tiny Test Cloud offering for architecture x86_64 (only arm64: --allow-arch-change)"
    )


def test_combined_shortfall_is_explained(tiny):
    rows = [make_offering("cpu", 32, 8, 100, 10.0), make_offering("mem", 2, 256, 100, 10.0)]
    fit = size_servers(
        [_req(vcpus=16, memory_gib=64)], with_offerings(tiny, rows, block_storage=None), OPTS
    )[0]
    assert (
        fit.reason == "no single Tiny Test Cloud offering has 16 vCPUs and 64 GiB memory together"
    )


def test_min_port_speed_excludes_slow_and_unpublished_ports(tiny):
    rows = [
        make_offering("slow", 2, 4, 100, 5.0, nic=1e9),
        make_offering("unknown", 2, 4, 100, 4.0, nic=None),
        make_offering("fast", 2, 4, 100, 20.0, nic=10e9),
    ]
    fit = size_servers(
        [_req()], with_offerings(tiny, rows), SizingOptions(min_port_bits_per_second=5e9)
    )[0]
    assert [c.offering for c in fit.candidates] == ["fast"]
    none = SizingOptions(min_port_bits_per_second=40e9)
    reason = size_servers([_req()], with_offerings(tiny, rows), none)[0].reason
    assert reason == "no Tiny Test Cloud offering has a published port speed of at least 40 Gbit/s"


def test_locations_filter(tiny):
    rows = [
        make_offering("here", 2, 4, 100, 5.0),
        make_offering("there", 2, 4, 100, 9.0, locations=("there",)),
    ]
    fit = size_servers([_req()], with_offerings(tiny, rows), SizingOptions(locations=["there"]))[0]
    assert [c.offering for c in fit.candidates] == ["there"]


def test_requirements_fill_unknowns_from_instance_type_or_floor():
    inventory = fleet(
        {"id": "known", "vcpus": 4, "memory": 16, "used": 100},
        {"id": "typed", "instance_type": "m5.xlarge", "used": 10},
        {"id": "blank", "os": {}},
    )
    reqs = requirements(inventory, SizingOptions(disk_headroom=1.5), aws_instance_types())
    known, typed, blank = reqs
    assert (known.vcpus, known.memory_bytes, known.disk_bytes) == (4, 16 * GIB, 150 * GB)
    assert known.assumed == []
    assert (typed.vcpus, typed.memory_bytes) == (4, 16 * GIB)
    assert blank.vcpus == 1 and blank.memory_bytes == GIB and blank.disk_bytes == 0
    assert blank.assumed == ["vcpus", "memory", "disk (unknown)", "architecture"]


def test_allocated_size_is_used_when_usage_is_unknown():
    inventory = fleet({"id": "a", "vcpus": 1, "memory": 1, "volumes": [{"size_bytes": 40 * GB}]})
    (req,) = requirements(inventory, SizingOptions(disk_headroom=1.0))
    assert req.disk_bytes == 40 * GB and "disk (allocated size)" in req.assumed
