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
    assert result.exit_code == 1, result.output  # the 2 h deadline is missed; JSON still printed
    data = json.loads(result.stdout)
    assert data["deadline"]["meets"] is False
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
    assert result.exit_code == 1, result.output  # 1 d is missed by hours
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
        # a size where a rate is required, and a bare number with no unit
        (["--link", "foo=10GB"], "invalid --link 'foo=10GB': invalid rate '10GB': that is a size"),
        (["--target-port", "10GB"], "'10GB': that is a size, not a rate; write 10 GB/s"),
        (["--target-port", "10G"], "give a unit, e.g. 10Gbps"),
        (
            ["--rtt", "35"],
            "invalid --rtt '35': invalid duration '35': give a unit, e.g. 35h, 35min, 35s or 35ms",
        ),
        (["--deadline", "24"], "give a unit, e.g. 24h,"),
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
    assert table.exit_code == 1, table.output  # not proven is a failed check
    assert "NOT PROVEN" in table.stdout and "mystery-01" in table.stdout
    assert "MET" not in table.stdout
    assert "hosts by limit" not in table.stdout and "None" not in table.stdout
    data = json.loads(cli("plan", path, "--deadline", "24h", "--format", "json").stdout)
    assert data["deadline"]["meets"] is None
    assert data["inventory"]["unknown_size"] == ["mystery-01"]
    assert data["cutover"]["hosts"] == [] and data["cutover"]["critical_id"] is None


def test_a_size_as_an_inventory_rate_is_an_error(cli, repo, tmp_path):
    text = (repo / "inventories" / "three-tier.yaml").read_text()
    assert "network: {baseline: 750Mbps" in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("network: {baseline: 750Mbps", "network: {baseline: 10GB", 1))
    line = text.splitlines().index("    network: {baseline: 750Mbps, burst: 10Gbps}") + 1
    result = cli("plan", bad)
    assert result.exit_code == 2
    assert f"{bad}:{line}: servers[0].network.baseline: invalid rate '10GB'" in result.stderr
    assert "that is a size, not a rate" in result.stderr


@pytest.mark.parametrize(("deadline", "code"), [("30d", 0), ("2h", 1), (None, 0)])
def test_exit_code_follows_the_deadline(cli, repo, tmp_path, deadline, code):
    out = tmp_path / "plan.json"
    args = ["plan", repo / "inventories" / "three-tier.yaml", "-o", out]
    result = cli(*args, *(["--deadline", deadline] if deadline else []))
    assert result.exit_code == code, result.output
    meets = json.loads(out.read_text())["deadline"]["meets"]  # written whatever the verdict
    assert meets is {0: True, 1: False}[code] or (deadline is None and meets is None)
    assert ("missed: exit code 1" in result.stderr) == (code == 1)


def test_a_deadline_not_shown_to_be_met_exits_1(cli, repo):
    import typer

    from planner.cli.plan import _deadline_gate
    from planner.models.plan import Plan

    result = cli("plan", repo / "inventories" / "three-tier.yaml", "--format", "json")
    plan = Plan.model_validate(json.loads(result.stdout))
    unknown = plan.deadline.model_copy(update={"seconds": 7200.0, "meets": None})
    with pytest.raises(typer.Exit) as info:
        _deadline_gate(plan.model_copy(update={"deadline": unknown}))
    assert info.value.exit_code == 1
    met = plan.deadline.model_copy(update={"seconds": 7200.0, "meets": True})
    _deadline_gate(plan.model_copy(update={"deadline": met}))  # returns: exit 0


@pytest.mark.parametrize(
    ("name", "args", "start"),
    [
        ("plan.json", [], "{"),
        ("plan.md", [], "# Transfer plan"),
        ("plan.markdown", [], "# Transfer plan"),
        ("plan.txt", [], "No deadline given"),
        ("plan.json", ["--format", "table"], "No deadline given"),
        ("plan.md", ["--format", "json"], "{"),
    ],
)
def test_format_follows_the_output_extension(cli, repo, tmp_path, name, args, start):
    out = tmp_path / name
    result = cli("plan", repo / "inventories" / "three-tier.yaml", "-o", out, *args)
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith(start)
    if start == "{":
        assert json.loads(text)["schema_version"] == 1
    report = cli("report", "--plan", out, "-o", tmp_path / "r.html") if start == "{" else None
    assert report is None or report.exit_code == 0
