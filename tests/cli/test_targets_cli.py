import json
import shutil

import pytest

FLEET = "inventories/fleet-40.yaml"


@pytest.fixture
def fixtures(repo):
    return repo / "tests" / "fixtures" / "providers"


def test_targets_list_and_json(cli, repo):
    result = cli("targets", "list")
    assert result.exit_code == 0, result.output
    for provider in ("hetzner-cloud", "hetzner-robot", "ovh-baremetal", "scaleway-instances"):
        assert provider in result.stdout
    data = json.loads(cli("targets", "list", "--format", "json").stdout)
    assert data["schema_version"] == 1
    assert {p["provider"] for p in data["providers"]} >= {"hetzner-cloud", "ovh-public-cloud"}


def test_targets_show_offerings_cheapest_first(cli):
    result = cli("targets", "show", "hetzner-robot")
    assert result.exit_code == 0, result.output
    assert "ax162-r" in result.stdout
    assert result.stdout.index("ax41-nvme") < result.stdout.index("sx295")
    assert "servers per network: 100" in result.stdout
    data = json.loads(cli("targets", "show", "hetzner-cloud", "--format", "json").stdout)
    assert data["schema_version"] == 1 and data["provider"] == "hetzner-cloud"
    assert any(o["id"] == "ccx63" for o in data["offerings"])


def test_targets_show_private_file(cli, repo):
    result = cli("targets", "show", repo / "inventories" / "targets" / "maas.yaml")
    assert result.exit_code == 0, result.output
    assert "r650-512g" in result.stdout


def test_targets_validate_all_and_a_broken_one(cli, fixtures, tmp_path):
    result = cli("targets", "validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("ok: ") >= 6
    broken = tmp_path / "cat"
    shutil.copytree(fixtures, broken)
    csv = broken / "tiny" / "offerings.csv"
    csv.write_text(csv.read_text().replace(",2,false,4GiB,", ",zero,false,4GiB,"))
    result = cli("targets", "validate", "--catalog-dir", broken)
    assert result.exit_code == 2
    assert "offerings.csv:2: vcpus:" in result.output


def test_adding_a_provider_is_data_only_catalog_dir(cli, fixtures, repo):
    result = cli("targets", "list", "--catalog-dir", fixtures)
    assert result.exit_code == 0 and "tiny" in result.stdout and "hetzner" not in result.stdout
    result = cli(
        "capacity", FLEET, "--target", "tiny", "--catalog-dir", fixtures, "--format", "json"
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["target"]["provider"] == "tiny"
    assert {s["offering"] for s in plan["servers"]} <= {"t-small", "t-large", "t-metal"}


def test_adding_a_provider_is_data_only_env(cli, fixtures, repo, tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    shutil.copytree(repo / "seeds", seeds)
    shutil.copytree(fixtures / "tiny", seeds / "providers" / "tiny")
    monkeypatch.setenv("EXITPLAN_SEEDS", str(seeds))
    listed = json.loads(cli("targets", "list", "--format", "json").stdout)
    assert "tiny" in {p["provider"] for p in listed["providers"]}
    assert cli("capacity", FLEET, "--target", "tiny").exit_code == 0


def test_capacity_table(cli):
    result = cli(
        "capacity", FLEET, "--target", "hetzner-robot", "--consolidate", "--deadline", "24h"
    )
    assert result.exit_code == 0, result.output
    assert "machines by offering" in result.stdout
    assert "Consolidation: 40 ->" in result.stdout
    assert "meets the deadline" in result.stdout


def test_capacity_json_contract_and_output_file(cli, tmp_path):
    out = tmp_path / "capacity.json"
    result = cli("capacity", FLEET, "--target", "hetzner-cloud", "--server-limit", "10", "-o", out)
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stdout
    plan = json.loads(out.read_text())
    assert plan["schema_version"] == 1
    for key in (
        "servers",
        "provisioning_seconds",
        "blockers",
        "monthly_usd",
        "source_monthly_usd",
        "setup_usd",
        "consolidation",
        "unplaced",
        "assumptions",
        "by_offering",
    ):
        assert key in plan
    assert {"id", "offering", "monthly_usd", "location"} <= set(plan["servers"][0])
    assert all({"name", "value", "source"} <= set(a) for a in plan["assumptions"])
    assert any(
        b["kind"] == "server-limit" and "10-server limit" in b["message"] for b in plan["blockers"]
    )
    text = tmp_path / "capacity.txt"
    assert cli("capacity", FLEET, "--target", "hetzner-cloud", "-o", text).exit_code == 0
    assert "machines by offering" in text.read_text()


def test_capacity_options_change_the_result(cli):
    def plan(*args):
        result = cli("capacity", FLEET, "--target", "ovh-public-cloud", "--format", "json", *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    base = plan()
    fast = plan("--min-port", "2Gbps")
    assert all(
        s["offering"] not in {"d2-2", "d2-4", "d2-8", "b3-8", "b3-16"} for s in fast["servers"]
    )
    assert fast["monthly_usd"] > base["monthly_usd"]
    roomy = plan("--disk-headroom", "3")
    assert roomy["monthly_usd"] >= base["monthly_usd"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--target", "nowhere"), "unknown target 'nowhere'"),
        (("--target", "hetzner-cloud", "--deadline", "soon"), "--deadline: invalid duration"),
        (("--target", "hetzner-cloud", "--min-port", "fast"), "--min-port: invalid rate"),
        (("--target", "inventories/targets/missing.yaml"), "no such file"),
    ],
)
def test_capacity_bad_input_exits_2(cli, args, message):
    result = cli("capacity", FLEET, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
