"""The demo's audit stage: audits the inventory the demo generated and adds a verdict line."""

import json

from planner.audit.demo import stage_audit
from planner.demo import STAGES, DemoContext
from planner.io.seeds import load_yaml_seed
from planner.models.seeds import Scenario


def test_audit_stage_writes_json_and_markdown(tmp_path, repo):
    assert "audit" in [name for name, _ in STAGES]
    scenario = load_yaml_seed("scenarios/forced-exit-2021.yaml", Scenario)
    ctx = DemoContext(out_dir=tmp_path, scenario=scenario)
    from planner.io.inventory_file import load_inventory

    path = repo / "inventories/fleet-40.yaml"
    ctx.inventory = load_inventory(path)
    ctx.files["inventory"] = path
    stage_audit(ctx)
    data = json.loads((tmp_path / "audit.json").read_text())
    assert data["schema_version"] == 1
    services = {s["service"] for s in data["services"]}
    assert {"ec2", "s3", "rds-postgresql", "efs"} <= services
    assert "## Services" in (tmp_path / "audit.md").read_text()
    assert ctx.verdict[-1].startswith(f"Audit {data['level']} ({data['score']}/100). Lock-in ")
    [lockin] = [d for d in data["dimensions"] if d["id"] == "lock-in"]
    assert f"Lock-in {lockin['level']} ({lockin['score']}/100)" in ctx.verdict[-1]
    assert ctx.files["audit"] == tmp_path / "audit.json"


def test_audit_stage_without_inventory_does_nothing(tmp_path):
    scenario = load_yaml_seed("scenarios/forced-exit-2021.yaml", Scenario)
    ctx = DemoContext(out_dir=tmp_path, scenario=scenario)
    stage_audit(ctx)
    assert ctx.verdict == [] and not (tmp_path / "audit.json").exists()
