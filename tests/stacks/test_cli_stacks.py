"""``exitplan stacks list|config|preview`` end to end (preview runs the program in a child)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from planner.io.inventory_file import save_inventory
from planner.stacks.config import find_secrets
from tests.stacks.helpers import REPO, TARGET_CATALOGS, TEST_KEY, generated, plan_document

SECRETISH = re.compile(r"token|secret|password|passwd|private.?key|api.?key|BEGIN|secure", re.I)


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """PLAN.json files for Hetzner and the MAAS example, plus the inventory they came from."""
    folder = tmp_path_factory.mktemp("plans")
    inventory = generated(30)
    save_inventory(inventory, folder / "fleet.yaml")
    out = {"inventory": folder / "fleet.yaml"}
    for target in ("hetzner", "maas"):
        path = folder / f"plan-{target}.json"
        path.write_text(json.dumps(plan_document(inventory, TARGET_CATALOGS[target])))
        out[target] = path
    return out


@pytest.fixture
def stacks_copy(tmp_path: Path) -> Path:
    """A copy of stacks/ so `stacks config` never writes into the repository."""
    target = tmp_path / "stacks"
    shutil.copytree(REPO / "stacks", target, ignore=shutil.ignore_patterns("Pulumi.*.y*ml"))
    return target


def test_list_names_every_target_with_sdk_and_credentials(cli: Callable[..., Any]) -> None:
    result = cli("stacks", "list")
    assert result.exit_code == 0
    for name, sdk, env in [
        ("hetzner", "pulumi-hcloud==", "HCLOUD_TOKEN"),
        ("scaleway", "pulumiverse-scaleway==", "SCW_SECRET_KEY"),
        ("proxmox", "pulumi-proxmoxve==", "PROXMOX_VE_API_TOKEN"),
        ("openstack", "pulumi-openstack==", "OS_CLOUD"),
        ("maas", "pulumi-maas==", "MAAS_API_KEY"),
    ]:
        block = result.output.split(f"{name}: ", 1)[1].split("\n\n", 1)[0]
        assert sdk in block and env in block
    assert "Pulumi CLI" in result.output
    data = json.loads(cli("stacks", "list", "--format", "json").output)
    assert data["schema_version"] == 1 and set(data["targets"]) == set(TARGET_CATALOGS)


def test_config_writes_the_stack_file_without_secrets(
    cli: Callable[..., Any], plans: dict[str, Path], stacks_copy: Path, tmp_path: Path
) -> None:
    key_file = tmp_path / "id.pub"
    key_file.write_text(TEST_KEY + "\n")
    result = cli(
        "stacks",
        "config",
        plans["hetzner"],
        "--provider",
        "hetzner",
        "--stack",
        "drill",
        "--inventory",
        plans["inventory"],
        "--ssh-key",
        key_file,
        "--admin-cidr",
        "192.0.2.0/24",
        "--stacks-dir",
        stacks_copy,
    )
    assert result.exit_code == 0, result.output
    path = stacks_copy / "hetzner/Pulumi.drill.yaml"
    text = path.read_text()
    document = yaml.safe_load(text)
    fleet = document["config"]["exitplan-hetzner:fleet"]
    assert set(document["config"]) == {"exitplan-hetzner:fleet"}
    assert fleet["ssh_public_keys"] == [TEST_KEY] and fleet["admin_cidrs"] == ["192.0.2.0/24"]
    assert len(fleet["servers"]) == json.loads(plans["hetzner"].read_text())["capacity"]["machines"]
    assert find_secrets(document) == []
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert not [line for line in body if SECRETISH.search(line)]
    assert "pulumi config set --secret hcloud:token" in text  # told how, in a comment
    assert not list(path.parent.glob(".Pulumi.drill.yaml.*"))  # atomic write left no temp file


def test_find_secrets_flags_secret_keys_and_values() -> None:
    assert find_secrets({"a": {"hcloud:token": "x"}}) == ["a.hcloud:token"]
    assert find_secrets({"k": [{"v": "secure: AAE="}]}) == ["k[0].v"]
    assert find_secrets({"k": "-----BEGIN OPENSSH PRIVATE KEY-----\n..."}) == ["k"]
    assert find_secrets({"ssh_public_keys": [TEST_KEY], "admin_cidrs": []}) == []


def test_config_refuses_a_private_key_and_a_wrong_provider(
    cli: Callable[..., Any], plans: dict[str, Path], stacks_copy: Path, tmp_path: Path
) -> None:
    private = tmp_path / "id"
    private.write_text(
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----\n"
    )
    result = cli(
        "stacks",
        "config",
        plans["hetzner"],
        "--provider",
        "hetzner",
        "--ssh-key",
        private,
        "--stacks-dir",
        stacks_copy,
    )
    assert result.exit_code == 2 and "PRIVATE key" in result.output
    result = cli(
        "stacks", "config", plans["hetzner"], "--provider", "openstack", "--stacks-dir", stacks_copy
    )
    assert result.exit_code == 2 and "use --provider hetzner" in result.output
    assert not list(stacks_copy.glob("*/Pulumi.*.yaml"))


def test_config_needs_a_plan_with_capacity(
    cli: Callable[..., Any], tmp_path: Path, stacks_copy: Path
) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"schema_version": 1, "capacity": None}))
    result = cli("stacks", "config", plan, "--provider", "hetzner", "--stacks-dir", stacks_copy)
    assert result.exit_code == 2 and "--target" in result.output
    plan.write_text("{not json")
    result = cli("stacks", "config", plan, "--provider", "hetzner", "--stacks-dir", stacks_copy)
    assert result.exit_code == 2 and "not JSON" in result.output


def test_test_stack_config_has_one_server_per_role(
    cli: Callable[..., Any], plans: dict[str, Path], stacks_copy: Path
) -> None:
    result = cli(
        "stacks",
        "config",
        plans["maas"],
        "--provider",
        "maas",
        "--test-stack",
        "--inventory",
        plans["inventory"],
        "--stacks-dir",
        stacks_copy,
    )
    assert result.exit_code == 0, result.output
    fleet = yaml.safe_load((stacks_copy / "maas/Pulumi.exit.yaml").read_text())["config"][
        "exitplan-maas:fleet"
    ]
    roles = [s["role"] for s in fleet["servers"]]
    assert fleet["test_stack"] is True and len(roles) == len(set(roles)) == len(fleet["roles"])


def test_roles_come_from_the_plan_without_an_inventory(
    cli: Callable[..., Any], plans: dict[str, Path], stacks_copy: Path
) -> None:
    args = ["stacks", "config", plans["maas"], "--provider", "maas", "--test-stack"]
    result = cli(*args, "--stacks-dir", stacks_copy)
    assert result.exit_code == 0, result.output
    fleet = yaml.safe_load((stacks_copy / "maas/Pulumi.exit.yaml").read_text())["config"][
        "exitplan-maas:fleet"
    ]
    plan = json.loads(plans["maas"].read_text())
    planned_roles = {p["role"] for p in plan["capacity"]["servers"]}
    assert len(planned_roles) > 1 and "unknown" not in planned_roles
    assert {s["role"] for s in fleet["servers"]} == planned_roles


def test_preview_json_follows_the_contract(cli: Callable[..., Any], plans: dict[str, Path]) -> None:
    result = cli(
        "stacks",
        "preview",
        plans["hetzner"],
        "--provider",
        "hetzner",
        "--inventory",
        plans["inventory"],
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["schema_version"] == 1 and report["provider"] == "hetzner"
    assert "no provider validation" in report["note"] and report["mode"].endswith("create-only")
    machines = json.loads(plans["hetzner"].read_text())["capacity"]["machines"]
    assert report["counts"]["hcloud:index/server:Server"] == machines
    assert sum(report["counts"].values()) == len(report["resources"]) == report["total"]
    first = report["resources"][0]
    assert set(first) >= {"type", "name", "parent"} and first["parent"] is None
    servers = [r for r in report["resources"] if r["type"] == "hcloud:index/server:Server"]
    assert all(r["parent"].startswith("exitplan:stacks:Role::") for r in servers)
    assert report["outputs"]["servers"] == machines


def test_preview_table_states_it_is_offline(
    cli: Callable[..., Any], plans: dict[str, Path]
) -> None:
    result = cli("stacks", "preview", plans["maas"], "--provider", "maas", "--test-stack")
    assert result.exit_code == 0, result.output
    assert "maas:index/instance:Instance" in result.output
    assert "offline create-only preview" in result.output
    assert "no --inventory" in result.output


def test_preview_reports_a_failing_program_and_missing_sdks(
    cli: Callable[..., Any], plans: dict[str, Path], stacks_copy: Path
) -> None:
    main = stacks_copy / "hetzner/__main__.py"
    main.write_text(main.read_text().replace('main("hetzner")', 'main("openstack")'))
    args = ("stacks", "preview", plans["hetzner"], "--provider", "hetzner")
    result = cli(*args, "--stacks-dir", stacks_copy)
    assert result.exit_code == 1
    assert "failed under mocks" in result.output and "this stack config is for" in result.output
    offline = stacks_copy / "components/offline.py"
    offline.write_text("raise ModuleNotFoundError(\"No module named 'pulumi'\")\n")
    result = cli(*args, "--stacks-dir", stacks_copy)
    assert result.exit_code == 1 and "pip install 'exitplan[stacks]'" in result.output
