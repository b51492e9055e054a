"""Merging inventories: join keys, provenance-ranked conflicts, gap filling, renames, reports."""

from __future__ import annotations

from typing import Any

from planner.interop.merge import merge_inventories
from planner.io.inventory_file import load_inventory
from planner.models import Inventory
from tests.interop.conftest import run_import


def inv(*servers: dict[str, Any], **extra: Any) -> Inventory:
    return Inventory.model_validate({"servers": list(servers), **extra})


def conflicts(result) -> list[tuple[str, str, str, Any]]:
    return [(c.item, c.field, c.resolution, c.kept) for c in result.conflicts]


def test_imported_value_never_overwrites_a_measured_one():
    measured = inv(
        {"id": "web-1", "address": "10.0.0.1", "vcpus": 4, "provenance": {"vcpus": "measured"}}
    )
    imported = inv(
        {
            "id": "w1",
            "address": "10.0.0.1",
            "vcpus": 8,
            "memory": "16GiB",
            "provenance": {"vcpus": "imported", "memory_bytes": "imported"},
        }
    )
    result = merge_inventories([("ssh.yaml", measured), ("ads.csv", imported)])
    server = result.inventory.servers[0]
    assert server.id == "web-1"  # the first source's id stays
    assert server.vcpus == 4
    assert server.memory_bytes == 16 * 2**30  # the gap is filled ...
    assert server.provenance["memory_bytes"] == "imported"  # ... and says where it came from
    assert conflicts(result) == [("web-1", "vcpus", "kept", 4)]
    assert result.conflicts[0].render() == (
        "web-1: vcpus: kept 4 from ssh.yaml (measured) over 8 from ads.csv (imported)"
    )


def test_later_measured_value_replaces_an_assumed_one_and_says_so():
    generated = inv(
        {
            "id": "db-1",
            "hostname": "db-1.x",
            "change_rate": "1MB/s",
            "provenance": {"change_rate_bytes_per_second": "assumed"},
        }
    )
    measured = inv(
        {
            "id": "db-1",
            "hostname": "db-1.x",
            "change_rate": "3MB/s",
            "provenance": {"change_rate_bytes_per_second": "measured"},
        }
    )
    result = merge_inventories([("gen.yaml", generated), ("ssh.yaml", measured)])
    server = result.inventory.servers[0]
    assert server.change_rate_bytes_per_second == 3e6
    assert server.provenance["change_rate_bytes_per_second"] == "measured"
    assert conflicts(result) == [("db-1", "change_rate_bytes_per_second", "replaced", 3e6)]
    assert "took 3000000.0 from ssh.yaml (measured) over 1000000.0 from gen.yaml (assumed)" in (
        result.conflicts[0].render()
    )


def test_assumed_value_never_overwrites_and_equal_rank_keeps_the_earlier():
    first = inv({"id": "a", "address": "10.0.0.9", "os": {"name": "debian"}, "role": "web"})
    later = inv(
        {
            "id": "a",
            "address": "10.0.0.9",
            "os": {"name": "ubuntu", "version": "22.04"},
            "role": "app",
            "provenance": {"os": "assumed"},
        }
    )
    result = merge_inventories([("a.yaml", first), ("b.yaml", later)])
    server = result.inventory.servers[0]
    assert (server.os.name, server.os.version, server.role) == ("debian", "22.04", "web")
    assert server.provenance["os.version"] == "assumed"  # the filled gap keeps its provenance
    assert conflicts(result) == [("a", "role", "kept", "web"), ("a", "os.name", "kept", "debian")]


def test_join_order_resource_id_then_hostname_then_address():
    base = inv(
        {"id": "i-1", "source": {"resource_id": "i-1"}, "hostname": "a.x", "address": "10.0.0.1"},
        {"id": "i-2", "hostname": "b.x", "address": "10.0.0.2"},
        {"id": "i-3", "address": "10.0.0.3"},
        {"id": "i-4", "hostname": "d.corp.example"},
    )
    other = inv(
        {"id": "x1", "source": {"resource_id": "I-1"}, "address": "10.9.9.9"},
        {"id": "x2", "hostname": "B.X", "address": "10.0.0.3"},
        {"id": "x3", "address": "10.0.0.3"},
        {"id": "x4", "hostname": "d"},
        {"id": "x5", "hostname": "new.x"},
    )
    result = merge_inventories([("a", base), ("b", other)])
    keys = {(m.incoming_id, m.merged_id, m.key) for m in result.matches if m.source == "b"}
    assert keys == {
        ("x1", "i-1", "resource_id"),
        ("x2", "i-2", "hostname"),
        ("x3", "i-3", "address"),
        ("x4", "i-4", "short hostname"),
    }
    assert [s.id for s in result.inventory.servers] == ["i-1", "i-2", "i-3", "i-4", "x5"]
    # same names in other spellings (case, short vs qualified) are not conflicts
    assert conflicts(result) == [
        ("i-1", "address", "kept", "10.0.0.1"),
        ("i-2", "address", "kept", "10.0.0.2"),
    ]
    assert result.inventory.servers[3].hostname == "d.corp.example"


def test_different_machines_with_the_same_id_are_kept_apart_and_references_follow():
    a = inv({"id": "web", "address": "10.0.0.1"}, {"id": "db", "address": "10.0.0.5"})
    b = inv(
        {"id": "web", "address": "192.168.1.1", "dependencies": ["db2"]},
        {"id": "db2", "address": "10.0.0.5"},
        links=[{"name": "vpn", "capacity": "1Gbps", "members": ["web", "role:db"]}],
    )
    result = merge_inventories([("a", a), ("b", b)])
    ids = [s.id for s in result.inventory.servers]
    assert ids == ["web", "db", "web-2"]
    assert result.inventory.servers[2].dependencies == ["db"]  # db2 was merged into db
    assert result.inventory.links[0].members == ["web-2", "role:db"]
    assert any("'web' is taken by another record; kept as 'web-2'" in n for n in result.notes)
    assert result.problems == []


def test_volumes_match_by_device_and_fill_gaps():
    tf = inv(
        {
            "id": "i-1",
            "source": {"resource_id": "i-1"},
            "volumes": [
                {"id": "vol-1", "device": "/dev/sda1", "size": "50GiB", "volume_type": "gp3"},
                {"id": "vol-2", "device": "/dev/sdf", "size": "500GiB"},
            ],
            "provenance": {"volumes": "imported"},
        }
    )
    ssh = inv(
        {
            "id": "i-1",
            "source": {"resource_id": "i-1"},
            "volumes": [
                {"device": "/dev/sdf", "mount_point": "/srv", "used": "300GB", "size": "499GiB"}
            ],
            "provenance": {"volumes": "measured"},
        }
    )
    result = merge_inventories([("tf", tf), ("ssh", ssh)])
    volumes = result.inventory.servers[0].volumes
    assert len(volumes) == 2
    assert (volumes[1].mount_point, volumes[1].used_bytes) == ("/srv", 300 * 10**9)
    assert volumes[1].size_bytes == 499 * 2**30  # measured beats imported
    assert conflicts(result) == [("i-1", "volumes[vol-2].size_bytes", "replaced", 499 * 2**30)]


def test_unmatched_volumes_are_not_double_counted():
    tf = inv(
        {
            "id": "h",
            "volumes": [{"device": "/dev/sda1", "size": "50GiB"}],
            "provenance": {"volumes": "imported"},
        }
    )
    ssh = inv(
        {
            "id": "h",
            "volumes": [{"device": "/dev/nvme0n1p1", "used": "20GB"}],
            "provenance": {"volumes": "measured"},
        }
    )
    replaced = merge_inventories([("tf", tf), ("ssh", ssh)])
    assert [v.device for v in replaced.inventory.servers[0].volumes] == ["/dev/nvme0n1p1"]
    assert conflicts(replaced) == [("h", "volumes", "replaced", "1 volumes")]
    kept = merge_inventories([("ssh", ssh), ("tf", tf)])
    assert [v.device for v in kept.inventory.servers[0].volumes] == ["/dev/nvme0n1p1"]
    assert any("match no volume" in n for n in kept.notes)


def _side(owner: str, imported_from: str, store: dict[str, Any], vpn_capacity: str) -> Inventory:
    """One source's view of the same bucket, SQS queue and VPN link."""
    return Inventory.model_validate(
        {
            "metadata": {"owner": owner, "imported_from": [imported_from]},
            "data_stores": [
                {"kind": "object-storage", "source": {"resource_id": "assets"}, **store}
            ],
            "lockin": [{"service": "sqs", "signal": "terraform:aws_sqs_queue", "origin": "import"}],
            "links": [{"name": "vpn", "capacity": vpn_capacity}],
        }
    )


def test_data_stores_lockin_links_and_metadata():
    a = _side("ops", "x.tfstate", {"id": "assets", "service": "s3"}, "1Gbps")
    b = _side("someone-else", "y.csv", {"id": "s3-assets", "used": "2TB"}, "10Gbps")
    result = merge_inventories([("a", a), ("b", b)])
    merged = result.inventory
    assert [(d.id, d.used_bytes) for d in merged.data_stores] == [("assets", 2 * 10**12)]
    assert len(merged.lockin) == 1
    assert merged.links[0].capacity_bits_per_second == 1e9
    assert any("link 'vpn' differs" in n for n in result.notes)
    assert merged.metadata["owner"] == "ops"
    assert merged.metadata["imported_from"] == ["x.tfstate", "y.csv"]
    assert merged.metadata["merged_from"] == ["a", "b"]


def test_real_sources_merge_on_address():
    """Terraform state + an ADS export of the same fleet: joined on instance id and address."""
    tf = run_import("terraform-state", "terraform/shop/terraform.tfstate").inventory
    ads = Inventory.model_validate(
        {
            "servers": [
                {
                    "id": s.source.resource_id,
                    "source": {"provider": "aws", "resource_id": s.source.resource_id},
                    "vcpus": (s.vcpus or 0) + 2,
                    "os": {"name": "ubuntu"},
                    "provenance": {"vcpus": "imported", "os": "imported"},
                }
                for s in tf.servers[:2]
            ]
            + [{"id": "by-ip", "address": tf.servers[2].address, "os": {"name": "debian"}}]
        }
    )
    result = merge_inventories([("tf", tf), ("ads", ads)])
    assert len(result.inventory.servers) == len(tf.servers)
    assert {m.key for m in result.matches if m.source == "ads"} == {"resource_id", "address"}
    assert all(c.resolution == "kept" and c.field == "vcpus" for c in result.conflicts)
    assert result.inventory.servers[2].os.name == "debian"


def test_merging_an_inventory_with_itself_changes_nothing(repo):
    fleet = load_inventory(repo / "inventories" / "fleet-40.yaml")
    result = merge_inventories([("a", fleet), ("b", fleet)])
    assert result.conflicts == [] and result.notes == [] and result.problems == []
    assert result.inventory.servers == fleet.servers
    assert result.inventory.data_stores == fleet.data_stores
