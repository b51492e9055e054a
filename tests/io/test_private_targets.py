"""Private target files (Proxmox VE, OpenStack, MAAS): examples, located errors, limits."""

import pytest

from planner.core.capacity import plan_capacity
from planner.errors import InputError, InventoryError
from planner.io.catalog import load_private_target, load_target
from tests.core.catalog_helpers import fleet


@pytest.mark.parametrize("name", ["proxmox", "openstack", "maas"])
def test_examples_load_as_catalogs(repo, name):
    catalog = load_target(str(repo / "inventories" / "targets" / f"{name}.yaml"))
    assert catalog.limits.kind == "private"
    assert catalog.private_kind == name
    assert catalog.offerings and all(o.source for o in catalog.offerings)


def _write(tmp_path, text):
    path = tmp_path / "target.yaml"
    path.write_text(text)
    return path


BASE = """schema_version: 1
id: lab
kind: {kind}
title: Lab
as_of: 2026-01-01
flavors:
{flavors}
provisioning: {{lead_time: 5m, requests_per_hour: 30, requests_per_server: 1}}
"""


def test_errors_point_at_file_line_and_field(tmp_path):
    path = _write(
        tmp_path, BASE.format(kind="openstack", flavors="  - {name: a, vcpus: two, memory: 4GiB}")
    )
    with pytest.raises(InventoryError) as info:
        load_private_target(path)
    assert f"{path}:7: flavors[0].vcpus:" in str(info.value)
    path = _write(
        tmp_path, BASE.format(kind="vmware", flavors="  - {name: a, vcpus: 2, memory: 4GiB}")
    )
    with pytest.raises(InventoryError, match=r":3: kind: "):
        load_private_target(path)


def test_duplicate_flavors_are_refused(tmp_path):
    flavors = "  - {name: a, vcpus: 2, memory: 4GiB}\n  - {name: a, vcpus: 4, memory: 8GiB}"
    with pytest.raises(InputError, match="duplicate flavor names: a"):
        load_private_target(_write(tmp_path, BASE.format(kind="proxmox", flavors=flavors)))


def test_maas_counts_are_hard_stock(tmp_path):
    flavors = "  - {name: box, vcpus: 8, memory: 32GiB, disks: 2x1TB ssd, count: 2}"
    catalog = load_private_target(_write(tmp_path, BASE.format(kind="maas", flavors=flavors)))
    servers = [{"id": f"s{i}", "vcpus": 4, "memory": 8, "used": 100} for i in range(3)]
    plan = plan_capacity(fleet(*servers), catalog)
    assert plan.machines == 2 and [u.id for u in plan.unplaced] == ["s2"]
    assert catalog.offerings[0].kind == "bare-metal"
    # API throttle of the private target is used: 3 requests within a burst of 30
    assert plan.provisioning.api_seconds == 0 and plan.provisioning_seconds == 300


def test_cluster_capacity_and_quota_blockers(repo):
    catalog = load_target(str(repo / "inventories" / "targets" / "openstack.yaml"))
    servers = [
        {"id": f"db{i}", "role": "db", "vcpus": 16, "memory": 100, "used": 100} for i in range(14)
    ]
    plan = plan_capacity(fleet(*servers), catalog)
    assert {s.offering for s in plan.servers} == {"r1.4xlarge"}
    quota = [b for b in plan.blockers if b.kind == "quota"]
    assert [b.message for b in quota] == [
        "needs 1,835,008 MiB of RAM; the project quota is 1,638,400"
    ]
    assert quota[0].severity == "blocker"
    assert quota[0].suggestion == "raise it (OpenStack: openstack quota set --ram 1835008 PROJECT)"
    proxmox = load_target(str(repo / "inventories" / "targets" / "proxmox.yaml"))
    big = [{"id": f"x{i}", "vcpus": 30, "memory": 200, "used": 100} for i in range(40)]
    plan = plan_capacity(fleet(*big), proxmox)
    capacity = {b.kind: b for b in plan.blockers}["cluster-capacity"]
    assert capacity.message.startswith(
        "needs 1280 vCPUs and 10,240 GiB; the cluster offers 4,096 vCPUs"
    )
    assert capacity.suggestion == (
        "add about 2 hosts like the current ones, or raise overcommit to at least memory 1.25x"
    )  # 10,240 GiB on 8,192 GiB of memory


def test_a_flavor_without_a_price_is_unknown_not_free(tmp_path):
    flavors = (
        "  - {name: free, vcpus: 2, memory: 4GiB, disks: 1x50GB ssd, monthly_usd: 0}\n"
        "  - {name: big, vcpus: 8, memory: 32GiB, disks: 1x50GB ssd}\n"
    )
    path = _write(tmp_path, BASE.format(kind="openstack", flavors=flavors))
    catalog = load_private_target(str(path))
    by_id = {o.id: o for o in catalog.offerings}
    assert by_id["free"].price_known and by_id["free"].confidence == "high"
    assert not by_id["big"].price_known and by_id["big"].confidence == "low"
    small = plan_capacity(fleet({"id": "s", "vcpus": 2, "memory": 4, "used": 10}), catalog)
    assert small.unpriced_machines == 0 and small.monthly_usd == 0  # said free: free
    large = plan_capacity(fleet({"id": "l", "vcpus": 8, "memory": 32, "used": 10}), catalog)
    assert large.machines == 1 and large.unpriced_machines == 1
    assert any("price unknown" in a.value for a in large.assumptions)
