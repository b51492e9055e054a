"""Ansible inventories: golden import, agreement with Ansible itself, traps, export, round trip."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planner.interop.ansible_export import export_ansible
from planner.interop.ansible_import import import_ansible
from planner.interop.ansible_model import expand_pattern, split_port
from planner.io.inventory_file import dump_inventory, load_inventory
from planner.models import Server
from tests.interop.conftest import FIXTURES, render, run_import

SITE = FIXTURES / "ansible" / "site"
ANSIBLE_INVENTORY = shutil.which("ansible-inventory") or str(
    Path(sys.executable).parent / "ansible-inventory"
)


def by_id(servers: list[Server]) -> dict[str, Server]:
    return {s.id: s for s in servers}


@pytest.mark.parametrize(
    "name", ["site/hosts.ini", "site/hosts.yml", "broken/hosts.ini", "broken/hosts.yml"]
)
def test_golden(golden, name):
    inventory, report = render(run_import("ansible", f"ansible/{name}"))
    flat = name.replace("/", "-")
    golden(f"ansible-{flat}.yaml", inventory)
    golden(f"ansible-{flat}.report.txt", report)


def test_ini_and_yaml_forms_give_the_same_servers():
    ini = run_import("ansible", "ansible/site/hosts.ini").inventory
    yml = run_import("ansible", "ansible/site/hosts.yml").inventory
    assert [s.model_dump(exclude={"provenance"}) for s in ini.servers] == [
        s.model_dump(exclude={"provenance"}) for s in yml.servers
    ]


def _ansible_list(path: Path, home: Path) -> dict:
    if not Path(ANSIBLE_INVENTORY).exists():
        pytest.skip("ansible-inventory is not installed (pip install '.[dev]')")
    env = {**os.environ, "HOME": str(home), "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCAL_TEMP": str(home)}
    proc = subprocess.run(
        [ANSIBLE_INVENTORY, "-i", str(path), "--list"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return json.loads(proc.stdout)


def _members(listing: dict, group: str) -> set[str]:
    entry = listing.get(group, {})
    hosts = set(entry.get("hosts", []))
    for child in entry.get("children", []):
        hosts |= _members(listing, child)
    return hosts


@pytest.mark.parametrize("name", ["hosts.ini", "hosts.yml"])
def test_agrees_with_ansible_inventory(tmp_path, name):
    """Hosts, group membership and connection variables match what Ansible itself resolves."""
    listing = _ansible_list(SITE / name, tmp_path)
    hostvars = listing["_meta"]["hostvars"]
    servers = by_id(run_import("ansible", f"ansible/site/{name}").inventory.servers)
    assert set(servers) == set(hostvars)
    for host, variables in hostvars.items():
        server = servers[host]
        target = variables.get("ansible_host", host)
        assert target in (server.address, server.hostname), host
        assert server.ssh.user == variables.get("ansible_user"), host
        assert server.ssh.port == int(variables.get("ansible_port", 22)), host
        args = variables.get("ansible_ssh_common_args", "")
        assert (server.ssh.jump_host is not None) == ("ProxyJump" in args), host
    groups = [g for g in listing if g not in ("_meta", "all", "ungrouped")]
    for group in groups:
        ours = {s.id for s in servers.values() if f"group.{group}" in s.tags}
        assert ours == _members(listing, group), group


def test_connection_variables_precedence_and_secrets():
    result = run_import("ansible", "ansible/site/hosts.ini")
    servers = by_id(result.inventory.servers)
    assert servers["web01.shop.example"].ssh.user == "www"  # group_vars/web.yml
    assert servers["web-canary.shop.example"].ssh.user == "deploy"  # host var wins
    assert servers["web-canary.shop.example"].ssh.port == 2222  # host:port
    assert servers["app-b.shop.example"].address == "10.20.1.12"  # host_vars file
    assert servers["app-b.shop.example"].ssh.port == 2202
    assert servers["db1.shop.example"].ssh.user == "postgres"
    assert servers["db1.shop.example"].hostname == "db1.shop.example"
    assert servers["db1.shop.example"].role == "db"
    assert servers["bastion.shop.example"].role == "unknown"
    assert servers["web01.shop.example"].ssh.jump_host == "admin@bastion.shop.example"
    text = dump_inventory(result.inventory)
    for secret in ("hunter2", "db.pem", "ansible_password", "python_interpreter", "ntp"):
        assert secret not in text
    assert "ansible_become_pass, ansible_password, ansible_ssh_private_key_file" in result.notes[0]


def test_broken_inventories_report_lines_and_keep_the_rest():
    ini = run_import("ansible", "ansible/broken/hosts.ini")
    lines = {(p.line, p.skipped) for p in ini.problems if p.file is None}
    assert {(4, True), (5, True), (6, False), (7, False), (9, True), (10, True)} <= lines
    assert {(16, True), (19, True), (20, True)} <= lines
    assert sorted(s.id for s in ini.inventory.servers) == [
        "db1.corp.example",
        "web1.corp.example",
        "web3.corp.example",
        "web4.corp.example",
    ]
    yml = run_import("ansible", "ansible/broken/hosts.yml")
    rendered = "\n".join(yml.rendered_problems())
    assert "ansible/broken/hosts.yml:6: web.hosts: expected a mapping of host: vars" in rendered
    assert "hosts.yml:11: app1.corp.example: ansible_host: vault-encrypted value" in rendered
    assert "group_vars/all/main.yml:2: " in rendered
    assert any("vault.yml: vault-encrypted file not read" in n for n in yml.notes)
    servers = by_id(yml.inventory.servers)
    assert servers["app1.corp.example"].ssh.user == "deploy{{x}}"  # !unsafe: literal text
    assert servers["db2.corp.example"].ssh.port == 5022
    assert "62313365" not in dump_inventory(yml.inventory)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("www[01:03].example.com", ["www01.example.com", "www02.example.com", "www03.example.com"]),
        ("db-[a:c]", ["db-a", "db-b", "db-c"]),
        ("n[1:9:4]", ["n1", "n5", "n9"]),
        ("r[1:2]-[a:b]", ["r1-a", "r1-b", "r2-a", "r2-b"]),
        ("plain.host", ["plain.host"]),
    ],
)
def test_host_ranges(pattern, expected):
    assert expand_pattern(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("host:2222", ("host", "2222")),
        ("www[01:03].x:22", ("www[01:03].x", "22")),
        ("[2001:db8::1]:2200", ("2001:db8::1", "2200")),
        ("2001:db8::1", ("2001:db8::1", None)),
        ("10.0.0.1", ("10.0.0.1", None)),
    ],
)
def test_host_ports(pattern, expected):
    assert split_port(pattern) == expected


def test_export_groups_by_role_and_round_trips(repo):
    original = load_inventory(repo / "inventories" / "three-tier.yaml")
    exported = export_ansible(original)
    assert exported.text.startswith("# Ansible inventory written by exitplan")
    assert "data stores not exported" in exported.notes[0]
    again = by_id(import_ansible(exported.text, "exported.yml").inventory.servers)
    assert sorted(again) == sorted(s.id for s in original.servers)
    for server in original.servers:
        copy = again[server.id]
        assert copy.role == server.role
        assert copy.address == server.address
        assert (copy.ssh.user, copy.ssh.port, copy.ssh.jump_host) == (
            server.ssh.user,
            server.ssh.port,
            server.ssh.jump_host,
        )


def test_import_export_import_keeps_groups_roles_and_access(tmp_path):
    first = run_import("ansible", "ansible/site/hosts.ini").inventory
    exported = export_ansible(first).text
    second = import_ansible(exported, "again.yml").inventory
    assert {s.id: s.model_dump(exclude={"provenance"}) for s in second.servers} == {
        s.id: s.model_dump(exclude={"provenance"}) for s in first.servers
    }


def test_exported_inventory_is_read_by_ansible(tmp_path, repo):
    path = tmp_path / "exported.yml"
    path.write_text(export_ansible(load_inventory(repo / "inventories" / "fleet-40.yaml")).text)
    listing = _ansible_list(path, tmp_path)
    assert len(listing["_meta"]["hostvars"]) == 40
    assert _members(listing, "db") == {
        s.id
        for s in load_inventory(repo / "inventories" / "fleet-40.yaml").servers
        if s.role == "db"
    }
