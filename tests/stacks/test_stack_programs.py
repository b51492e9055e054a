"""Every stack program under Pulumi's mocks, driven by plans made for its target's catalog."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pytest
import yaml

from planner.stacks.config import resource_name
from tests.stacks.helpers import (
    ADMIN_CIDR,
    SERVER_TYPES,
    TARGET_CATALOGS,
    TEST_KEY,
    capacity_of,
    fleet_config,
    generated,
    nft_ports,
    plan_document,
    run_stack,
    user_data_by_server,
)

TARGETS = list(TARGET_CATALOGS)
PRIVATE = "10.0.0.0/8"


@pytest.fixture(scope="module")
def runs() -> dict[str, dict[str, Any]]:
    """One 60-server plan per target, its stack config and the recorded program run."""
    inventory = generated(60)
    out = {}
    for target, spec in TARGET_CATALOGS.items():
        document = plan_document(inventory, spec)
        fleet, _ = fleet_config(document, target, inventory)
        registrations, outputs = run_stack(target, fleet)
        out[target] = {
            "capacity": capacity_of(document),
            "fleet": fleet,
            "registrations": registrations,
            "outputs": outputs,
            "inventory": inventory,
        }
    return out


def servers_of(target: str, registrations: list[Any]) -> list[Any]:
    return [r for r in registrations if r.type == SERVER_TYPES[target]]


@pytest.mark.parametrize("target", TARGETS)
def test_one_server_per_planned_machine(runs: dict[str, Any], target: str) -> None:
    run = runs[target]
    capacity = run["capacity"]
    servers = servers_of(target, run["registrations"])
    hosts = {resource_name(p.host) for p in capacity.servers}
    assert capacity.machines > 0
    assert len(servers) == capacity.machines == len(hosts)
    assert {s.name for s in servers} == hosts
    assert run["outputs"]["servers"] == capacity.machines
    placed = [source for s in run["fleet"]["servers"] for source in s["sources"]]
    assert sorted(placed) == sorted(p.id for p in capacity.servers)


@pytest.mark.parametrize("target", TARGETS)
def test_no_duplicate_urns_and_tree_parents_exist(runs: dict[str, Any], target: str) -> None:
    registrations = runs[target]["registrations"]
    urns = [r.urn for r in registrations]
    assert len(urns) == len(set(urns))
    known = set(urns)
    for r in registrations:
        assert r.parent in known or r.parent.split("::")[2] == "pulumi:pulumi:Stack", r.urn


@pytest.mark.parametrize("target", TARGETS)
def test_every_server_gets_the_base_user_data(runs: dict[str, Any], target: str) -> None:
    run = runs[target]
    data = user_data_by_server(target, run["registrations"])
    servers = {s["name"]: s for s in run["fleet"]["servers"]}
    assert set(data) == set(servers)
    for name, text in data.items():
        assert text.startswith("#cloud-config\n# exitplan-base: 1")
        document = yaml.safe_load(text)
        assert document["hostname"] == name
        user = document["users"][0]
        assert user["name"] == "exitplan" and user["ssh_authorized_keys"] == [TEST_KEY]
        assert user["lock_passwd"] is True and document["ssh_pwauth"] is False
        assert document["ntp"] == {
            "enabled": True,
            "ntp_client": "chrony",
            "pools": ["pool.ntp.org"],
        }
        role = run["fleet"]["roles"][servers[name]["role"]]
        assert {"chrony", "nftables"} | set(role["packages"]) <= set(document["packages"])
        mounts = next(
            f for f in document["write_files"] if f["path"] == "/etc/exitplan/data-mounts"
        )
        for mount in servers[name]["mounts"]:
            assert f" {mount['mount_point']}\n" in mounts["content"]
        assert len(text.encode()) < 32 * 1024  # Hetzner's user_data limit


def expected_ports(run: dict[str, Any], role: str) -> set[tuple[str, int]]:
    """SSH plus every non-loopback service port the inventory lists for the role's servers."""
    inventory = {s.id: s for s in run["inventory"].servers}
    ports = {("tcp", 22)}
    for server in run["fleet"]["servers"]:
        if server["role"] != role:
            continue
        for source in server["sources"]:
            for service in inventory[source].services:
                if not (service.address or "").startswith("127."):
                    ports.add((service.protocol, service.port))
    return ports


@pytest.mark.parametrize("target", TARGETS)
def test_host_firewall_opens_only_the_roles_ports(runs: dict[str, Any], target: str) -> None:
    run = runs[target]
    data = user_data_by_server(target, run["registrations"])
    roles = {s["name"]: s["role"] for s in run["fleet"]["servers"]}
    assert len(set(roles.values())) >= 3
    for name, text in data.items():
        assert nft_ports(text) == expected_ports(run, roles[name]), name
        assert "policy drop;" in text


def _hetzner_rules(registrations: list[Any]) -> dict[str, list[dict[str, Any]]]:
    return {
        r.name.removeprefix("exit-fw-"): r.inputs["rules"]
        for r in registrations
        if r.type == "hcloud:index/firewall:Firewall"
    }


def test_hetzner_firewall_deny_by_default_and_sources(runs: dict[str, Any]) -> None:
    run = runs["hetzner"]
    rules = _hetzner_rules(run["registrations"])
    assert set(rules) == {s["role"] for s in run["fleet"]["servers"]}
    for role, role_rules in rules.items():
        assert {("tcp", int(r["port"])) for r in role_rules} == expected_ports(run, role)
        for rule in role_rules:
            assert rule["direction"] == "in"
            if rule["port"] == "22":
                assert rule["sourceIps"] == [ADMIN_CIDR, PRIVATE]
            elif rule["port"] in ("80", "443"):
                assert rule["sourceIps"] == ["0.0.0.0/0", "::/0"]
            else:
                assert rule["sourceIps"] == [PRIVATE]
    firewall_ids = {
        r.name: r.inputs["firewallIds"] for r in servers_of("hetzner", run["registrations"])
    }
    assert all(len(ids) == 1 for ids in firewall_ids.values())


def test_openstack_security_groups_and_proxmox_vm_firewall(runs: dict[str, Any]) -> None:
    run = runs["openstack"]
    groups = {r.name: r for r in run["registrations"] if r.type.endswith("secGroup:SecGroup")}
    assert all(g.inputs["deleteDefaultRules"] is True for g in groups.values())
    ingress = Counter()
    for r in run["registrations"]:
        if r.type.endswith("secGroupRule:SecGroupRule") and r.inputs["direction"] == "ingress":
            assert r.inputs["portRangeMin"] == r.inputs["portRangeMax"]
            ingress[(r.name.split("-")[2], r.inputs["protocol"], r.inputs["portRangeMin"])] += 1
    for role in {s["role"] for s in run["fleet"]["servers"]}:
        assert {(p, n) for (r, p, n) in ingress if r == role} == expected_ports(run, role)
    proxmox = runs["proxmox"]
    options = [
        r for r in proxmox["registrations"] if r.type.endswith("optionsLegacy:OptionsLegacy")
    ]
    vm_rules = [r for r in proxmox["registrations"] if r.type.endswith("rulesLegacy:RulesLegacy")]
    vms = servers_of("proxmox", proxmox["registrations"])
    assert len(options) == len(vm_rules) == len(vms)
    assert all(o.inputs["inputPolicy"] == "DROP" and o.inputs["enabled"] for o in options)
    roles = {s["name"]: s["role"] for s in proxmox["fleet"]["servers"]}
    for rules in vm_rules:
        vm = rules.name.removesuffix("-fw-rules")
        got = {(r["proto"], int(r["dport"])) for r in rules.inputs["rules"]}
        assert got == expected_ports(proxmox, roles[vm])


def _network_key(target: str, server: Any) -> str:
    inputs = server.inputs
    if target == "hetzner":
        return str(inputs["networks"][0]["networkId"])
    if target == "openstack":
        return str(inputs["networks"][-1]["uuid"])
    if target == "proxmox":
        return str(inputs["networkDevices"][1]["bridge"])
    if target == "scaleway":
        return str(inputs["privateNetworks"][0]["id"])
    return str(inputs["networkInterfaces"][0]["subnetCidr"])


NETWORK_TYPES = {
    "hetzner": "hcloud:index/network:Network",
    "openstack": "openstack:networking/network:Network",
    "proxmox": "proxmoxve:sdn/vnet:Vnet",
    "scaleway": "scaleway:network/privateNetwork:PrivateNetwork",
    "maas": "maas:index/subnet:Subnet",
}


@pytest.mark.parametrize("target", TARGETS)
def test_networks_split_at_the_limit(runs: dict[str, Any], target: str) -> None:
    fleet = dict(runs[target]["fleet"], limits={**runs[target]["fleet"]["limits"]})
    fleet["limits"]["servers_per_network"] = 12
    registrations, outputs = run_stack(target, fleet)
    servers = servers_of(target, registrations)
    networks = [r for r in registrations if r.type == NETWORK_TYPES[target]]
    assert len(networks) == math.ceil(len(servers) / 12) >= 4
    per_network = Counter(_network_key(target, s) for s in servers)
    assert len(per_network) == len(networks)
    assert max(per_network.values()) <= 12
    assert sum(n["servers"] for n in outputs["networks"]) == len(servers)


def test_hetzner_limits_from_the_catalog_at_250_servers() -> None:
    inventory = generated(250)
    document = plan_document(inventory, "hetzner-cloud")
    fleet, _ = fleet_config(document, "hetzner", inventory)
    assert fleet["limits"] == {
        "servers_per_network": 100,
        "servers_per_placement_group": 10,
        "placement_groups": 50,
        "volumes_per_server": 16,
    }
    registrations, _ = run_stack("hetzner", fleet)
    servers = servers_of("hetzner", registrations)
    machines = capacity_of(document).machines
    assert len(servers) == machines > 200
    per_network = Counter(_network_key("hetzner", s) for s in servers)
    assert sorted(per_network.values()) == [machines - 200, 100, 100]
    groups = [r for r in registrations if r.type == "hcloud:index/placementGroup:PlacementGroup"]
    assert 0 < len(groups) <= 50
    assert all(g.inputs["type"] == "spread" for g in groups)
    members = Counter(
        s.inputs["placementGroupId"] for s in servers if "placementGroupId" in s.inputs
    )
    assert len(members) == len(groups) and max(members.values()) <= 10
    role_of_group: dict[Any, set[str]] = {}
    for s in servers:
        if "placementGroupId" in s.inputs:
            role_of_group.setdefault(s.inputs["placementGroupId"], set()).add(
                s.inputs["labels"]["role"]
            )
    assert all(len(roles) == 1 for roles in role_of_group.values())


@pytest.mark.parametrize("target", ["hetzner", "openstack"])
def test_placement_group_count_limit_leaves_the_rest_ungrouped(
    runs: dict[str, Any], target: str
) -> None:
    fleet = dict(runs[target]["fleet"], limits={**runs[target]["fleet"]["limits"]})
    fleet["limits"].update(servers_per_placement_group=3, placement_groups=4)
    registrations, outputs = run_stack(target, fleet)
    servers = servers_of(target, registrations)
    if target == "hetzner":
        grouped = Counter(s.inputs.get("placementGroupId") for s in servers)
    else:
        grouped = Counter(
            s.inputs["schedulerHints"][0]["group"] if s.inputs.get("schedulerHints") else None
            for s in servers
        )
    ungrouped = grouped.pop(None, 0)
    assert len(grouped) == outputs["placement_groups"] == 4
    assert max(grouped.values()) <= 3
    roles = Counter(s["role"] for s in fleet["servers"])
    alone = sum(1 for n in roles.values() if n == 1)  # anti-affinity needs two servers
    assert len(outputs["ungrouped"]) > 0
    assert ungrouped == len(outputs["ungrouped"]) + alone == len(servers) - sum(grouped.values())


@pytest.mark.parametrize("target", TARGETS)
def test_test_stack_has_exactly_one_server_per_role(runs: dict[str, Any], target: str) -> None:
    run = runs[target]
    full_roles = Counter(s["role"] for s in run["fleet"]["servers"])
    assert max(full_roles.values()) > 1
    document = {"capacity": run["capacity"].model_dump(mode="json")}
    fleet, _ = fleet_config(document, target, run["inventory"], test_stack=True)
    registrations, outputs = run_stack(target, fleet)
    servers = servers_of(target, registrations)
    roles = Counter(s["role"] for s in fleet["servers"])
    assert set(roles) == set(full_roles)
    assert set(roles.values()) == {1}
    assert len(servers) == len(full_roles)
    assert outputs["test_stack"] is True
    assert outputs["servers_by_role"] == dict.fromkeys(sorted(full_roles), 1)


def test_maas_without_private_interface_creates_no_networks(runs: dict[str, Any]) -> None:
    fleet = dict(runs["maas"]["fleet"], settings={"distro_series": "noble", "pool": ""})
    registrations, _ = run_stack("maas", fleet)
    assert not [r for r in registrations if r.type.startswith("maas:index/subnet")]
    assert all(not s.inputs.get("networkInterfaces") for s in servers_of("maas", registrations))
