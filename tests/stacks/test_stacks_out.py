"""``stacks config`` writes into a copy (``--out``, default ``./exitplan-stacks``), never into the
package; ``stacks preview`` exits 1 when planned servers are left out of the stack."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from planner.io.inventory_file import save_inventory
from tests.stacks.helpers import REPO, TARGET_CATALOGS, TEST_KEY, generated, plan_document

SHIPPED = REPO / "stacks"


def _stack_files() -> set[Path]:
    return set(SHIPPED.glob("*/Pulumi.*.yaml"))


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    path.write_text(json.dumps(plan_document(generated(30), TARGET_CATALOGS["hetzner"])))
    return path


def _program_files(root: Path, provider: str) -> set[str]:
    return {
        str(p.relative_to(root))
        for part in ("components", provider)
        for p in (root / part).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith("Pulumi.")
    } | {f"{provider}/Pulumi.yaml"}


def test_config_copies_the_project_to_exitplan_stacks_by_default(
    cli: Callable[..., Any], plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = _stack_files()
    result = cli("stacks", "config", plan, "--provider", "hetzner", "--ssh-key", TEST_KEY)
    assert result.exit_code == 0, result.output
    out = tmp_path / "exitplan-stacks"
    stack_file = out / "hetzner" / "Pulumi.exit.yaml"
    fleet = yaml.safe_load(stack_file.read_text())["config"]["exitplan-hetzner:fleet"]
    assert fleet["ssh_public_keys"] == [TEST_KEY]
    assert _program_files(out, "hetzner") == _program_files(SHIPPED, "hetzner")
    assert not (out / "openstack").exists()  # only the project asked for
    assert (out / "components/data_mounts.sh").stat().st_mode & 0o111  # still executable
    assert _stack_files() == before  # nothing written into the package
    assert f"cd {Path('exitplan-stacks') / 'hetzner'}" in result.stdout
    assert "copied" in result.stderr


def test_the_copy_is_a_working_pulumi_project(
    cli: Callable[..., Any], plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "copy"
    assert cli("stacks", "config", plan, "--provider", "hetzner", "--out", out).exit_code == 0
    result = cli(
        "stacks", "preview", plan, "--provider", "hetzner", "--stacks-dir", out, "--format", "json"
    )
    assert result.exit_code == 0, result.output
    machines = json.loads(plan.read_text())["capacity"]["machines"]
    assert json.loads(result.stdout)["counts"]["hcloud:index/server:Server"] == machines


def test_rerun_refreshes_program_files_and_keeps_other_stacks(
    cli: Callable[..., Any], plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "copy"
    args = ("stacks", "config", plan, "--provider", "hetzner", "--out", out)
    assert cli(*args, "--stack", "drill").exit_code == 0
    main = out / "hetzner" / "__main__.py"
    main.write_text("broken\n")
    result = cli(*args, "--stack", "prod")
    assert result.exit_code == 0, result.output
    assert main.read_text() == (SHIPPED / "hetzner" / "__main__.py").read_text()
    assert "copied 1 program files" in result.stderr
    assert {p.name for p in (out / "hetzner").glob("Pulumi.*.yaml")} == {
        "Pulumi.drill.yaml",
        "Pulumi.prod.yaml",
    }
    again = cli(*args, "--stack", "prod")
    assert again.exit_code == 0 and "copied" not in again.stderr  # nothing changed


def test_stacks_dir_alone_writes_in_place_and_with_out_is_the_source(
    cli: Callable[..., Any], plan: Path, tmp_path: Path
) -> None:
    checkout = tmp_path / "checkout"
    assert cli("stacks", "config", plan, "--provider", "hetzner", "--out", checkout).exit_code == 0
    marker = checkout / "components" / "NOTE.txt"
    marker.write_text("local change\n")
    result = cli("stacks", "config", plan, "--provider", "hetzner", "--stacks-dir", checkout)
    assert result.exit_code == 0, result.output
    assert (checkout / "hetzner" / "Pulumi.exit.yaml").is_file()
    assert "copied" not in result.stderr
    out = tmp_path / "elsewhere"
    result = cli(
        "stacks", "config", plan, "--provider", "hetzner", "--stacks-dir", checkout, "--out", out
    )
    assert result.exit_code == 0, result.output
    assert (out / "components" / "NOTE.txt").read_text() == "local change\n"


def test_out_that_cannot_be_a_folder_is_a_clear_error(
    cli: Callable[..., Any], plan: Path, tmp_path: Path
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    for out, message in [
        (afile, f"{afile}: is a file, not a directory"),
        (afile / "sub", f"{afile / 'sub'}: cannot create it: {afile} is a file, not a directory"),
    ]:
        result = cli("stacks", "config", plan, "--provider", "hetzner", "--out", out)
        assert result.exit_code == 2
        assert message in result.stderr
        assert "Traceback" not in result.output


def test_preview_exits_1_when_servers_are_left_out(cli: Callable[..., Any], tmp_path: Path) -> None:
    fleet = generated(30)
    huge = fleet.servers[0].model_copy(update={"id": "huge-01", "memory_bytes": 64 * 2**40})
    fleet = fleet.model_copy(update={"servers": [*fleet.servers, huge]})
    save_inventory(fleet, tmp_path / "fleet.yaml")
    plan = tmp_path / "plan.json"
    document = plan_document(fleet, TARGET_CATALOGS["hetzner"])
    assert [u["id"] for u in document["capacity"]["unplaced"]] == ["huge-01"]
    plan.write_text(json.dumps(document))
    args = (
        "stacks",
        "preview",
        plan,
        "--provider",
        "hetzner",
        "--inventory",
        tmp_path / "fleet.yaml",
    )
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert "1 planned servers are not in the stack (no offering fits them)" in result.stdout
    result = cli(*args, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["schema_version"] == 1
    assert "not in the stack" in result.stderr


def test_preview_exits_1_when_the_private_cluster_cannot_hold_the_fleet(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    fleet = generated(500)  # 5,000+ vCPUs against the example cluster's 4,096
    save_inventory(fleet, tmp_path / "fleet.yaml")
    document = plan_document(fleet, TARGET_CATALOGS["proxmox"])
    blocking = [b for b in document["capacity"]["blockers"] if b["kind"] == "cluster-capacity"]
    assert blocking and blocking[0]["severity"] == "blocker"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(document))
    args = ("stacks", "preview", plan, "--provider", "proxmox", "--format", "json")
    args += ("--target", TARGET_CATALOGS["proxmox"])
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert f"the target cannot hold this stack: {blocking[0]['message']}" in " ".join(
        result.stderr.split()
    )
    assert json.loads(result.stdout)["counts"]  # the preview itself still ran
    assert cli(*args, "--test-stack").exit_code == 0  # one server per role fits


def test_config_exits_1_like_preview_when_servers_are_left_out(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    fleet = generated(30)
    huge = fleet.servers[0].model_copy(update={"id": "huge-01", "memory_bytes": 64 * 2**40})
    fleet = fleet.model_copy(update={"servers": [*fleet.servers, huge]})
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(plan_document(fleet, TARGET_CATALOGS["hetzner"])))
    result = cli("stacks", "config", plan, "--provider", "hetzner", "--out", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert (tmp_path / "out" / "hetzner" / "Pulumi.exit.yaml").is_file()  # still written
    assert "1 planned servers are not in the stack (no offering fits them)" in result.stderr
    assert "left out" not in result.stderr  # said once, not also as a warning


def test_config_exits_1_when_the_private_cluster_cannot_hold_the_fleet(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    document = plan_document(generated(500), TARGET_CATALOGS["proxmox"])
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(document))
    args = ("stacks", "config", plan, "--provider", "proxmox", "--out", tmp_path / "out")
    args += ("--target", TARGET_CATALOGS["proxmox"], "--set", "nodes=pve1,pve2,pve3")
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert "the target cannot hold this stack" in result.stderr
    assert cli(*args, "--test-stack").exit_code == 0


def test_out_of_stock_servers_are_not_called_unfit(cli: Callable[..., Any], tmp_path: Path) -> None:
    document = plan_document(generated(80), TARGET_CATALOGS["scaleway"])
    unplaced = document["capacity"]["unplaced"]
    stock = [u for u in unplaced if u["reason"].startswith("out of stock")]
    unfit = len(unplaced) - len(stock)
    assert stock and unfit  # the fleet has both kinds
    assert [u["id"] for u in unplaced if u["kind"] == "out-of-stock"] == [u["id"] for u in stock]
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(document))
    result = cli("stacks", "config", plan, "--provider", "scaleway", "--out", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert (
        f"{len(unplaced)} planned servers are not in the stack ({len(stock)} out of stock: an "
        f"offering fits them but none is available; {unfit}: no offering fits them)"
    ) in " ".join(result.stderr.split())
