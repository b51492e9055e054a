import json

import pytest

CONTRACT = {
    "schema_version",
    "inventory",
    "deadline",
    "transfer",
    "cutover",
    "cost",
    "capacity",
    "suggestions",
    "assumptions",
}


def test_json_follows_the_plan_contract(cli, repo):
    path = repo / "inventories" / "three-tier.yaml"
    result = cli("plan", path, "--deadline", "2h", "--format", "json", "--link", "wan=1Gbps")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= CONTRACT
    assert data["schema_version"] == 1
    assert {"servers", "total_bytes"} <= set(data["inventory"])
    assert set(data["deadline"]) >= {"seconds", "meets", "margin_seconds"}
    assert data["deadline"]["seconds"] == 7200
    transfer = data["transfer"]
    assert {"bulk_seconds", "lower_bound_seconds", "bottleneck", "hosts"} <= set(transfer)
    for host in transfer["hosts"]:
        assert {
            "id",
            "bytes",
            "start_seconds",
            "end_seconds",
            "rate_bits_per_second",
            "limited_by",
        } <= set(host)
    assert {"downtime_seconds", "rounds", "converges"} <= set(data["cutover"])
    assert {"egress_usd", "egress_usd_if_waived", "target_monthly_usd"} <= set(data["cost"])
    assert data["capacity"] is None
    for item in data["assumptions"]:
        assert set(item) >= {"name", "value", "source"}
    assert any(
        a["name"] == "link wan" and a["source"] == "option --link" for a in data["assumptions"]
    )
    assert transfer["bottleneck"] == "link:wan"


def test_without_deadline_the_deadline_fields_are_null(cli, repo):
    result = cli("plan", repo / "inventories" / "three-tier.yaml", "--format", "json")
    assert result.exit_code == 0
    deadline = json.loads(result.stdout)["deadline"]
    assert {k: deadline[k] for k in ("seconds", "meets", "margin_seconds")} == {
        "seconds": None,
        "meets": None,
        "margin_seconds": None,
    }
    assert deadline["completion_seconds"] > 0  # when the exit is done, deadline or not


def test_table_prints_slowest_hosts_and_verdict(cli, repo):
    result = cli(
        "plan",
        repo / "inventories" / "fleet-40.yaml",
        "--deadline",
        "24h",
        "--streams",
        "8",
        "--concurrency",
        "20",
        "--target-port",
        "10Gbps",
    )
    assert result.exit_code == 0, result.output
    assert "slowest hosts" in result.stdout
    assert "verdict" in result.stdout
    assert "Deadline 24 h:" in result.stdout
    assert "Egress: $" in result.stdout


def test_markdown_to_file(cli, repo, tmp_path):
    out = tmp_path / "plan.md"
    result = cli("plan", repo / "inventories" / "fleet-40.yaml", "--format", "markdown", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith("# Transfer plan for fleet-40.yaml")
    assert "## Assumptions" in text and "| name | value | source |" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--link", "uplink"], "invalid --link 'uplink': expected NAME=RATE"),
        (["--link", "uplink=fast"], "invalid --link 'uplink=fast': invalid rate 'fast'"),
        (["--link", "=1Gbps"], "expected NAME=RATE"),
        (["--link", "x=0"], "must be above zero"),
        (["--deadline", "tomorrow"], "invalid --deadline 'tomorrow': invalid duration"),
        (["--deadline", "0s"], "invalid --deadline '0s': must be above zero"),
        (["--target-port", "big"], "invalid --target-port 'big'"),
        (["--cipher", "rot13"], "unknown --cipher 'rot13'"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(cli, repo, args, message):
    result = cli("plan", repo / "inventories" / "three-tier.yaml", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_bad_inventory_exits_2(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("servers:\n  - id: a\n    vcpus: lots\n")
    result = cli("plan", bad)
    assert result.exit_code == 2
    assert f"{bad}:3: servers[0].vcpus:" in result.stderr


def test_demo_writes_the_plan(cli, tmp_path):
    out = tmp_path / "demo"
    result = cli("demo", "--out", out)
    assert result.exit_code == 0, result.output
    plan = json.loads((out / "plan.json").read_text())
    assert plan["deadline"]["seconds"] == 86400
    assert plan["inventory"]["servers"] == 400
    assert (out / "plan.md").read_text().startswith("# Transfer plan")
    assert "Plan: Deadline 24 h:" in result.stdout
    assert "bottleneck" in result.stdout


def test_unknown_sizes_leave_the_deadline_unproven(cli, tmp_path):
    path = tmp_path / "one.yaml"
    path.write_text("servers:\n  - {id: mystery-01, source: {provider: aws}}\n")
    table = cli("plan", path, "--deadline", "24h")
    assert table.exit_code == 0, table.output
    assert "NOT PROVEN" in table.stdout and "mystery-01" in table.stdout
    assert "MET" not in table.stdout
    assert "hosts by limit" not in table.stdout and "None" not in table.stdout
    data = json.loads(cli("plan", path, "--deadline", "24h", "--format", "json").stdout)
    assert data["deadline"]["meets"] is None
    assert data["inventory"]["unknown_size"] == ["mystery-01"]
    assert data["cutover"]["hosts"] == [] and data["cutover"]["critical_id"] is None
