"""`exitplan report`: writes both files atomically, prints the verdict, exit 2 on bad input."""

from __future__ import annotations

import json

from planner.report.files import write_report_files
from tests.report.conftest import FIXTURES


def test_report_writes_html_and_markdown(cli, tmp_path):
    html, md = tmp_path / "out" / "report.html", tmp_path / "out" / "report.md"
    result = cli(
        "report",
        "--plan",
        FIXTURES / "plan-small.json",
        "--audit",
        FIXTURES / "audit.json",
        "-o",
        html,
        "--markdown",
        md,
    )
    assert result.exit_code == 0, result.output
    assert "Deadline met with 20 h 15 min to spare" in result.output
    assert f"report.html: {html}" in result.output and f"report.md: {md}" in result.output
    assert html.read_text().startswith("<!doctype html>")
    assert "generated 20" in html.read_text()  # the CLI stamps the time
    assert md.read_text().startswith("# Exit report")
    assert sorted(p.name for p in html.parent.iterdir()) == ["report.html", "report.md"]


def test_bad_plan_is_a_clear_input_error_with_lines(cli, tmp_path):
    doc = json.loads((FIXTURES / "plan-small.json").read_text())
    del doc["transfer"]["hosts"][1]["start_seconds"]
    doc["assumptions"] = "none"
    bad = tmp_path / "plan.json"
    bad.write_text(json.dumps(doc, indent=1))
    out = tmp_path / "report.html"
    result = cli("report", "--plan", bad, "-o", out)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert any(
        line.startswith(f"{bad}:")
        and "transfer.hosts[1].start_seconds: missing" in line
        and line.split(":")[1].isdigit()
        for line in lines
    ), result.output
    assert any("assumptions: Input should be a valid list" in line for line in lines)
    assert "Traceback" not in result.output
    assert not out.exists()


def test_missing_and_unparsable_files(cli, tmp_path):
    result = cli("report", "--plan", tmp_path / "nope.json")
    assert result.exit_code == 2 and "nope.json: no such file" in result.output
    broken = tmp_path / "audit.json"
    broken.write_text('{"schema_version": 1,')
    result = cli(
        "report",
        "--plan",
        FIXTURES / "plan-small.json",
        "--audit",
        broken,
        "-o",
        tmp_path / "r.html",
    )
    assert result.exit_code == 2 and f"{broken}:1: syntax:" in result.output


def test_a_plan_table_given_as_plan_json_gets_a_hint(cli, repo, tmp_path):
    table = tmp_path / "plan.json"
    made = cli("plan", repo / "inventories" / "three-tier.yaml", "--format", "table", "-o", table)
    assert made.exit_code == 0, made.output
    result = cli("report", "--plan", table, "-o", tmp_path / "r.html")
    assert result.exit_code == 2
    assert f"{table}:1: syntax:" in result.output
    assert "--format json -o plan.json" in result.output
    listing = tmp_path / "list.json"
    listing.write_text("[1, 2]\n")
    result = cli("report", "--plan", listing, "-o", tmp_path / "r.html")
    assert result.exit_code == 2 and f"{listing}:1: not a plan JSON document" in result.output


def test_plan_option_is_required(cli):
    result = cli("report")
    assert result.exit_code == 2 and "--plan" in result.output


def test_one_call_for_pipeline_stages(tmp_path, plan_small, audit):
    files = write_report_files(tmp_path, plan_small, audit)
    assert files == {"report.html": tmp_path / "report.html", "report.md": tmp_path / "report.md"}
    assert all(p.stat().st_size > 1000 for p in files.values())
