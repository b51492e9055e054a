import json

from planner.io.inventory_file import load_inventory


def test_demo_runs_the_scenario(cli, tmp_path):
    out = tmp_path / "demo"
    result = cli("demo", "--out", out)
    assert result.exit_code == 0, result.output
    assert "verdict" in result.stdout
    inventory = load_inventory(out / "inventory.yaml")
    assert len(inventory.servers) == 400
    assert abs(inventory.total_bytes - 70e12) / 70e12 < 0.02
    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenario"] == "forced-exit-2021"
    assert summary["verdict"]


def test_demo_writes_every_stage(cli, tmp_path):
    out = tmp_path / "demo"
    result = cli("demo", "--out", out)
    assert result.exit_code == 0, result.output
    names = ("plan.json", "plan.md", "audit.json", "audit.md", "report.html", "report.md")
    for name in (*names, "stacks-preview.json"):
        assert (out / name).stat().st_size > 0, name
        assert str(out / name) in result.stdout
    plan = json.loads((out / "plan.json").read_text())
    audit = json.loads((out / "audit.json").read_text())
    assert plan["schema_version"] == audit["schema_version"] == 1
    html = (out / "report.html").read_text()
    assert "Deadline" in html and "<svg" in html and "Lock-in" in html


def test_demo_previews_a_test_stack_per_role(cli, tmp_path):
    out = tmp_path / "demo"
    assert cli("demo", "--out", out).exit_code == 0
    preview = json.loads((out / "stacks-preview.json").read_text())
    plan = json.loads((out / "plan.json").read_text())
    roles = {p["role"] for p in plan["capacity"]["servers"]}
    servers = [r for r in preview["resources"] if r["type"] == "hcloud:index/server:Server"]
    assert preview["provider"] == "hetzner"
    assert len(servers) == len(roles)
