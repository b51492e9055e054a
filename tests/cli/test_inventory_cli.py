import json
import subprocess
import sys

import pytest

from planner.io.inventory_file import load_inventory


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("exitplan ")


@pytest.mark.parametrize("name", ["three-tier.yaml", "fleet-40.yaml"])
def test_examples_validate(cli, repo, name):
    result = cli("inventory", "validate", repo / "inventories" / name)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: ")


def test_validate_reports_every_file_and_exits_2(cli, repo, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("servers:\n  - id: a\n    vcpus: lots\n")
    result = cli("inventory", "validate", repo / "inventories" / "three-tier.yaml", bad)
    assert result.exit_code == 2
    assert "ok: " in result.stdout
    assert f"{bad}:3: servers[0].vcpus:" in result.stderr
    assert "Traceback" not in result.output


def test_generate_then_validate_500_servers(cli, tmp_path):
    out = tmp_path / "x.yaml"
    result = cli(
        "inventory", "generate", "--servers", 500, "--data", "70TB", "--seed", 1, "-o", out
    )
    assert result.exit_code == 0, result.output
    assert cli("inventory", "validate", out).exit_code == 0
    inventory = load_inventory(out)
    assert len(inventory.servers) == 500
    assert abs(inventory.total_bytes - 70e12) / 70e12 < 0.02


def test_generate_is_deterministic(cli):
    first = cli("inventory", "generate", "--servers", 30, "--seed", 7).stdout
    again = cli("inventory", "generate", "--servers", 30, "--seed", 7).stdout
    other = cli("inventory", "generate", "--servers", 30, "--seed", 8).stdout
    assert first == again
    assert first != other


def test_generate_bad_size_is_usage_error(cli):
    result = cli("inventory", "generate", "--servers", 3, "--data", "lots")
    assert result.exit_code == 2
    assert "invalid size 'lots'" in result.output


def test_show_table_and_json(cli, repo):
    path = repo / "inventories" / "fleet-40.yaml"
    table = cli("inventory", "show", path)
    assert table.exit_code == 0
    assert "db" in table.stdout and "search" in table.stdout
    data = json.loads(cli("inventory", "show", path, "--format", "json").stdout)
    assert data["schema_version"] == 1
    assert data["servers"] == 40
    assert {r["role"] for r in data["roles"]} == {"web", "app", "worker", "db", "cache", "search"}
    assert sum(r["servers"] for r in data["roles"]) == 40


def test_schema_is_json_schema(cli):
    schema = json.loads(cli("inventory", "schema").stdout)
    assert schema["title"] == "Inventory"
    assert "servers" in schema["properties"]
    assert "Server" in schema["$defs"]


def test_missing_file_is_exit_2_without_traceback(cli, tmp_path):
    result = cli("inventory", "show", tmp_path / "missing.yaml")
    assert result.exit_code == 2
    assert "no such file" in result.stderr
    assert "Traceback" not in result.output


def test_console_script_runs_as_module(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("servers:\n  - id: a\n    volumes:\n      - size: ten GB\n")
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "inventory", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"{bad}:4: servers[0].volumes[0].size: invalid size 'ten GB' "
        "(examples: 500GB, 1.5 TiB, 1024)"
    )


UNKNOWN_SIZES = """\
schema_version: 1
servers:
  - id: mystery-01
    role: app
    source: {provider: aws, region: us-east-1}
  - id: known-01
    role: app
    vcpus: 4
    source: {provider: aws, region: us-east-1}
    volumes: [{mount_point: /, size: 100GB, used: 50GB, file_count: 100000}]
  - id: blank-01
    role: db
    source: {provider: aws, region: us-east-1}
data_stores:
  - {id: bucket-x, kind: object-storage, source: {provider: aws, region: us-east-1}}
"""


def test_show_prints_unknown_never_zero(cli, tmp_path):
    path = tmp_path / "unknown.yaml"
    path.write_text(UNKNOWN_SIZES)
    table = cli("inventory", "show", path)
    assert table.exit_code == 0, table.output
    out = table.stdout
    assert "50 GB + 3 of unknown size" in out
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 3}
    assert "50 GB + 1" in rows["app"] and "100,000 + 1" in rows["app"]
    db = [cell.strip() for cell in rows["db"].split("│")[1:-1]]
    assert db == ["db", "1", "unknown", "unknown", "unknown", ""]
    assert "bucket-x" in out and "0 B" not in out and " 0 " not in out
    data = json.loads(cli("inventory", "show", path, "--format", "json").stdout)
    assert data["unknown_size"] == ["mystery-01", "blank-01", "bucket-x"]
    by_role = {r["role"]: r for r in data["roles"]}
    assert by_role["db"]["used_bytes"] is None and by_role["db"]["file_count"] is None
    assert by_role["app"]["used_bytes"] == 50 * 10**9 and by_role["app"]["unknown_size"] == 1
    assert data["data_stores"][0]["used_bytes"] is None
    validate = cli("inventory", "validate", path)
    assert "50 GB + 3 of unknown size" in validate.stdout


def test_merge_without_output_writes_yaml_to_stdout(cli, repo, tmp_path):
    sources = [repo / "inventories" / "fleet-40.yaml", repo / "inventories" / "three-tier.yaml"]
    result = cli("inventory", "merge", *sources)
    assert result.exit_code == 0, result.output
    assert "merged 2 inventories:" in result.stderr  # the summary stays off stdout
    merged = tmp_path / "merged.yaml"
    merged.write_text(result.stdout)
    with_file = tmp_path / "with-o.yaml"
    assert cli("inventory", "merge", *sources, "-o", with_file).exit_code == 0
    assert load_inventory(merged) == load_inventory(with_file)
    # no server of one is in the other: every one of them is in the merge
    assert len(load_inventory(merged).servers) == sum(
        len(load_inventory(p).servers) for p in sources
    )


def test_a_repeated_key_is_an_input_error_with_its_line(cli, tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text(
        "schema_version: 1\nservers:\n  - id: a\n    role: web\n    volumes:\n"
        "      - used: 10GB\n        size: 20GB\n        used: 5GB\n"
    )
    result = cli("inventory", "validate", path)
    assert result.exit_code == 2
    assert f"{path}:8: syntax: duplicate key 'used' (first on line 6)" in result.output
