from collections import Counter

import pytest

from planner.core.generate import allocate_roles, generate_fleet
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.models.seeds import FleetProfile


@pytest.fixture(scope="module")
def profile():
    return load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)


def fleet(profile, **kw):
    args = {"servers": 400, "data_bytes": 70 * 10**12, "seed": 1} | kw
    return generate_fleet(profile, aws_instance_types(), **args)


def test_roles_follow_shares(profile):
    roles = allocate_roles(profile, 1000)
    assert len(roles) == 1000
    counts = Counter(roles)
    total = sum(r.share for r in profile.roles.values())
    for name, role in profile.roles.items():
        assert abs(counts[name] - 1000 * role.share / total) <= 1


def test_data_is_heavy_tailed(profile):
    inv = fleet(profile)
    used = sorted((s.used_bytes or 0 for s in inv.servers), reverse=True)
    top_tenth = sum(used[: len(used) // 10])
    assert top_tenth / sum(used) > 0.5  # a few hosts hold most bytes
    assert inv.problems() == []


def test_total_data_matches_request(profile):
    for data in (10**12, 70 * 10**12, 500 * 10**12):
        inv = fleet(profile, data_bytes=data)
        assert abs(inv.total_bytes - data) / data < 0.03


def test_instance_limits_come_from_catalog(profile):
    catalog = aws_instance_types()
    for server in fleet(profile, servers=50).servers:
        row = catalog[server.instance_type]
        assert server.vcpus == row.vcpus
        assert server.network.baseline_bits_per_second == pytest.approx(row.baseline_gbps * 1e9)


def test_volumes_are_valid_ebs(profile):
    for server in fleet(profile).servers:
        for volume in server.volumes:
            assert volume.volume_type in {"gp2", "gp3", "io1", "st1", "sc1"}
            assert volume.used_bytes <= volume.size_bytes <= 16 * 2**40
            if volume.volume_type in {"st1", "sc1"}:
                assert volume.size_bytes >= 125 * 2**30


def test_dependencies_resolve_and_change_rates_positive(profile):
    inv = fleet(profile, servers=120)
    ids = {s.id for s in inv.servers}
    for server in inv.servers:
        assert set(server.dependencies) <= ids
        assert server.change_rate_bytes_per_second > 0
        assert server.provenance["volumes"] == "assumed"
