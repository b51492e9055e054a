"""``exitplan audit``: formats, --fail-on exit codes, SARIF structure, input errors."""

import json
from pathlib import Path

import pytest

FIX = Path(__file__).resolve().parents[1] / "audit" / "fixtures"
SERVERLESS = FIX / "serverless-api"
THREE_TIER = FIX / "three-tier" / "infra"


def test_json_contract(cli):
    result = cli("audit", "--iac", SERVERLESS, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert 0 <= data["score"] <= 100 and data["level"] == "very-high"
    for service in data["services"]:
        assert {"service", "class", "replacements", "effort", "evidence"} <= service.keys()
        assert service["class"] in {"portable", "compatible", "proprietary"}
        assert service["effort"] in {"S", "M", "L", "XL"}
        for ev in service["evidence"]:
            assert {"path", "line", "signal"} <= ev.keys()
    assert data["blockers"][0]["service"] == "cognito"
    assert data["workloads"][0]["explain"]["lines"]


@pytest.mark.parametrize(
    ("path", "level", "code"),
    [
        (SERVERLESS, "high", 1),
        (SERVERLESS, "very-high", 1),
        (THREE_TIER, "very-high", 0),
        # lock-in is medium, but Route 53 is the only DNS host (a single point of supplier
        # failure run by the cloud itself): the overall level is high
        (THREE_TIER, "high", 1),
        (THREE_TIER, "medium", 1),
        (THREE_TIER, "low", 1),
    ],
)
def test_fail_on(cli, path, level, code):
    result = cli("audit", "--iac", path, "--format", "json", "--fail-on", level)
    assert result.exit_code == code, result.output
    assert json.loads(result.stdout)["schema_version"] == 1


def test_sarif_is_valid_2_1_0(cli, tmp_path):
    out = tmp_path / "audit.sarif"
    result = cli("audit", "--iac", SERVERLESS, "--format", "sarif", "-o", out)
    assert result.exit_code == 0, result.output
    sarif = json.loads(out.read_text())
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    [run] = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) and "cognito" in ids
    assert all(r["shortDescription"]["text"] for r in rules)
    assert run["results"]
    for res in run["results"]:
        assert res["ruleId"] == ids[res["ruleIndex"]]
        assert res["level"] in {"error", "warning", "note"}
        assert res["message"]["text"]
        [loc] = res["locations"]
        phys = loc["physicalLocation"]
        assert not phys["artifactLocation"]["uri"].startswith("/")
        assert phys["region"]["startLine"] >= 1
    lines = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in run["results"]
    }
    assert ("dynamodb", 65) in lines


def test_sarif_reports_unparseable_files(cli, tmp_path):
    (tmp_path / "main.tf").write_bytes(b"\x00\x00binary")
    result = cli("audit", "--iac", tmp_path, "--format", "sarif")
    assert result.exit_code == 0, result.output
    [run] = json.loads(result.stdout)["runs"]
    assert [r["ruleId"] for r in run["results"]] == ["unparseable"]


def test_markdown_and_table(cli, tmp_path):
    md = tmp_path / "audit.md"
    assert cli("audit", "--iac", SERVERLESS, "--format", "markdown", "-o", md).exit_code == 0
    text = md.read_text()
    for heading in (
        "# Lock-in audit",
        "## Exit blockers",
        "## Workloads",
        "## Services",
        "## How the score is made",
    ):
        assert heading in text
    table = cli("audit", "--iac", SERVERLESS)
    assert table.exit_code == 0 and "Lock-in very-high" in table.stdout
    assert "cognito" in table.stdout


def test_inventory_audit(cli, repo):
    result = cli("audit", repo / "inventories/three-tier.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    services = {s["service"]: s for s in data["services"]}
    assert {"ec2", "ebs", "s3", "ses"} <= services.keys()
    ses = services["ses"]["evidence"][0]
    assert ses["path"].endswith("three-tier.yaml") and ses["line"] == 59
    assert ses["signal"] == "dependency:aws:ses"
    assert {w["id"] for w in data["workloads"]} >= {"role:app", "role:web", "role:db"}


def test_missing_path_is_exit_2(cli, tmp_path):
    result = cli("audit", "--iac", tmp_path / "nope")
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert "Traceback" not in result.output
    assert cli("audit", tmp_path / "missing.yaml").exit_code == 2
    assert cli("audit").exit_code == 2


def test_bad_inventory_is_exit_2(cli, tmp_path):
    bad = tmp_path / "inv.yaml"
    bad.write_text("schema_version: 1\nservers:\n  - {id: a, volumes: [{size: ten GB}]}\n")
    result = cli("audit", bad)
    assert result.exit_code == 2
    assert "inv.yaml:3" in result.output


@pytest.mark.parametrize(
    ("flag", "level", "code"),
    [
        # three-tier: lock-in medium (proprietary AWS services), suppliers high (Route 53 is the
        # only DNS host), so the overall level is high
        ("--fail-on", "high", 1),
        ("--fail-on-lockin", "high", 0),
        ("--fail-on-lockin", "medium", 1),
        ("--fail-on-suppliers", "high", 1),
        ("--fail-on-suppliers", "very-high", 0),
    ],
)
def test_fail_on_one_dimension(cli, flag, level, code):
    result = cli("audit", "--iac", THREE_TIER, "--format", "json", flag, level)
    assert result.exit_code == code, result.output
    dims = {d["id"]: d["level"] for d in json.loads(result.stdout)["dimensions"]}
    assert dims == {"lock-in": "medium", "suppliers": "high"}
    if code:
        name = {"--fail-on": "audit", "--fail-on-lockin": "lock-in"}.get(flag, "suppliers")
        assert f"{name} level" in result.stderr and f"reaches {flag} {level}" in result.stderr


def test_lockin_gate_ignores_suppliers_but_catches_proprietary_services(cli):
    ok = cli("audit", "--iac", THREE_TIER, "--fail-on-lockin", "high", "--fail-on", "very-high")
    assert ok.exit_code == 0, ok.output
    bad = cli("audit", "--iac", SERVERLESS, "--fail-on-lockin", "high")
    assert bad.exit_code == 1
    assert "lock-in level very-high reaches --fail-on-lockin high" in bad.stderr


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("audit.json", lambda text: json.loads(text)["schema_version"] == 1),
        ("audit.sarif", lambda text: json.loads(text)["version"] == "2.1.0"),
        ("audit.md", lambda text: text.startswith("# Lock-in audit")),
        ("audit.txt", lambda text: "Lock-in" in text and not text.startswith(("{", "#"))),
    ],
)
def test_format_follows_the_output_extension(cli, tmp_path, name, check):
    out = tmp_path / name
    assert cli("audit", "--iac", SERVERLESS, "-o", out).exit_code == 0
    assert check(out.read_text())


def test_explicit_format_wins_over_the_extension(cli, tmp_path):
    out = tmp_path / "audit.json"
    assert cli("audit", "--iac", SERVERLESS, "--format", "markdown", "-o", out).exit_code == 0
    assert out.read_text().startswith("# Lock-in audit")
